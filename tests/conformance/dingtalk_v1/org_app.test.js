'use strict';
// GetOrg (GET /v1.0/storage/orgs/{corpId}) and GetCurrentApp
// (POST /v1.0/storage/currentApps/query, no body) through the official SDK (reference §4.12).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const { getToken, dingtalk, expectError } = require('../lib/dingtalk');
const { request } = require('../lib/http');
const { assertIsoTime, assertWirePartition } = require('../lib/checks');

describe('GetOrg and GetCurrentApp', { timeout: 120000 }, () => {
  let srv;
  let token;
  let dt;
  let space;
  before(async () => {
    srv = await startServer();
    token = (await getToken(srv.endpoint, srv.appKey, srv.appSecret)).accessToken;
    dt = dingtalk(srv.endpoint, token);
    space = await dt.addSpace(srv.unionId, { scene: 'orgapp', sceneId: '1' });
    srv.admin(['org', 'create', '--corp-id', 'dingcorp9', '--name', 'Another org']);
  });
  after(async () => {
    await srv?.stop();
  });

  describe('GetOrg', () => {
    it('returns the org with its partitions', async () => {
      const org = await dt.getOrg(srv.corpId, srv.unionId);
      assert.equal(org.corpId, srv.corpId);
      assert.ok(Array.isArray(org.partitions), 'partitions must be an array');
      assert.ok(org.partitions.length >= 1 && org.partitions.length <= 2);
      const p = org.partitions.find((x) => x.partitionType === 'PUBLIC_OSS_PARTITION');
      assert.ok(p, 'a PUBLIC_OSS_PARTITION partition');
      assert.equal(typeof p.quota.used, 'number');
      assert.equal(typeof p.quota.max, 'number');
      assert.equal(p.quota.type, 'PRIVATE');
      assert.ok(p.quota.used <= p.quota.max);
    });

    it('has exact JSON types on the wire', async () => {
      const res = await request(srv, {
        method: 'GET',
        path: `/v1.0/storage/orgs/${srv.corpId}?unionId=${srv.unionId}`,
        headers: { 'x-acs-dingtalk-access-token': token },
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.org.corpId, srv.corpId);
      res.json.org.partitions.forEach((p, i) => assertWirePartition(p, `org.partitions[${i}]`));
      assert.equal(typeof res.json.org.partitions[0].quota.max, 'number');
    });

    it('another corp\'s id gives 403 permissionDenied', async () => {
      await expectError(dt.getOrg('dingcorp9', srv.unionId), 403, 'permissionDenied');
    });

    it('an unknown corp id gives 403 permissionDenied', async () => {
      await expectError(dt.getOrg('dingcorpNope', srv.unionId), 403, 'permissionDenied');
    });

    it('no token gives 400 InvalidAuthentication', async () => {
      await expectError(dingtalk(srv.endpoint, 'bogus').getOrg(srv.corpId, srv.unionId),
        400, 'InvalidAuthentication');
    });
  });

  describe('GetCurrentApp', () => {
    it('returns the token\'s app', async () => {
      const app = await dt.getCurrentApp(srv.unionId);
      assert.equal(app.appId, space.appId);
      assert.equal(app.corpId, srv.corpId);
      assert.equal(typeof app.name, 'string');
      assertIsoTime(app.createTime, 'app.createTime');
      assertIsoTime(app.modifiedTime, 'app.modifiedTime');
      assert.ok(Array.isArray(app.partitions), 'partitions must be an array');
      assert.ok(app.partitions.length >= 1 && app.partitions.length <= 3);
      const p = app.partitions.find((x) => x.partitionType === 'PUBLIC_OSS_PARTITION');
      assert.ok(p, 'a PUBLIC_OSS_PARTITION partition');
      assert.equal(typeof p.quota.used, 'number');
      assert.equal(p.quota.type, 'SHARE');
    });

    it('has exact JSON types on the wire (POST with content-length 0)', async () => {
      const res = await request(srv, {
        method: 'POST',
        path: `/v1.0/storage/currentApps/query?unionId=${srv.unionId}`,
        headers: { 'x-acs-dingtalk-access-token': token, 'content-length': '0' },
      });
      assert.equal(res.status, 200, res.text);
      const app = res.json.app;
      for (const k of ['appId', 'corpId', 'name', 'createTime', 'modifiedTime']) {
        assert.equal(typeof app[k], 'string', `app.${k} must be a JSON string`);
      }
      app.partitions.forEach((p, i) => assertWirePartition(p, `app.partitions[${i}]`));
    });

    it('follows the token: a second app sees itself', async () => {
      const a = srv.admin(['app', 'create', '--corp-id', srv.corpId, '--name', 'Second App']);
      const t = (await getToken(srv.endpoint, a.appKey, a.appSecret)).accessToken;
      const app = await dingtalk(srv.endpoint, t).getCurrentApp(srv.unionId);
      assert.equal(app.appId, a.appId);
      assert.notEqual(app.appId, space.appId);
      assert.equal(app.name, 'Second App');
      assert.equal(app.corpId, srv.corpId);
    });

    it('a garbage token gives 400 InvalidAuthentication', async () => {
      await expectError(dingtalk(srv.endpoint, 'bogus').getCurrentApp(srv.unionId),
        400, 'InvalidAuthentication');
    });
  });
});
