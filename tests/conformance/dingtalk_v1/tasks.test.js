'use strict';
// Async copies and GetTask through the official SDK (reference §4.3 "async", §4.11; docs/api/
// dingtalk-v1.md "Tasks"): a folder of more than 1000 dentries copies as a task, CopyDentry
// answers async + taskId, CopyDentries names the new root before the task ran, getTaskWithOptions
// reports the task until SUCCESS with its counts and times, the copy is then complete, and
// usedQuota is charged once it is. Unknown task ids and another app's tasks are 404.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startServer } = require('../lib/server');
const { getToken, dingtalk, expectError } = require('../lib/dingtalk');
const { assertIsoTime } = require('../lib/checks');
const { uploadFile } = require('../lib/files');
const { copyClient, seedFolder } = require('../lib/copy');

describe('tasks: async copies and GetTask', { timeout: 240000 }, () => {
  let srv;
  let U;
  let token;
  let dt;
  let cp;
  let space;
  let other;
  let big; // /big: 1000 folders and one 400-byte file, 1002 dentries

  before(async () => {
    srv = await startServer();
    U = srv.unionId;
    token = (await getToken(srv.endpoint, srv.appKey, srv.appSecret)).accessToken;
    dt = dingtalk(srv.endpoint, token);
    cp = copyClient(srv.endpoint, token);
    space = await dt.addSpace(U, { scene: 'tasks', sceneId: '1' });
    other = await dt.addSpace(U, { scene: 'tasks', sceneId: '2' });
    big = await seedFolder(dt, space.id, '0', U, 'big', 1000);
    await uploadFile(dt, space.id, U,
      { name: 'data.bin', parentId: big.id, bytes: crypto.randomBytes(400) });
  });
  after(async () => {
    await srv?.stop();
  });

  it('CopyDentry of a big folder answers async and the task reaches SUCCESS', async () => {
    const r = await cp.copyDentry(space.id, big.id, U,
      { targetSpaceId: other.id, targetFolderId: '0' });
    assert.equal(r.async, true);
    assert.equal(typeof r.taskId, 'string');
    assert.ok(r.taskId.length > 0);
    assert.equal(r.dentry, undefined, 'an async copy has no dentry yet');
    const first = await cp.getTask(r.taskId, U);
    assert.equal(first.id, r.taskId);
    assert.ok(['INIT', 'IN_PROGRESS', 'SUCCESS'].includes(first.status), first.status);
    assert.equal(first.totalCount, 1002);

    const task = await cp.waitTask(r.taskId, U);
    assert.equal(task.status, 'SUCCESS', JSON.stringify(task));
    assert.equal(task.totalCount, 1002);
    assert.equal(task.successCount, 1002);
    assert.equal(task.failCount, 0);
    assert.equal(task.failMessage, undefined);
    assertIsoTime(task.beginTime, 'task.beginTime');
    assertIsoTime(task.endTime, 'task.endTime');
    assert.ok(Date.parse(task.endTime) >= Date.parse(task.beginTime));

    const root = await dt.listDentries(other.id, U, { parentId: '0' });
    assert.deepEqual(root.dentries.map((d) => d.name), ['big']);
    let count = 0;
    let nextToken;
    do {
      const page = await dt.listDentries(other.id, U,
        { parentId: root.dentries[0].id, maxResults: 50, nextToken });
      count += page.dentries.length;
      nextToken = page.nextToken;
    } while (nextToken);
    assert.equal(count, 1001, 'every child was copied');
    assert.equal((await dt.getSpace(other.id, U)).usedQuota, 400);
  });

  it('CopyDentries names the new root of an async item before it exists', async () => {
    const r = await cp.copyDentries(space.id, U, [big.id],
      { targetSpaceId: space.id, targetFolderId: '0' });
    const [item] = r.resultItems;
    assert.equal(item.async, true);
    assert.equal(item.success, undefined, 'async items carry no success');
    assert.equal(item.errorCode, undefined);
    assert.equal(item.spaceId, space.id);
    assert.equal(item.dentryId, big.id);
    assert.equal(item.targetSpaceId, space.id);
    assert.equal(typeof item.targetDentryId, 'string');
    const task = await cp.waitTask(item.taskId, U);
    assert.equal(task.status, 'SUCCESS');
    const copy = await dt.getDentry(space.id, item.targetDentryId, U);
    assert.equal(copy.name, 'big (1)');
    assert.equal(copy.path, '/big (1)');
    assert.equal((await dt.getSpace(space.id, U)).usedQuota, 800);
  });

  it('an unknown task id is 404 taskNotExist', async () => {
    await expectError(cp.getTask('nosuchtask', U), 404, 'taskNotExist');
    await expectError(cp.getTask('0', U), 404, 'taskNotExist');
  });

  it("another app's task is 404 like an unknown one", async () => {
    const r = await cp.copyDentry(space.id, big.id, U,
      { targetSpaceId: other.id, targetFolderId: '0' });
    assert.equal(r.async, true);
    const created = srv.admin(['app', 'create', '--corp-id', srv.corpId, '--name', 'Peer']);
    const peerToken = (await getToken(srv.endpoint, created.appKey, created.appSecret))
      .accessToken;
    await expectError(copyClient(srv.endpoint, peerToken).getTask(r.taskId, U),
      404, 'taskNotExist');
    assert.equal((await cp.waitTask(r.taskId, U)).status, 'SUCCESS');
  });
});
