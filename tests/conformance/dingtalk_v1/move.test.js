'use strict';
// RenameDentry, MoveDentry and MoveDentries through the official SDK (docs/api/dingtalk-v1.md,
// "Rename and move"): paths below a renamed or moved folder change at once, a folder never
// goes into its own subtree, the root is never renamed or moved, a move to another space
// carries the bytes, and every bad input gets its documented error.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startServer } = require('../lib/server');
const {
  Storage, getToken, dingtalk, expectError, runtime,
} = require('../lib/dingtalk');
const { assertWireDentry } = require('../lib/checks');
const { uploadFile, downloadFile } = require('../lib/files');

describe('rename and move', { timeout: 180000 }, () => {
  let srv;
  let U;
  let dt;
  let token;
  let space;
  let other;

  const headers = (Cls) => new Cls({ xAcsDingtalkAccessToken: token });

  async function rename(spaceId, dentryId, newName) {
    const r = await dt.client.renameDentryWithOptions(spaceId, dentryId,
      new Storage.RenameDentryRequest({ unionId: U, newName }),
      headers(Storage.RenameDentryHeaders), runtime());
    return r.body;
  }
  async function move(spaceId, dentryId, fields, option) {
    const req = new Storage.MoveDentryRequest({ unionId: U, ...fields });
    if (option !== undefined) req.option = new Storage.MoveDentryRequestOption(option);
    const r = await dt.client.moveDentryWithOptions(spaceId, dentryId, req,
      headers(Storage.MoveDentryHeaders), runtime());
    return r.body;
  }
  async function moveMany(spaceId, fields, option) {
    const req = new Storage.MoveDentriesRequest({ unionId: U, ...fields });
    if (option !== undefined) req.option = new Storage.MoveDentriesRequestOption(option);
    const r = await dt.client.moveDentriesWithOptions(spaceId, req,
      headers(Storage.MoveDentriesHeaders), runtime());
    return r.body;
  }
  const path = async (spaceId, id) => (await dt.getDentry(spaceId, id, U)).path;

  before(async () => {
    srv = await startServer();
    U = srv.unionId;
    token = (await getToken(srv.endpoint, srv.appKey, srv.appSecret)).accessToken;
    dt = dingtalk(srv.endpoint, token);
    space = await dt.addSpace(U, { scene: 'move', sceneId: '1' });
    other = await dt.addSpace(U, { scene: 'move', sceneId: '2', quota: 1000 });
  });
  after(async () => {
    await srv?.stop();
  });

  it('renaming a folder changes every path below it, and the reply is a plain Dentry',
    async () => {
      const a = await dt.addFolder(space.id, '0', U, 'a');
      const b = await dt.addFolder(space.id, a.id, U, 'b');
      const { dentry: f } = await uploadFile(dt, space.id, U,
        { name: 'f.txt', parentId: b.id, bytes: Buffer.from('deep') });
      assert.equal(await path(space.id, f.id), '/a/b/f.txt'); // Cached from here on.
      const body = await rename(space.id, a.id, ' Renamed ');
      assertWireDentry(body.dentry);
      assert.equal(body.dentry.name, 'Renamed');
      assert.equal(body.dentry.path, '/Renamed');
      assert.equal(body.dentry.thumbnail, undefined);
      assert.equal(await path(space.id, f.id), '/Renamed/b/f.txt');
      const listed = await dt.listDentries(space.id, U, { parentId: b.id });
      assert.equal(listed.dentries[0].path, '/Renamed/b/f.txt');
      const all = await dt.listAllDentries(space.id, U, { maxResults: 50 });
      assert.ok(all.dentries.some((d) => d.path === '/Renamed/b/f.txt'));
      const renamedFile = await rename(space.id, f.id, 'notes.md');
      assert.equal(renamedFile.dentry.extension, 'md');
      assert.equal(renamedFile.dentry.path, '/Renamed/b/notes.md');
    });

  it('RenameDentry refuses bad input', async () => {
    const x = await dt.addFolder(space.id, '0', U, 'x');
    await dt.addFolder(space.id, '0', U, 'y');
    await expectError(rename(space.id, x.id, undefined), 400, 'paramError');
    await expectError(rename(space.id, x.id, 'a/b'), 400, 'paramError.name');
    await expectError(rename(space.id, x.id, 'y'), 409, 'dentryAlreadyExist');
    await expectError(rename(space.id, '0', 'root'), 400, 'paramError');
    await expectError(rename(space.id, '404040404040', 'z'), 404, 'dentryNotExist');
    await expectError(rename(other.id, x.id, 'z'), 404, 'dentryNotExist');
  });

  it('moving a folder moves its subtree with one answer, async false', async () => {
    const src = await dt.addFolder(space.id, '0', U, 'src');
    const deep = await dt.addFolder(space.id, src.id, U, 'deep');
    const dst = await dt.addFolder(space.id, '0', U, 'dst');
    const body = await move(space.id, src.id,
      { targetSpaceId: space.id, targetFolderId: dst.id },
      { conflictStrategy: 'AUTO_RENAME', presevePermissions: false });
    assert.equal(body.async, false);
    assert.equal(body.taskId, undefined);
    assertWireDentry(body.dentry);
    assert.equal(body.dentry.parentId, dst.id);
    assert.equal(body.dentry.path, '/dst/src');
    assert.equal(await path(space.id, deep.id), '/dst/src/deep');
  });

  it('MoveDentry refuses the root, cycles, files as targets and foreign ids', async () => {
    const p = await dt.addFolder(space.id, '0', U, 'p');
    const q = await dt.addFolder(space.id, p.id, U, 'q');
    const r = await dt.addFolder(space.id, q.id, U, 'r');
    const { dentry: file } = await uploadFile(dt, space.id, U,
      { name: 'p.txt', parentId: '0', bytes: Buffer.from('p') });
    const to = (folder, sp = space.id) => ({ targetSpaceId: sp, targetFolderId: folder });
    await expectError(move(space.id, p.id, { targetSpaceId: space.id }), 400, 'paramError');
    await expectError(move(space.id, p.id, { targetFolderId: '0' }), 400, 'paramError');
    await expectError(move(space.id, '0', to(p.id)), 400, 'paramError');
    await expectError(move(space.id, p.id, to(p.id)), 400, 'paramError');
    await expectError(move(space.id, p.id, to(r.id)), 400, 'paramError');
    await expectError(move(space.id, p.id, to(file.id)), 400, 'paramError');
    await expectError(move(space.id, p.id, to('404040404040')), 404, 'parentNotExist');
    await expectError(move(other.id, p.id, to('0', other.id)), 404, 'dentryNotExist');
    await expectError(move(space.id, p.id, to('0', '404040404040')), 404, 'spaceNotExist');
    await expectError(move(space.id, p.id, to('0'), { conflictStrategy: 'MERGE' }), 400,
      'paramError');
    assert.equal(await path(space.id, r.id), '/p/q/r', 'nothing moved');
  });

  it('conflictStrategy on a move: auto-rename, error, existing, overwrite renames', async () => {
    const box = await dt.addFolder(space.id, '0', U, 'box');
    const inner = await dt.addFolder(space.id, box.id, U, 'k');
    const k1 = await dt.addFolder(space.id, '0', U, 'k');
    const to = { targetSpaceId: space.id, targetFolderId: box.id };
    await expectError(move(space.id, k1.id, to, { conflictStrategy: 'RETURN_ERROR_IF_EXISTS' }),
      409, 'dentryAlreadyExist');
    const existing = await move(space.id, k1.id, to,
      { conflictStrategy: 'RETURN_DENTRY_IF_EXISTS' });
    assert.equal(existing.dentry.id, inner.id);
    const over = await move(space.id, k1.id, to, { conflictStrategy: 'OVERWRITE' });
    assert.equal(over.dentry.id, k1.id);
    assert.equal(over.dentry.name, 'k (1)');
    assert.equal((await dt.getDentry(space.id, inner.id, U)).name, 'k', 'never overwritten');
  });

  it('a move to another space carries the bytes and checks the target quota', async () => {
    const bytes = crypto.randomBytes(300);
    const pack = await dt.addFolder(space.id, '0', U, 'pack');
    const { dentry: f } = await uploadFile(dt, space.id, U,
      { name: 'blob.bin', parentId: pack.id, bytes });
    const before = (await dt.getSpace(space.id, U)).usedQuota;
    const body = await move(space.id, pack.id, { targetSpaceId: other.id, targetFolderId: '0' });
    assert.equal(body.dentry.spaceId, other.id);
    assert.equal((await dt.getSpace(space.id, U)).usedQuota, before - 300);
    assert.equal((await dt.getSpace(other.id, U)).usedQuota, 300);
    const moved = await dt.getDentry(other.id, f.id, U);
    assert.equal(moved.path, '/pack/blob.bin');
    await expectError(dt.getDentry(space.id, f.id, U), 404, 'dentryNotExist');
    const got = await downloadFile(dt, other.id, f.id, U);
    assert.equal(got.status, 200);
    assert.ok(got.body.equals(bytes));

    const { dentry: big } = await uploadFile(dt, space.id, U,
      { name: 'big.bin', parentId: '0', bytes: crypto.randomBytes(701) });
    await expectError(move(space.id, big.id, { targetSpaceId: other.id, targetFolderId: '0' }),
      403, 'quotaExceeded');
    assert.equal((await dt.getSpace(other.id, U)).usedQuota, 300, 'nothing charged');
  });

  it('a move across spaces of more than 1,000 dentries runs as a task', async () => {
    const big = await dt.addFolder(space.id, '0', U, 'big');
    const ids = [];
    for (let i = 0; i < 1000; i += 25) {
      const batch = await Promise.all(Array.from({ length: 25 },
        (_, j) => dt.addFolder(space.id, big.id, U, `sub-${i + j}`)));
      ids.push(...batch.map((d) => d.id));
    }
    const target = await dt.addSpace(U, { scene: 'move', sceneId: '3' });
    const body = await move(space.id, big.id, { targetSpaceId: target.id, targetFolderId: '0' });
    assert.equal(body.async, true);
    assert.equal(typeof body.taskId, 'string');
    let task;
    for (let i = 0; i < 400; ++i) {
      const r = await dt.client.getTaskWithOptions(body.taskId,
        new Storage.GetTaskRequest({ unionId: U }), headers(Storage.GetTaskHeaders), runtime());
      task = r.body.task;
      if (task.status === 'SUCCESS' || task.status === 'FAIL') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(task.status, 'SUCCESS', JSON.stringify(task));
    assert.equal(task.totalCount, 1001);
    assert.equal(await path(target.id, ids[999]), '/big/sub-999');
    await expectError(dt.getDentry(space.id, ids[0], U), 404, 'dentryNotExist');
    // Within a space the same tree moves inline: one row.
    const inline = await move(target.id, big.id, { targetSpaceId: target.id,
      targetFolderId: (await dt.addFolder(target.id, '0', U, 'into')).id });
    assert.equal(inline.async, false);
    assert.equal(await path(target.id, ids[3]), '/into/big/sub-3');
  });

  it('MoveDentries answers each item and refuses bad lists', async () => {
    const bin = await dt.addFolder(space.id, '0', U, 'bin');
    const m1 = await dt.addFolder(space.id, '0', U, 'm1');
    const to = { targetSpaceId: space.id, targetFolderId: bin.id };
    const body = await moveMany(space.id,
      { dentryIds: [m1.id, '404040404040', bin.id, '0'], ...to },
      { conflictStrategy: 'AUTO_RENAME', preservePermissions: true });
    const items = body.resultItems;
    assert.equal(items.length, 4);
    assert.equal(items[0].success, true);
    assert.equal(items[0].async, false);
    assert.equal(items[0].targetSpaceId, space.id);
    assert.equal(items[0].targetDentryId, m1.id);
    assert.equal(items[1].success, false);
    assert.equal(items[1].errorCode, 'dentryNotExist');
    assert.equal(items[1].targetDentryId, undefined);
    assert.equal(items[2].errorCode, 'paramError', 'a folder into itself');
    assert.equal(items[3].errorCode, 'paramError', 'the root');
    assert.equal(await path(space.id, m1.id), '/bin/m1');

    await expectError(moveMany(space.id, { ...to }), 400, 'paramError');
    await expectError(moveMany(space.id, { dentryIds: [], ...to }), 400, 'paramError');
    const many = Array.from({ length: 31 }, (_, i) => String(100000000000 + i));
    await expectError(moveMany(space.id, { dentryIds: many, ...to }), 400, 'paramError');
    await expectError(moveMany(space.id, { dentryIds: [m1.id], targetSpaceId: space.id }), 400,
      'paramError');
  });
});
