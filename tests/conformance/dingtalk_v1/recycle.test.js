'use strict';
// The recycle bins (reference §4.10) through the official SDK: GetRecycleBin for each scope,
// ListRecycleItems paging, GetRecycleItem's shape, restore to the original place (conflict
// strategies, a parent that is gone), batch restore, purge (usedQuota released), clear, and
// every refusal: unknown scope, bin and item, missing and too many ids, another org's token.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startServer } = require('../lib/server');
const { getToken, dingtalk, expectError } = require('../lib/dingtalk');
const { recycle } = require('../lib/recycle');
const { uploadFile } = require('../lib/files');
const { ISO_TIME } = require('../lib/checks');

describe('recycle bins', { timeout: 120000 }, () => {
  let srv;
  let U;
  let dt;
  let rb;
  let space;
  let bin;

  const used = async () => (await dt.getSpace(space.id, U)).usedQuota;
  const file = async (parentId, name, size) => (await uploadFile(dt, space.id, U,
    { name, parentId, bytes: crypto.randomBytes(size) })).dentry;
  // Recycles dentry `id` and returns its recycle item.
  const recycled = async (id) => {
    await rb.deleteDentry(space.id, id, U, true);
    const { recycleItems } = await rb.listRecycleItems(bin.id, U);
    const item = recycleItems.find((i) => i.dentryId === id);
    assert.ok(item, `no recycle item for ${id}`);
    return item;
  };

  before(async () => {
    srv = await startServer();
    U = srv.unionId;
    const token = (await getToken(srv.endpoint, srv.appKey, srv.appSecret)).accessToken;
    dt = dingtalk(srv.endpoint, token);
    rb = recycle(srv.endpoint, token);
    space = await dt.addSpace(U, { scene: 'recycle', sceneId: '1' });
    bin = await rb.getRecycleBin(U, 'SPACE', space.id);
  });
  after(async () => {
    await srv?.stop();
  });

  it('GetRecycleBin answers each scope with a stable id', async () => {
    assert.equal(bin.scope, 'SPACE');
    assert.equal(bin.scopeId, space.id);
    assert.match(bin.id, /^[A-Za-z0-9]+$/);
    assert.equal((await rb.getRecycleBin(U, 'SPACE', space.id)).id, bin.id);
    const org = await rb.getRecycleBin(U, 'ORG', srv.corpId);
    assert.deepEqual([org.scope, org.scopeId], ['ORG', srv.corpId]);
    const app = await dt.getCurrentApp(U);
    const appBin = await rb.getRecycleBin(U, 'APP', app.appId);
    assert.deepEqual([appBin.scope, appBin.scopeId], ['APP', app.appId]);
    assert.notEqual(org.id, appBin.id);
  });

  it('GetRecycleBin refuses a bad scope, a missing scopeId and what is not ours', async () => {
    await expectError(rb.getRecycleBin(U, 'USER', space.id), 400, 'paramError');
    await expectError(rb.getRecycleBin(U, undefined, space.id), 400, 'paramError');
    await expectError(rb.getRecycleBin(U, 'SPACE', undefined), 400, 'paramError');
    await expectError(rb.getRecycleBin(U, 'SPACE', '999999'), 404, 'spaceNotExist');
    await expectError(rb.getRecycleBin(U, 'ORG', 'another-corp'), 403, 'permissionDenied');
    await expectError(rb.getRecycleBin(U, 'APP', 'another-app'), 403, 'permissionDenied');
  });

  it('an item has the reference shape, and the ORG and APP bins hold it too', async () => {
    const folder = await dt.addFolder(space.id, '0', U, 'shape');
    await file(folder.id, 'one.bin', 40);
    await file(folder.id, 'two.bin', 2);
    const item = await recycled(folder.id);
    assert.equal(typeof item.id, 'string');
    assert.equal(item.spaceId, space.id);
    assert.equal(item.type, 'FOLDER');
    assert.equal(item.originalName, 'shape');
    assert.equal(item.originalPath, '/shape');
    assert.equal(item.size, 42);
    assert.equal(item.operatorId, U);
    assert.match(item.operatorTime, ISO_TIME);
    const got = await rb.getRecycleItem(bin.id, item.id, U);
    assert.deepEqual({ ...got }, { ...item });
    const org = await rb.getRecycleBin(U, 'ORG', srv.corpId);
    assert.equal((await rb.getRecycleItem(org.id, item.id, U)).id, item.id);
    const app = await rb.getRecycleBin(U, 'APP', (await dt.getCurrentApp(U)).appId);
    assert.equal((await rb.getRecycleItem(app.id, item.id, U)).id, item.id);
    const otherSpace = await dt.addSpace(U, { scene: 'recycle', sceneId: '2' });
    const otherBin = await rb.getRecycleBin(U, 'SPACE', otherSpace.id);
    await expectError(rb.getRecycleItem(otherBin.id, item.id, U), 404, 'recycleItemNotExist');
  });

  it('ListRecycleItems pages newest first with nextToken', async () => {
    await rb.clearRecycleBin(bin.id, U);
    const ids = [];
    for (const name of ['p1', 'p2', 'p3']) {
      const d = await dt.addFolder(space.id, '0', U, name);
      await rb.deleteDentry(space.id, d.id, U, true);
      ids.push(d.id);
    }
    const seen = [];
    let nextToken;
    do {
      const page = await rb.listRecycleItems(bin.id, U, { maxResults: 2, nextToken });
      assert.ok(page.recycleItems.length <= 2);
      seen.push(...page.recycleItems.map((i) => i.dentryId));
      nextToken = page.nextToken;
    } while (nextToken);
    assert.deepEqual([...seen].sort(), [...ids].sort());
    await expectError(rb.listRecycleItems(bin.id, U, { maxResults: 51 }), 400, 'paramError');
    await expectError(rb.listRecycleItems(bin.id, U, { maxResults: 0 }), 400, 'paramError');
    await expectError(rb.listRecycleItems(bin.id, U, { nextToken: 'garbage' }), 400,
      'paramError');
    await expectError(rb.listRecycleItems('nobin', U), 404, 'recycleBinNotExist');
  });

  it('restores to the original place, its subtree and bytes included', async () => {
    const folder = await dt.addFolder(space.id, '0', U, 'back');
    const inner = await file(folder.id, 'inner.bin', 9);
    const before = await used();
    const item = await recycled(folder.id);
    assert.equal(await used(), before, 'recycled bytes still count');
    const r = await rb.restoreRecycleItem(bin.id, item.id, U);
    assert.deepEqual([r.async, r.spaceId, r.dentryId, r.taskId],
      [false, space.id, folder.id, undefined]);
    assert.equal((await dt.getDentry(space.id, inner.id, U)).parentId, folder.id);
    assert.equal((await dt.getDentry(space.id, folder.id, U)).name, 'back');
    await expectError(rb.getRecycleItem(bin.id, item.id, U), 404, 'recycleItemNotExist');
    await expectError(rb.restoreRecycleItem(bin.id, item.id, U), 404, 'recycleItemNotExist');
  });

  it('an occupied place follows conflictStrategy', async () => {
    const f = await file('0', 'taken.txt', 3);
    const item = await recycled(f.id);
    const twin = await file('0', 'taken.txt', 4);
    await expectError(rb.restoreRecycleItem(bin.id, item.id, U, 'RETURN_ERROR_IF_EXISTS'), 409,
      'dentryAlreadyExist');
    const kept = await rb.restoreRecycleItem(bin.id, item.id, U, 'RETURN_DENTRY_IF_EXISTS');
    assert.equal(kept.dentryId, twin.id);
    await expectError(rb.restoreRecycleItem(bin.id, item.id, U, 'MERGE'), 400, 'paramError');
    await rb.restoreRecycleItem(bin.id, item.id, U);  // AUTO_RENAME by default.
    assert.equal((await dt.getDentry(space.id, f.id, U)).name, 'taken (1).txt');
    // OVERWRITE sends the occupant to the bin rather than losing it.
    const again = await recycled(twin.id);
    const third = await file('0', 'taken.txt', 5);
    await rb.restoreRecycleItem(bin.id, again.id, U, 'OVERWRITE');
    assert.equal((await dt.getDentry(space.id, twin.id, U)).name, 'taken.txt');
    await expectError(dt.getDentry(space.id, third.id, U), 404, 'dentryNotExist');
    const { recycleItems } = await rb.listRecycleItems(bin.id, U);
    assert.ok(recycleItems.some((i) => i.dentryId === third.id));
  });

  it('an original parent that is gone is re-created along the original path', async () => {
    const a = await dt.addFolder(space.id, '0', U, 'gone-a');
    const b = await dt.addFolder(space.id, a.id, U, 'gone-b');
    const f = await file(b.id, 'orphan.bin', 6);
    const item = await recycled(f.id);
    assert.equal(item.originalPath, '/gone-a/gone-b/orphan.bin');
    await rb.deleteDentry(space.id, a.id, U);  // Permanently.
    const r = await rb.restoreRecycleItem(bin.id, item.id, U);
    assert.equal(r.dentryId, f.id);
    const back = await dt.getDentry(space.id, f.id, U);
    const parent = await dt.getDentry(space.id, back.parentId, U);
    assert.equal(parent.name, 'gone-b');
    assert.notEqual(parent.id, b.id);
    const grand = await dt.getDentry(space.id, parent.parentId, U);
    assert.deepEqual([grand.name, grand.parentId], ['gone-a', '0']);
  });

  it('RestoreRecycleItems answers each id', async () => {
    const x = await recycled((await dt.addFolder(space.id, '0', U, 'rx')).id);
    const r = await rb.restoreRecycleItems(bin.id, U, [x.id, 'nope']);
    assert.equal(r.resultItems.length, 2);
    const [ok, nope] = r.resultItems;
    assert.deepEqual([ok.recycleBinId, ok.recycleItemId, ok.spaceId, ok.dentryId, ok.success,
      ok.async], [bin.id, x.id, space.id, x.dentryId, true, false]);
    assert.deepEqual([nope.recycleItemId, nope.success, nope.errorCode],
      ['nope', false, 'recycleItemNotExist']);
    await expectError(rb.restoreRecycleItems(bin.id, U, undefined), 400, 'paramError');
    await expectError(rb.restoreRecycleItems(bin.id, U, []), 400, 'paramError');
    const many = Array.from({ length: 31 }, (_, i) => `id${i}`);
    await expectError(rb.restoreRecycleItems(bin.id, U, many), 400, 'paramError');
    await expectError(rb.restoreRecycleItems('nobin', U, [x.id]), 404, 'recycleBinNotExist');
  });

  it('DeleteRecycleItem purges: the item is gone and its bytes released', async () => {
    const f = await file('0', 'purge.bin', 77);
    const before = await used();
    const item = await recycled(f.id);
    assert.deepEqual({ ...(await rb.deleteRecycleItem(bin.id, item.id, U)) }, { success: true });
    assert.equal(await used(), before - 77);
    await expectError(rb.getRecycleItem(bin.id, item.id, U), 404, 'recycleItemNotExist');
    await expectError(rb.deleteRecycleItem(bin.id, item.id, U), 404, 'recycleItemNotExist');
    await expectError(rb.deleteRecycleItem('nobin', item.id, U), 404, 'recycleBinNotExist');
  });

  it('DeleteRecycleItems purges all or nothing', async () => {
    const f = await file('0', 'batch-purge.bin', 11);
    const item = await recycled(f.id);
    const before = await used();
    await expectError(rb.deleteRecycleItems(bin.id, U, [item.id, 'nope']), 404,
      'recycleItemNotExist');
    assert.equal((await rb.getRecycleItem(bin.id, item.id, U)).id, item.id);
    await expectError(rb.deleteRecycleItems(bin.id, U, undefined), 400, 'paramError');
    await expectError(rb.deleteRecycleItems(bin.id, U, []), 400, 'paramError');
    const many = Array.from({ length: 51 }, () => item.id);
    await expectError(rb.deleteRecycleItems(bin.id, U, many), 400, 'paramError');
    const r = await rb.deleteRecycleItems(bin.id, U, [item.id]);
    assert.equal(r.success, true);
    assert.equal(await used(), before - 11);
  });

  it('ClearRecycleBin purges every item of the bin', async () => {
    await recycled((await file('0', 'c1.bin', 5)).id);
    await recycled((await dt.addFolder(space.id, '0', U, 'c2')).id);
    const r = await rb.clearRecycleBin(bin.id, U);
    assert.equal(r.success, true);
    assert.deepEqual((await rb.listRecycleItems(bin.id, U)).recycleItems, []);
    // Every byte left is a live file's: the sum of what ListAllDentries shows.
    const all = await dt.listAllDentries(space.id, U, { maxResults: 50 });
    const live = all.dentries.reduce((n, d) => n + (d.size ?? 0), 0);
    assert.equal(await used(), live);
    await expectError(rb.clearRecycleBin('nobin', U), 404, 'recycleBinNotExist');
  });

  it('another org sees none of it', async () => {
    const item = await recycled((await dt.addFolder(space.id, '0', U, 'secret')).id);
    srv.admin(['org', 'create', '--corp-id', 'dingcorp-rb', '--name', 'Other']);
    srv.admin(['user', 'create', '--corp-id', 'dingcorp-rb', '--union-id', 'rb-user']);
    const app = srv.admin(['app', 'create', '--corp-id', 'dingcorp-rb', '--name', 'rb-app']);
    const token = (await getToken(srv.endpoint, app.appKey, app.appSecret)).accessToken;
    const s = recycle(srv.endpoint, token);
    const V = 'rb-user';
    await expectError(s.getRecycleBin(V, 'SPACE', space.id), 404, 'spaceNotExist');
    await expectError(s.getRecycleBin(V, 'ORG', srv.corpId), 403, 'permissionDenied');
    await expectError(s.listRecycleItems(bin.id, V), 404, 'recycleBinNotExist');
    await expectError(s.getRecycleItem(bin.id, item.id, V), 404, 'recycleBinNotExist');
    await expectError(s.restoreRecycleItem(bin.id, item.id, V), 404, 'recycleBinNotExist');
    await expectError(s.deleteRecycleItem(bin.id, item.id, V), 404, 'recycleBinNotExist');
    await expectError(s.clearRecycleBin(bin.id, V), 404, 'recycleBinNotExist');
    const own = await s.getRecycleBin(V, 'ORG', 'dingcorp-rb');
    await expectError(s.getRecycleItem(own.id, item.id, V), 404, 'recycleItemNotExist');
    assert.equal((await rb.getRecycleItem(bin.id, item.id, U)).id, item.id);
  });
});
