'use strict';
// CopyDentry and CopyDentries through the official SDK (reference §4.3, docs/api/dingtalk-v1.md
// "Copies"): files and folder trees, within a space and across spaces of the org, content
// shared and downloadable, usedQuota charged to the target, conflictStrategy, per-item batch
// answers, and the refusals: missing fields, more than 30 ids, foreign and unknown ids, a
// folder into its own subtree, a copy over quota. The its of the describe run in order.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startServer } = require('../lib/server');
const { getToken, dingtalk, expectError } = require('../lib/dingtalk');
const { request } = require('../lib/http');
const { assertWireDentry, assertWireError } = require('../lib/checks');
const { uploadFile, downloadFile } = require('../lib/files');
const { copyClient } = require('../lib/copy');

describe('copy: CopyDentry and CopyDentries', { timeout: 180000 }, () => {
  let srv;
  let U;
  let token;
  let dt;
  let cp;
  let space;
  let other; // a second space of the org
  let small; // quota 600 bytes
  let docs; // /docs in `space`
  let sub; // /docs/sub
  let hello; // /docs/hello.txt, 300 bytes
  let helloBytes;
  let bBytes; // /docs/sub/b.bin, 200 bytes
  let foreign; // a file of `other`

  const used = async (s) => (await dt.getSpace(s.id, U)).usedQuota;

  before(async () => {
    srv = await startServer();
    U = srv.unionId;
    token = (await getToken(srv.endpoint, srv.appKey, srv.appSecret)).accessToken;
    dt = dingtalk(srv.endpoint, token);
    cp = copyClient(srv.endpoint, token);
    space = await dt.addSpace(U, { scene: 'copy', sceneId: '1' });
    other = await dt.addSpace(U, { scene: 'copy', sceneId: '2' });
    small = await dt.addSpace(U, { scene: 'copy', sceneId: '3', quota: 600 });
    docs = await dt.addFolder(space.id, '0', U, 'docs');
    sub = await dt.addFolder(space.id, docs.id, U, 'sub');
    helloBytes = crypto.randomBytes(300);
    ({ dentry: hello } = await uploadFile(dt, space.id, U,
      { name: 'hello.txt', parentId: docs.id, bytes: helloBytes }));
    bBytes = crypto.randomBytes(200);
    await uploadFile(dt, space.id, U, { name: 'b.bin', parentId: sub.id, bytes: bBytes });
    ({ dentry: foreign } = await uploadFile(dt, other.id, U,
      { name: 'foreign.txt', parentId: '0', bytes: Buffer.from('x') }));
  });
  after(async () => {
    await srv?.stop();
  });

  it('copies a file: a new dentry, version 1, same content, charged to the space', async () => {
    const before = await used(space);
    const r = await cp.copyDentry(space.id, hello.id, U,
      { targetSpaceId: space.id, targetFolderId: '0' });
    assert.equal(r.async, false);
    assert.equal(r.taskId, undefined);
    assertWireDentry(r.dentry);
    assert.notEqual(r.dentry.id, hello.id);
    assert.notEqual(r.dentry.uuid, hello.uuid);
    assert.equal(r.dentry.name, 'hello.txt');
    assert.equal(r.dentry.parentId, '0');
    assert.equal(r.dentry.path, '/hello.txt');
    assert.equal(r.dentry.version, 1);
    assert.equal(r.dentry.size, 300);
    assert.equal(r.dentry.creatorId, U);
    const got = await downloadFile(dt, space.id, r.dentry.id, U);
    assert.equal(got.status, 200);
    assert.ok(got.body.equals(helloBytes), 'the copy downloads the source content');
    assert.equal(await used(space), before + 300);
  });

  it('copies a folder tree into another space of the org', async () => {
    const r = await cp.copyDentry(space.id, docs.id, U,
      { targetSpaceId: other.id, targetFolderId: '0' });
    assert.equal(r.async, false);
    assertWireDentry(r.dentry);
    assert.equal(r.dentry.spaceId, other.id);
    assert.equal(r.dentry.type, 'FOLDER');
    assert.equal(r.dentry.path, '/docs');
    const top = await dt.listDentries(other.id, U, { parentId: r.dentry.id, orderBy: 'NAME',
      order: 'ASC' });
    assert.deepEqual(top.dentries.map((d) => d.name), ['hello.txt', 'sub']);
    const subCopy = top.dentries[1];
    assert.notEqual(subCopy.id, sub.id);
    const below = await dt.listDentries(other.id, U, { parentId: subCopy.id });
    assert.equal(below.dentries.length, 1);
    assert.equal(below.dentries[0].path, '/docs/sub/b.bin');
    const got = await downloadFile(dt, other.id, below.dentries[0].id, U);
    assert.ok(got.body.equals(bBytes));
    assert.equal(await used(other), 1 + 500, 'the target space is charged the copied bytes');
    const src = await dt.listDentries(space.id, U, { parentId: docs.id });
    assert.equal(src.dentries.length, 2, 'the source is untouched');
  });

  it('honours conflictStrategy', async () => {
    const target = { targetSpaceId: space.id, targetFolderId: docs.id };
    const renamed = await cp.copyDentry(space.id, hello.id, U, target, 'AUTO_RENAME');
    assert.equal(renamed.dentry.name, 'hello (1).txt');
    const existing = await cp.copyDentry(space.id, hello.id, U, target,
      'RETURN_DENTRY_IF_EXISTS');
    assert.equal(existing.async, false);
    assert.equal(existing.dentry.id, hello.id);
    await expectError(cp.copyDentry(space.id, hello.id, U, target, 'RETURN_ERROR_IF_EXISTS'),
      409, 'dentryAlreadyExist');
    const over = await cp.copyDentry(space.id, renamed.dentry.id, U,
      { targetSpaceId: space.id, targetFolderId: docs.id }, 'OVERWRITE');
    assert.equal(over.dentry.id, renamed.dentry.id, 'a file over itself: a new version');
    assert.equal(over.dentry.version, 2);
    await expectError(cp.copyDentry(space.id, hello.id, U, target, 'MERGE'), 400, 'paramError');
  });

  it('CopyDentries answers each item in order', async () => {
    const r = await cp.copyDentries(space.id, U, [hello.id, '404040404040', docs.id, foreign.id],
      { targetSpaceId: space.id, targetFolderId: sub.id });
    assert.equal(r.resultItems.length, 4);
    const [ok, missing, intoItself, foreignItem] = r.resultItems;
    assert.equal(ok.spaceId, space.id);
    assert.equal(ok.dentryId, hello.id);
    assert.equal(ok.success, true);
    assert.equal(ok.async, false);
    assert.equal(ok.errorCode, undefined);
    assert.equal(ok.targetSpaceId, space.id);
    assert.equal(typeof ok.targetDentryId, 'string');
    const copied = await dt.getDentry(space.id, ok.targetDentryId, U);
    assert.equal(copied.path, '/docs/sub/hello.txt');
    for (const [item, code] of [[missing, 'dentryNotExist'], [intoItself, 'paramError'],
      [foreignItem, 'dentryNotExist']]) {
      assert.equal(item.success, false);
      assert.equal(item.errorCode, code);
      assert.equal(item.async, false);
      assert.equal(item.targetDentryId, undefined);
      assert.equal(item.targetSpaceId, undefined);
    }
  });

  it('refuses missing fields', async () => {
    await expectError(cp.copyDentry(space.id, hello.id, U, { targetFolderId: '0' }),
      400, 'paramError');
    await expectError(cp.copyDentry(space.id, hello.id, U, { targetSpaceId: space.id }),
      400, 'paramError');
    await expectError(cp.copyDentries(space.id, U, undefined,
      { targetSpaceId: space.id, targetFolderId: '0' }), 400, 'paramError');
    await expectError(cp.copyDentries(space.id, U, [hello.id], { targetFolderId: '0' }),
      400, 'paramError');
    // The same without the SDK: an empty body.
    const raw = await request(srv, {
      method: 'POST',
      path: `/v1.0/storage/spaces/${space.id}/dentries/${hello.id}/copy?unionId=${U}`,
      headers: { 'x-acs-dingtalk-access-token': token, 'content-type': 'application/json' },
      body: '{}',
    });
    assertWireError(raw, 400, 'paramError');
  });

  it('refuses more than 30 ids and an empty list', async () => {
    const ids = Array.from({ length: 31 }, () => hello.id);
    await expectError(cp.copyDentries(space.id, U, ids,
      { targetSpaceId: space.id, targetFolderId: '0' }), 400, 'paramError');
    await expectError(cp.copyDentries(space.id, U, [],
      { targetSpaceId: space.id, targetFolderId: '0' }), 400, 'paramError');
    const thirty = await cp.copyDentries(space.id, U, ids.slice(0, 30),
      { targetSpaceId: other.id, targetFolderId: '0' });
    assert.equal(thirty.resultItems.length, 30);
    assert.ok(thirty.resultItems.every((i) => i.success));
  });

  it('refuses foreign and unknown ids like missing ones', async () => {
    await expectError(cp.copyDentry(space.id, foreign.id, U,
      { targetSpaceId: space.id, targetFolderId: '0' }), 404, 'dentryNotExist');
    await expectError(cp.copyDentry(space.id, '0', U,
      { targetSpaceId: space.id, targetFolderId: '0' }), 404, 'dentryNotExist');
    await expectError(cp.copyDentry(space.id, hello.id, U,
      { targetSpaceId: '999999999999', targetFolderId: '0' }), 404, 'spaceNotExist');
    await expectError(cp.copyDentry('999999999999', hello.id, U,
      { targetSpaceId: space.id, targetFolderId: '0' }), 404, 'spaceNotExist');
    await expectError(cp.copyDentry(space.id, hello.id, U,
      { targetSpaceId: space.id, targetFolderId: foreign.id }), 404, 'parentNotExist');
  });

  it('refuses a folder into itself or its own subtree', async () => {
    for (const target of [docs.id, sub.id]) {
      await expectError(cp.copyDentry(space.id, docs.id, U,
        { targetSpaceId: space.id, targetFolderId: target }), 400, 'paramError');
    }
    await expectError(cp.copyDentry(space.id, docs.id, U,
      { targetSpaceId: space.id, targetFolderId: hello.id }), 400, 'paramError');
  });

  it('refuses a copy over quota whole, and usedQuota stays exact', async () => {
    // docs holds 300 + 200 bytes plus the copies made above: more than `small` can take.
    const before = await used(small);
    await expectError(cp.copyDentry(space.id, docs.id, U,
      { targetSpaceId: small.id, targetFolderId: '0' }), 403, 'quotaExceeded');
    assert.equal(await used(small), before);
    const listing = await dt.listDentries(small.id, U, { parentId: '0' });
    assert.equal(listing.dentries.length, 0, 'nothing of the refused copy is left');
    const one = await cp.copyDentry(space.id, hello.id, U,
      { targetSpaceId: small.id, targetFolderId: '0' });
    assert.equal(one.dentry.size, 300);
    const batch = await cp.copyDentries(space.id, U, [hello.id, hello.id],
      { targetSpaceId: small.id, targetFolderId: '0' });
    assert.equal(batch.resultItems[0].success, true, '600 of 600 bytes fit');
    assert.equal(batch.resultItems[1].success, false);
    assert.equal(batch.resultItems[1].errorCode, 'quotaExceeded');
    assert.equal(await used(small), 600);
  });
});
