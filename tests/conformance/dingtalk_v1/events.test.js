'use strict';
// SubscribeEvent and UnsubscribeEvent (reference §4.13) through the official SDK against the
// real binary, with the bad inputs the issue names (an unknown scope, another org's scopeId, a
// token without Storage.Event.Write), and the event log (GET /v1.0/storage/events, our
// extension, over raw HTTP since the SDK has no method for it): after a scripted sequence of
// SDK calls, every event in order with its data (docs/events.md, docs/api/dingtalk-v1.md
// "Events").

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const {
  Storage, getToken, dingtalk, expectError, storageClient, runtime,
} = require('../lib/dingtalk');
const { permissions } = require('../lib/permissions');
const { recycle } = require('../lib/recycle');
const { uploadFile } = require('../lib/files');
const { request } = require('../lib/http');
const { assertIsoTime } = require('../lib/checks');

describe('events', { timeout: 120000 }, () => {
  let srv;
  let U;
  let token;
  let dt;
  const B = 'events-grantee';

  before(async () => {
    srv = await startServer();
    U = srv.unionId;
    srv.admin(['user', 'create', '--corp-id', srv.corpId, '--union-id', B]);
    token = (await getToken(srv.endpoint, srv.appKey, srv.appSecret)).accessToken;
    dt = dingtalk(srv.endpoint, token);
  });
  after(async () => {
    await srv?.stop();
  });

  // The two calls through the SDK's own models, with `tok` in the header.
  const sdk = (tok) => {
    const client = storageClient(srv.endpoint);
    return {
      subscribe: async (scope, scopeId, unionId = U) => (await client.subscribeEventWithOptions(
        new Storage.SubscribeEventRequest({ unionId, scope, scopeId }),
        new Storage.SubscribeEventHeaders({ xAcsDingtalkAccessToken: tok }), runtime())).body,
      unsubscribe: async (scope, scopeId, unionId = U) => (
        await client.unsubscribeEventWithOptions(
          new Storage.UnsubscribeEventRequest({ unionId, scope, scopeId }),
          new Storage.UnsubscribeEventHeaders({ xAcsDingtalkAccessToken: tok }), runtime())).body,
    };
  };
  const log = async (tok, query = '') => {
    const r = await request(srv, {
      method: 'GET',
      path: `/v1.0/storage/events?unionId=${U}${query}`,
      headers: { 'x-acs-dingtalk-access-token': tok },
    });
    return r;
  };
  // Every event after `cursor`, page by page; and the cursor at the end.
  const readAll = async (tok, cursor, maxResults = 3) => {
    const events = [];
    for (;;) {
      const r = await log(tok, `&maxResults=${maxResults}&cursor=${cursor}`);
      assert.equal(r.status, 200, r.text);
      assert.equal(typeof r.json.nextCursor, 'string');
      assert.equal(typeof r.json.hasMore, 'boolean');
      events.push(...r.json.events);
      cursor = r.json.nextCursor;
      if (!r.json.hasMore) return { events, cursor };
    }
  };

  it('refuses an unknown scope, a missing scopeId and another org\'s id', async () => {
    const s = sdk(token);
    await expectError(s.subscribe('DEPT', srv.corpId), 400, 'paramError');
    await expectError(s.subscribe('org', srv.corpId), 400, 'paramError');
    await expectError(s.subscribe(undefined, srv.corpId), 400, 'paramError');
    await expectError(s.subscribe('ORG', undefined), 400, 'paramError');
    await expectError(s.unsubscribe('TEAM', srv.corpId), 400, 'paramError');
    srv.admin(['org', 'create', '--corp-id', 'dingcorp-events', '--name', 'Other']);
    await expectError(s.subscribe('ORG', 'dingcorp-events'), 403, 'permissionDenied');
    await expectError(s.subscribe('ORG', 'dingcorp-nowhere'), 403, 'permissionDenied');
    await expectError(s.unsubscribe('ORG', 'dingcorp-events'), 403, 'permissionDenied');
    // A space of another org is one this token cannot see.
    const otherApp = srv.admin(['app', 'create', '--corp-id', 'dingcorp-events', '--name', 'o']);
    srv.admin(['user', 'create', '--corp-id', 'dingcorp-events', '--union-id', 'events-o']);
    const otherToken = (await getToken(srv.endpoint, otherApp.appKey, otherApp.appSecret))
      .accessToken;
    const foreign = await dingtalk(srv.endpoint, otherToken)
      .addSpace('events-o', { scene: 'ev', sceneId: 'foreign' });
    await expectError(s.subscribe('SPACE', foreign.id), 404, 'spaceNotExist');
    await expectError(s.subscribe('SPACE', '999999'), 404, 'spaceNotExist');
    // A space the user has no role in.
    const mine = await dt.addSpace(U, { scene: 'ev', sceneId: 'private' });
    await expectError(s.subscribe('SPACE', mine.id, B), 403, 'permissionDenied');
  });

  it('needs Storage.Event.Write on the token', async () => {
    const app = srv.admin(['app', 'create', '--corp-id', srv.corpId, '--name', 'no-events',
      '--scopes', 'Storage.Space.Read,Storage.File.Read']);
    const tok = (await getToken(srv.endpoint, app.appKey, app.appSecret)).accessToken;
    for (const call of [() => sdk(tok).subscribe('ORG', srv.corpId),
      () => sdk(tok).unsubscribe('ORG', srv.corpId)]) {
      const err = await expectError(call(), 403,
        'Forbidden.AccessDenied.AccessTokenPermissionDenied');
      assert.deepEqual([...err.accessDeniedDetail.requiredScopes], ['Storage.Event.Write']);
    }
    const r = await log(tok);
    assert.equal(r.status, 403);
    assert.equal(r.json.code, 'Forbidden.AccessDenied.AccessTokenPermissionDenied');
    assert.deepEqual(r.json.accessdenieddetail.requiredScopes, ['Storage.Event.Write']);
  });

  it('subscribes idempotently; unsubscribing what is not subscribed succeeds', async () => {
    const s = sdk(token);
    const space = await dt.addSpace(U, { scene: 'ev', sceneId: 'idem' });
    assert.deepEqual({ ...(await s.subscribe('SPACE', space.id)) }, { success: true });
    assert.deepEqual({ ...(await s.subscribe('SPACE', space.id)) }, { success: true });
    assert.deepEqual({ ...(await s.unsubscribe('SPACE', space.id)) }, { success: true });
    assert.deepEqual({ ...(await s.unsubscribe('SPACE', space.id)) }, { success: true });
    assert.deepEqual({ ...(await s.unsubscribe('SPACE', 'never-was')) }, { success: true });
  });

  it('logs every change of a scripted sequence, in order', async () => {
    const app = srv.admin(['app', 'create', '--corp-id', srv.corpId, '--name', 'listener']);
    const tok = (await getToken(srv.endpoint, app.appKey, app.appSecret)).accessToken;
    assert.equal((await sdk(tok).subscribe('ORG', srv.corpId)).success, true);
    const start = await readAll(tok, '');
    assert.ok(start.events.length > 0, 'the history of the org is readable');

    const rb = recycle(srv.endpoint, token);
    const pm = permissions(srv.endpoint, token);
    const space = await dt.addSpace(U, { name: 'events', scene: 'ev', sceneId: 'script' });
    const folder = await dt.addFolder(space.id, '0', U, 'docs');
    const { dentry: file } = await uploadFile(dt, space.id, U,
      { name: 'a.txt', parentId: '0', bytes: Buffer.from('hello') });
    await uploadFile(dt, space.id, U, {
      name: 'a.txt', parentId: '0', bytes: Buffer.from('hello world'), overwriteDentryId: file.id,
    });
    await dt.client.renameDentryWithOptions(space.id, file.id,
      new Storage.RenameDentryRequest({ unionId: U, newName: 'b.txt' }),
      new Storage.RenameDentryHeaders({ xAcsDingtalkAccessToken: token }), runtime());
    await dt.client.moveDentryWithOptions(space.id, file.id,
      new Storage.MoveDentryRequest({ unionId: U, targetSpaceId: space.id,
        targetFolderId: folder.id }),
      new Storage.MoveDentryHeaders({ xAcsDingtalkAccessToken: token }), runtime());
    await dt.revertDentryVersion(space.id, file.id, 1, U);
    await pm.addPermission(space.id, folder.id, U, 'READER', [{ type: 'USER', id: B }]);
    await pm.deletePermission(space.id, folder.id, U, 'READER', [{ type: 'USER', id: B }]);
    await rb.deleteDentry(space.id, folder.id, U, true);
    const bin = await rb.getRecycleBin(U, 'SPACE', space.id);
    const items = (await rb.listRecycleItems(bin.id, U)).recycleItems;
    assert.equal(items.length, 1);
    await rb.restoreRecycleItem(bin.id, items[0].id, U);
    await rb.deleteDentry(space.id, folder.id, U, false);

    const { events, cursor } = await readAll(tok, start.cursor);
    assert.deepEqual(events.map((e) => [e.type, e.dentryId]), [
      ['space.created', undefined],
      ['dentry.created', folder.id],
      ['dentry.created', file.id],
      ['dentry.updated', file.id],
      ['dentry.renamed', file.id],
      ['dentry.moved', file.id],
      ['dentry.reverted', file.id],
      ['permission.added', folder.id],
      ['permission.deleted', folder.id],
      ['dentry.deleted', folder.id],
      ['dentry.restored', folder.id],
      ['dentry.deleted', folder.id],
    ]);
    const first = Number(start.cursor.slice(1));
    const ids = new Set();
    events.forEach((e, i) => {
      assert.equal(e.seq, first + i + 1, 'seq numbers follow one another');
      assert.equal(e.corpId, srv.corpId);
      assert.equal(e.spaceId, space.id);
      assert.equal(e.operatorId, U);
      assert.equal(typeof e.eventId, 'string');
      ids.add(e.eventId);
      assertIsoTime(e.time.replace(/\.\d{3}Z$/, 'Z'), 'time');
      assert.equal(typeof e.data, 'object');
    });
    assert.equal(ids.size, events.length, 'event ids are unique');
    assert.deepEqual(events[0].data, {
      name: 'events', ownerType: 'USER', ownerId: U, scene: 'ev', sceneId: 'script',
      disabled: false,
    });
    assert.deepEqual(events[1].data, { name: 'docs', type: 'FOLDER', parentId: '0' });
    assert.deepEqual(events[2].data,
      { name: 'a.txt', type: 'FILE', parentId: '0', size: 5, version: 1 });
    assert.deepEqual(events[3].data,
      { name: 'a.txt', type: 'FILE', parentId: '0', size: 11, version: 2 });
    assert.equal(events[4].data.name, 'b.txt');
    assert.equal(events[4].data.oldName, 'a.txt');
    assert.equal(events[5].data.parentId, folder.id);
    assert.equal(events[5].data.oldParentId, '0');
    assert.equal(events[5].data.oldSpaceId, space.id);
    assert.deepEqual([events[6].data.version, events[6].data.size, events[6].data.revertedFrom],
      [3, 5, 1]);
    assert.deepEqual(events[7].data, { memberType: 'USER', memberId: B, role: 'READER' });
    assert.deepEqual(events[8].data, { memberType: 'USER', memberId: B, role: 'READER' });
    assert.equal(events[9].data.toRecycleBin, true);
    assert.equal(events[9].data.recycleItemId, items[0].id);
    assert.equal(events[10].data.recycleItemId, items[0].id);
    assert.equal(events[11].data.toRecycleBin, false);

    // Caught up: the cursor stays, nothing repeats; a SPACE subscriber of another app sees only
    // its space.
    const again = await readAll(tok, cursor);
    assert.deepEqual(again, { events: [], cursor });
    const other = await dt.addSpace(U, { scene: 'ev', sceneId: 'unwatched' });
    await dt.addFolder(other.id, '0', U, 'elsewhere');
    assert.equal((await sdk(tok).unsubscribe('ORG', srv.corpId)).success, true);
    assert.equal((await sdk(tok).subscribe('SPACE', space.id)).success, true);
    const spaceOnly = await readAll(tok, '', 1000);
    assert.deepEqual(spaceOnly.events.map((e) => e.eventId), events.map((e) => e.eventId));
  });

  it('answers a bad cursor or maxResults with 400 paramError', async () => {
    for (const q of ['&cursor=abc', '&cursor=e', '&cursor=e01', '&cursor=e99999999',
      '&maxResults=0', '&maxResults=1001', '&maxResults=x']) {
      const r = await log(token, q);
      assert.equal(r.status, 400, `${q}: ${r.text}`);
      assert.equal(r.json.code, 'paramError', q);
      assert.equal(typeof r.json.requestid, 'string');
    }
  });
});
