'use strict';
// DeleteDentry and DeleteDentries (reference §4.3) through the official SDK: permanent deletion
// by default (rows gone, usedQuota released), toRecycleBin in the query for the single call and
// in the body for the batch, per-item resultItems, and every refusal: the root, unknown and
// foreign ids, missing or too many ids, another org's token.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startServer } = require('../lib/server');
const { getToken, dingtalk, expectError } = require('../lib/dingtalk');
const { recycle } = require('../lib/recycle');
const { uploadFile } = require('../lib/files');

describe('DeleteDentry and DeleteDentries', { timeout: 120000 }, () => {
  let srv;
  let U;
  let dt;
  let rb;
  let space;
  let other;

  const used = async (id) => (await dt.getSpace(id, U)).usedQuota;
  const file = async (spaceId, parentId, name, size) => (await uploadFile(dt, spaceId, U,
    { name, parentId, bytes: crypto.randomBytes(size) })).dentry;
  const items = async (spaceId) => {
    const bin = await rb.getRecycleBin(U, 'SPACE', spaceId);
    return (await rb.listRecycleItems(bin.id, U)).recycleItems;
  };

  before(async () => {
    srv = await startServer();
    U = srv.unionId;
    const token = (await getToken(srv.endpoint, srv.appKey, srv.appSecret)).accessToken;
    dt = dingtalk(srv.endpoint, token);
    rb = recycle(srv.endpoint, token);
    space = await dt.addSpace(U, { scene: 'delete', sceneId: '1' });
    other = await dt.addSpace(U, { scene: 'delete', sceneId: '2' });
  });
  after(async () => {
    await srv?.stop();
  });

  it('deletes permanently by default: the subtree is gone and its bytes released', async () => {
    const folder = await dt.addFolder(space.id, '0', U, 'perm');
    const sub = await dt.addFolder(space.id, folder.id, U, 'sub');
    const a = await file(space.id, folder.id, 'a.bin', 100);
    const b = await file(space.id, sub.id, 'b.bin', 50);
    const before = await used(space.id);
    const r = await rb.deleteDentry(space.id, folder.id, U);
    assert.equal(r.async, false);
    assert.equal(r.taskId, undefined);
    assert.equal(await used(space.id), before - 150);
    for (const id of [folder.id, sub.id, a.id, b.id]) {
      await expectError(dt.getDentry(space.id, id, U), 404, 'dentryNotExist');
    }
    assert.equal((await items(space.id)).length, 0, 'nothing went to the recycle bin');
  });

  it('toRecycleBin=true (query) recycles and keeps the bytes counted', async () => {
    const f = await file(space.id, '0', 'recycled.bin', 64);
    const before = await used(space.id);
    const r = await rb.deleteDentry(space.id, f.id, U, true);
    assert.equal(r.async, false);
    assert.equal(r.taskId, undefined);
    await expectError(dt.getDentry(space.id, f.id, U), 404, 'dentryNotExist');
    assert.equal(await used(space.id), before);
    const list = await items(space.id);
    assert.equal(list.length, 1);
    assert.equal(list[0].dentryId, f.id);
    assert.equal(list[0].originalPath, '/recycled.bin');
    const listing = await dt.listDentries(space.id, U, { parentId: '0' });
    assert.ok(!listing.dentries.some((d) => d.id === f.id), 'recycled file still listed');
  });

  it('toRecycleBin=false deletes permanently', async () => {
    const f = await file(space.id, '0', 'explicit.bin', 10);
    const before = await used(space.id);
    await rb.deleteDentry(space.id, f.id, U, false);
    assert.equal(await used(space.id), before - 10);
  });

  it('refuses the root, unknown ids and ids of another space', async () => {
    await expectError(rb.deleteDentry(space.id, '0', U), 400, 'paramError');
    await expectError(rb.deleteDentry(space.id, '0', U, true), 400, 'paramError');
    await expectError(rb.deleteDentry(space.id, '424242424242', U), 404, 'dentryNotExist');
    const elsewhere = await dt.addFolder(other.id, '0', U, 'elsewhere');
    await expectError(rb.deleteDentry(space.id, elsewhere.id, U), 404, 'dentryNotExist');
    assert.equal((await dt.getDentry(other.id, elsewhere.id, U)).id, elsewhere.id);
    await expectError(rb.deleteDentry('999999', elsewhere.id, U), 404, 'spaceNotExist');
  });

  it('DeleteDentries answers each id, with toRecycleBin in the body', async () => {
    const x = await dt.addFolder(space.id, '0', U, 'batch-x');
    const y = await file(space.id, '0', 'batch-y.bin', 20);
    const elsewhere = await dt.addFolder(other.id, '0', U, 'batch-elsewhere');
    const r = await rb.deleteDentries(space.id, U, [x.id, y.id, 'nope', '0', elsewhere.id], true);
    assert.equal(r.resultItems.length, 5);
    const [okX, okY, nope, root, foreign] = r.resultItems;
    for (const ok of [okX, okY]) {
      assert.equal(ok.spaceId, space.id);
      assert.equal(ok.success, true);
      assert.equal(ok.async, false);
      assert.equal(ok.errorCode, undefined);
    }
    assert.equal(okX.dentryId, x.id);
    assert.deepEqual([nope.success, nope.errorCode], [false, 'dentryNotExist']);
    assert.deepEqual([root.success, root.errorCode], [false, 'paramError']);
    assert.deepEqual([foreign.success, foreign.errorCode], [false, 'dentryNotExist']);
    const ids = (await items(space.id)).map((i) => i.dentryId);
    assert.ok(ids.includes(x.id) && ids.includes(y.id));
    assert.equal((await dt.getDentry(other.id, elsewhere.id, U)).id, elsewhere.id);
  });

  it('DeleteDentries without option deletes permanently', async () => {
    const f = await file(space.id, '0', 'batch-perm.bin', 30);
    const before = await used(space.id);
    const r = await rb.deleteDentries(space.id, U, [f.id]);
    assert.equal(r.resultItems[0].success, true);
    assert.equal(await used(space.id), before - 30);
  });

  it('DeleteDentries refuses a missing, empty or too long id list', async () => {
    await expectError(rb.deleteDentries(space.id, U, undefined, true), 400, 'paramError');
    await expectError(rb.deleteDentries(space.id, U, [], true), 400, 'paramError');
    const ids = Array.from({ length: 51 }, (_, i) => String(i + 1));
    await expectError(rb.deleteDentries(space.id, U, ids, true), 400, 'paramError');
    const fifty = await rb.deleteDentries(space.id, U, ids.slice(0, 50), true);
    assert.equal(fifty.resultItems.length, 50);
  });

  it('another org sees neither the space nor its dentries', async () => {
    srv.admin(['org', 'create', '--corp-id', 'dingcorp-del', '--name', 'Other']);
    srv.admin(['user', 'create', '--corp-id', 'dingcorp-del', '--union-id', 'del-user']);
    const app = srv.admin(['app', 'create', '--corp-id', 'dingcorp-del', '--name', 'del-app']);
    const token = (await getToken(srv.endpoint, app.appKey, app.appSecret)).accessToken;
    const stranger = recycle(srv.endpoint, token);
    const f = await dt.addFolder(space.id, '0', U, 'guarded');
    await expectError(stranger.deleteDentry(space.id, f.id, 'del-user'), 404, 'spaceNotExist');
    await expectError(stranger.deleteDentries(space.id, 'del-user', [f.id]), 404,
      'spaceNotExist');
    assert.equal((await dt.getDentry(space.id, f.id, U)).id, f.id);
  });
});
