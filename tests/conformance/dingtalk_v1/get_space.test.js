'use strict';
// GetSpace (GET /v1.0/storage/spaces/{spaceId}) through the official SDK: round trip with
// AddSpace, tenant isolation, authentication and scope errors, and the USER/APP read rules
// of seed 000 (reference §1.3, §4.1).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const {
  Storage, getToken, dingtalk, storageClient, runtime, expectError,
} = require('../lib/dingtalk');
const { request } = require('../lib/http');
const { assertWireSpace } = require('../lib/checks');

const plain = (m) => JSON.parse(JSON.stringify(m));

describe('GetSpace', { timeout: 120000 }, () => {
  let srv;
  let token;
  let dt;
  let userSpace; // USER space created by union1
  let appSpace; // APP space created by union1
  before(async () => {
    srv = await startServer();
    token = (await getToken(srv.endpoint, srv.appKey, srv.appSecret)).accessToken;
    dt = dingtalk(srv.endpoint, token);
    userSpace = await dt.addSpace(srv.unionId, {
      name: 'Test space',
      quota: 1024,
      capabilities: { canSearch: true, canRename: false, canRecordRecentFile: true },
      scene: 'scene',
      sceneId: '123',
      ownerType: 'USER',
    });
    appSpace = await dt.addSpace(srv.unionId,
      { scene: 'appread', sceneId: '1', ownerType: 'APP', name: 'App space' });
    srv.admin(['user', 'create', '--corp-id', srv.corpId, '--union-id', 'colleague1',
      '--name', 'Colleague']);
  });
  after(async () => {
    await srv?.stop();
  });

  describe('round trip', () => {
    it('returns exactly what AddSpace returned (SDK view)', async () => {
      const got = await dt.getSpace(userSpace.id, srv.unionId);
      assert.deepEqual(plain(got), plain(userSpace));
    });

    it('returns exactly what AddSpace returned (wire view, exact JSON types)', async () => {
      const headers = { 'x-acs-dingtalk-access-token': token };
      const added = await request(srv, {
        method: 'POST',
        path: `/v1.0/storage/spaces?unionId=${srv.unionId}`,
        headers,
        body: { option: { scene: 'roundtrip', sceneId: '9', name: 'rt', quota: 5000 } },
      });
      assert.equal(added.status, 200, added.text);
      const got = await request(srv, {
        method: 'GET',
        path: `/v1.0/storage/spaces/${added.json.space.id}?unionId=${srv.unionId}`,
        headers,
      });
      assert.equal(got.status, 200, got.text);
      assertWireSpace(got.json.space);
      assert.deepEqual(got.json.space, added.json.space);
      assert.match(String(got.headers['content-type']), /application\/json/i);
    });

    it('a USER space is readable by its owner', async () => {
      const got = await dt.getSpace(userSpace.id, srv.unionId);
      assert.equal(got.id, userSpace.id);
      assert.equal(got.ownerType, 'USER');
      assert.equal(got.ownerId, srv.unionId);
      assert.equal(got.name, 'Test space');
      assert.equal(got.quota, 1024);
      assert.equal(got.capabilities.canRename, false);
      assert.equal(got.capabilities.canSearch, true);
    });

    it('an APP space is readable by its creator', async () => {
      const got = await dt.getSpace(appSpace.id, srv.unionId);
      assert.equal(got.id, appSpace.id);
      assert.equal(got.ownerType, 'APP');
      assert.equal(got.ownerId, appSpace.appId);
    });

    it('accepts a token wrapped in double quotes (old PHP SDK quirk)', async () => {
      const got = await dingtalk(srv.endpoint, `"${token}"`).getSpace(userSpace.id, srv.unionId);
      assert.equal(got.id, userSpace.id);
    });
  });

  describe('not found and tenant isolation', () => {
    it('an unknown space id gives 404 spaceNotExist', async () => {
      await expectError(dt.getSpace('doesNotExist123', srv.unionId), 404, 'spaceNotExist');
    });

    it('a space of another org gives 404 spaceNotExist', async () => {
      srv.admin(['org', 'create', '--corp-id', 'dingcorp2', '--name', 'Org Two']);
      const app2 = srv.admin(['app', 'create', '--corp-id', 'dingcorp2', '--name', 'app2']);
      assert.equal(app2.corpId, 'dingcorp2');
      srv.admin(['user', 'create', '--corp-id', 'dingcorp2', '--union-id', 'union2']);
      const token2 = (await getToken(srv.endpoint, app2.appKey, app2.appSecret)).accessToken;
      const dt2 = dingtalk(srv.endpoint, token2);
      const foreign = await dt2.addSpace('union2', { scene: 'foreign', sceneId: '1' });
      assert.equal(foreign.corpId, 'dingcorp2');
      assert.equal((await dt2.getSpace(foreign.id, 'union2')).id, foreign.id);
      await expectError(dt.getSpace(foreign.id, srv.unionId), 404, 'spaceNotExist');
      // And the other way round.
      await expectError(dt2.getSpace(userSpace.id, 'union2'), 404, 'spaceNotExist');
    });
  });

  describe('authentication', () => {
    it('no token (convenience method sends no header) gives 400 InvalidAuthentication',
      async () => {
        const client = storageClient(srv.endpoint);
        await expectError(
          client.getSpace(userSpace.id, new Storage.GetSpaceRequest({ unionId: srv.unionId })),
          400, 'InvalidAuthentication');
      });

    it('an empty token header gives 400 InvalidAuthentication', async () => {
      await expectError(dingtalk(srv.endpoint, '').getSpace(userSpace.id, srv.unionId),
        400, 'InvalidAuthentication');
    });

    it('a garbage token gives 400 InvalidAuthentication', async () => {
      await expectError(
        dingtalk(srv.endpoint, 'garbage-token-0123456789').getSpace(userSpace.id, srv.unionId),
        400, 'InvalidAuthentication');
    });

    it('a garbage token on an unknown space still gives 400 InvalidAuthentication',
      async () => {
        await expectError(
          dingtalk(srv.endpoint, 'garbage').getSpace('doesNotExist123', srv.unionId),
          400, 'InvalidAuthentication');
      });

    it('a truncated real token gives 400 InvalidAuthentication', async () => {
      await expectError(
        dingtalk(srv.endpoint, token.slice(0, -1)).getSpace(userSpace.id, srv.unionId),
        400, 'InvalidAuthentication');
    });
  });

  describe('scopes', () => {
    let fileOnly;
    let spaceReadOnly;
    before(async () => {
      const a = srv.admin(['app', 'create', '--corp-id', srv.corpId, '--name', 'file-only',
        '--scopes', 'Storage.File.Read']);
      assert.deepEqual(a.scopes, ['Storage.File.Read']);
      fileOnly = dingtalk(srv.endpoint,
        (await getToken(srv.endpoint, a.appKey, a.appSecret)).accessToken);
      const b = srv.admin(['app', 'create', '--corp-id', srv.corpId, '--name', 'space-read',
        '--scopes', 'Storage.Space.Read,Storage.File.Read']);
      spaceReadOnly = dingtalk(srv.endpoint,
        (await getToken(srv.endpoint, b.appKey, b.appSecret)).accessToken);
    });

    it('GetSpace without Storage.Space.Read gives 403 with requiredScopes', async () => {
      const err = await expectError(fileOnly.getSpace(userSpace.id, srv.unionId),
        403, 'Forbidden.AccessDenied.AccessTokenPermissionDenied');
      assert.ok(err.accessDeniedDetail, 'accessDeniedDetail must be present');
      assert.deepEqual(err.accessDeniedDetail.requiredScopes, ['Storage.Space.Read']);
      assert.ok(err.data.accessdenieddetail, 'the body key is lowercase "accessdenieddetail"');
    });

    it('AddSpace without Storage.Space.Write gives 403 with requiredScopes', async () => {
      const err = await expectError(
        fileOnly.addSpace(srv.unionId, { scene: 'noscope', sceneId: '1' }),
        403, 'Forbidden.AccessDenied.AccessTokenPermissionDenied');
      assert.deepEqual(err.accessDeniedDetail.requiredScopes, ['Storage.Space.Write']);
    });

    it('Storage.Space.Read allows GetSpace but not AddSpace', async () => {
      const got = await spaceReadOnly.getSpace(userSpace.id, srv.unionId);
      assert.equal(got.id, userSpace.id);
      const err = await expectError(
        spaceReadOnly.addSpace(srv.unionId, { scene: 'readonly', sceneId: '1' }),
        403, 'Forbidden.AccessDenied.AccessTokenPermissionDenied');
      assert.deepEqual(err.accessDeniedDetail.requiredScopes, ['Storage.Space.Write']);
    });
  });

  describe('USER and APP read rules (seed 000)', () => {
    it('another member of the org cannot read a USER space: 403 permissionDenied',
      async () => {
        await expectError(dt.getSpace(userSpace.id, 'colleague1'), 403, 'permissionDenied');
      });

    it('another member of the org cannot read an APP space: 403 permissionDenied',
      async () => {
        await expectError(dt.getSpace(appSpace.id, 'colleague1'), 403, 'permissionDenied');
      });

    it('the other member can read a USER space of their own', async () => {
      const own = await dt.addSpace('colleague1', { scene: 'colleague', sceneId: '1' });
      assert.equal(own.ownerId, 'colleague1');
      assert.equal((await dt.getSpace(own.id, 'colleague1')).id, own.id);
      await expectError(dt.getSpace(own.id, srv.unionId), 403, 'permissionDenied');
    });

    it('an unknown unionId gives 403 permissionDenied', async () => {
      await expectError(dt.getSpace(userSpace.id, 'no-such-user'), 403, 'permissionDenied');
    });

    it('a missing unionId gives 400 paramError', async () => {
      await expectError(dt.getSpace(userSpace.id, undefined), 400, 'paramError');
    });
  });
});
