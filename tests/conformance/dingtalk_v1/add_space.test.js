'use strict';
// AddSpace (POST /v1.0/storage/spaces) through the official SDK: defaults, echo of every
// option, idempotency on (scene, sceneId) including under concurrency, owner types and the
// documented parameter errors (seed 002, reference §4.1).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const { getToken, dingtalk, expectError } = require('../lib/dingtalk');
const { request } = require('../lib/http');
const { assertIsoTime, assertUrlSafeId, assertWireSpace } = require('../lib/checks');

const SEED_OPTION = Object.freeze({
  name: 'Test space',
  quota: 1024,
  capabilities: { canSearch: true, canRename: true, canRecordRecentFile: true },
  scene: 'scene',
  sceneId: '123',
  ownerType: 'USER',
});

describe('AddSpace', { timeout: 120000 }, () => {
  let srv;
  let dt;
  let token;
  before(async () => {
    srv = await startServer();
    token = (await getToken(srv.endpoint, srv.appKey, srv.appSecret)).accessToken;
    dt = dingtalk(srv.endpoint, token);
  });
  after(async () => {
    await srv?.stop();
  });

  it('with no option applies the documented defaults', async () => {
    const s = await dt.addSpace(srv.unionId);
    assertUrlSafeId(s.id, 'id');
    assert.equal(s.scene, 'default');
    assert.equal(s.sceneId, '0');
    assert.equal(s.ownerType, 'USER');
    assert.equal(s.ownerId, srv.unionId);
    assert.equal(s.creatorId, srv.unionId);
    assert.equal(s.corpId, srv.corpId);
    assert.equal(typeof s.appId, 'string');
    assert.ok(s.appId.length > 0);
    assert.equal(s.status, 'NORMAL');
    assert.equal(s.usedQuota, 0);
    assert.deepEqual(
      { ...s.capabilities },
      { canSearch: false, canRename: false, canRecordRecentFile: false });
    assertIsoTime(s.createTime, 'createTime');
    assertIsoTime(s.modifiedTime, 'modifiedTime');
  });

  it('with an empty option returns the same default space', async () => {
    const a = await dt.addSpace(srv.unionId);
    const b = await dt.addSpace(srv.unionId, {});
    assert.equal(b.id, a.id);
    assert.equal(b.scene, 'default');
    assert.equal(b.sceneId, '0');
  });

  it('defaults have exact JSON types on the wire', async () => {
    const res = await request(srv, {
      method: 'POST',
      path: `/v1.0/storage/spaces?unionId=${srv.unionId}`,
      headers: { 'x-acs-dingtalk-access-token': token },
      body: {},
    });
    assert.equal(res.status, 200, res.text);
    assertWireSpace(res.json.space);
    assert.equal(res.json.space.usedQuota, 0);
    assert.deepEqual(res.json.space.capabilities,
      { canSearch: false, canRename: false, canRecordRecentFile: false });
    assert.match(String(res.headers['content-type']), /application\/json/i);
  });

  it('echoes every field of the seed example', async () => {
    const s = await dt.addSpace(srv.unionId, SEED_OPTION);
    assertUrlSafeId(s.id, 'id');
    assert.equal(s.name, 'Test space');
    assert.equal(s.quota, 1024);
    assert.deepEqual({ ...s.capabilities },
      { canSearch: true, canRename: true, canRecordRecentFile: true });
    assert.equal(s.scene, 'scene');
    assert.equal(s.sceneId, '123');
    assert.equal(s.ownerType, 'USER');
    assert.equal(s.ownerId, srv.unionId);
    assert.equal(s.creatorId, srv.unionId);
    assert.equal(s.corpId, srv.corpId);
    assert.equal(s.status, 'NORMAL');
    assert.equal(s.usedQuota, 0);
    assertIsoTime(s.createTime, 'createTime');
    assertIsoTime(s.modifiedTime, 'modifiedTime');
    assert.ok(Array.isArray(s.partitions) && s.partitions.length >= 1, 'partitions');
    const p = s.partitions[0];
    assert.equal(p.partitionType, 'PUBLIC_OSS_PARTITION');
    assert.equal(p.quota.used, 0);
    assert.equal(p.quota.max, 1024);
    assert.equal(p.quota.type, 'PRIVATE');
  });

  it('the seed example has exact JSON types on the wire', async () => {
    const res = await request(srv, {
      method: 'POST',
      path: `/v1.0/storage/spaces?unionId=${srv.unionId}`,
      headers: { 'x-acs-dingtalk-access-token': token },
      body: { option: { ...SEED_OPTION, scene: 'wire', sceneId: '1' } },
    });
    assert.equal(res.status, 200, res.text);
    const s = res.json.space;
    assertWireSpace(s);
    assert.equal(s.quota, 1024);
    assert.equal(s.name, 'Test space');
    assert.deepEqual(s.capabilities,
      { canSearch: true, canRename: true, canRecordRecentFile: true });
    assert.equal(s.partitions[0].partitionType, 'PUBLIC_OSS_PARTITION');
    assert.equal(s.partitions[0].quota.used, 0);
    assert.equal(s.partitions[0].quota.max, 1024);
    assert.equal(s.partitions[0].quota.type, 'PRIVATE');
  });

  it('is idempotent on (scene, sceneId): the second call returns the first space', async () => {
    const a = await dt.addSpace(srv.unionId,
      { scene: 'idem', sceneId: '7', name: 'first', quota: 2048 });
    const b = await dt.addSpace(srv.unionId,
      { scene: 'idem', sceneId: '7', name: 'second', quota: 4096 });
    assert.equal(b.id, a.id);
    assert.equal(b.name, 'first', 'an existing space is returned unchanged');
    assert.equal(b.quota, 2048, 'an existing space is returned unchanged');
    assert.equal(b.createTime, a.createTime);
  });

  it('a different sceneId or scene makes a different space', async () => {
    const a = await dt.addSpace(srv.unionId, { scene: 'idem2', sceneId: '1' });
    const b = await dt.addSpace(srv.unionId, { scene: 'idem2', sceneId: '2' });
    const c = await dt.addSpace(srv.unionId, { scene: 'idem3', sceneId: '1' });
    assert.notEqual(a.id, b.id);
    assert.notEqual(a.id, c.id);
    assert.notEqual(b.id, c.id);
  });

  it('100 concurrent identical calls all return one and the same space', async () => {
    const option = { scene: 'concurrent', sceneId: '100', name: 'race' };
    const results = await Promise.all(
      Array.from({ length: 100 }, () => dt.addSpace(srv.unionId, option)));
    const ids = new Set(results.map((s) => s.id));
    assert.equal(ids.size, 1, `expected one id, got ${[...ids].join(', ')}`);
    const again = await dt.addSpace(srv.unionId, option);
    assert.equal(again.id, results[0].id);
  });

  it('an APP space is owned by the calling app (ownerId == appId)', async () => {
    const app = srv.admin(['app', 'create', '--corp-id', srv.corpId, '--name', 'owner-app']);
    assert.equal(typeof app.appId, 'string');
    const appToken = (await getToken(srv.endpoint, app.appKey, app.appSecret)).accessToken;
    const s = await dingtalk(srv.endpoint, appToken)
      .addSpace(srv.unionId, { scene: 'appspace', sceneId: '1', ownerType: 'APP' });
    assert.equal(s.ownerType, 'APP');
    assert.equal(s.ownerId, app.appId);
    assert.equal(s.appId, app.appId);
    assert.equal(s.creatorId, srv.unionId);
    assert.equal(s.corpId, srv.corpId);
  });

  it('records the token\'s app as appId of a USER space', async () => {
    const app = srv.admin(['app', 'create', '--corp-id', srv.corpId, '--name', 'second-app']);
    const appToken = (await getToken(srv.endpoint, app.appKey, app.appSecret)).accessToken;
    const s = await dingtalk(srv.endpoint, appToken)
      .addSpace(srv.unionId, { scene: 'userspace', sceneId: '2' });
    assert.equal(s.ownerType, 'USER');
    assert.equal(s.ownerId, srv.unionId);
    assert.equal(s.appId, app.appId);
  });

  for (const scene of ['a-b', 'a b', 'a_b', 'a.b', 'a/b']) {
    it(`rejects scene ${JSON.stringify(scene)} with 400 paramError.scene`, async () => {
      await expectError(dt.addSpace(srv.unionId, { scene, sceneId: '1' }),
        400, 'paramError.scene');
    });
  }

  for (const sceneId of ['1-2', '1 2', 'x_y', '1.5']) {
    it(`rejects sceneId ${JSON.stringify(sceneId)} with 400 paramError.sceneId`, async () => {
      await expectError(dt.addSpace(srv.unionId, { scene: 'ok', sceneId }),
        400, 'paramError.sceneId');
    });
  }

  it('rejects a 300-character name with 400 paramError.name', async () => {
    await expectError(
      dt.addSpace(srv.unionId, { scene: 'longname', sceneId: '1', name: 'n'.repeat(300) }),
      400, 'paramError.name');
  });

  // Reference §4.3 naming rules: tab, * " < > | are forbidden, a name must not end with '.',
  // and (trimmed) it must not be empty.
  for (const name of ['a\tb', 'a*b', 'a"b', 'a<b', 'a>b', 'a|b', 'a\u0001b', 'name.', '   ']) {
    it(`rejects name ${JSON.stringify(name)} with 400 paramError.name`, async () => {
      await expectError(
        dt.addSpace(srv.unionId, { scene: 'badname', sceneId: '1', name }),
        400, 'paramError.name');
    });
  }

  it('accepts letters, digits, spaces and CJK in a name', async () => {
    const s = await dt.addSpace(srv.unionId,
      { scene: 'goodname', sceneId: '1', name: 'Team 空间 2024' });
    assert.equal(s.name, 'Team 空间 2024');
  });

  it('trims leading and trailing spaces of a name', async () => {
    const s = await dt.addSpace(srv.unionId,
      { scene: 'trimname', sceneId: '1', name: '  padded name  ' });
    assert.equal(s.name, 'padded name');
  });

  it('rejects an unknown ownerType with 400 paramError', async () => {
    await expectError(
      dt.addSpace(srv.unionId, { scene: 'badowner', sceneId: '1', ownerType: 'GROUP' }),
      400, 'paramError');
  });

  it('rejects a negative quota with 400 paramError', async () => {
    await expectError(
      dt.addSpace(srv.unionId, { scene: 'negquota', sceneId: '1', quota: -1 }),
      400, 'paramError');
  });

  it('rejects a missing unionId with 400 paramError', async () => {
    await expectError(dt.addSpace(undefined, { scene: 'nounion', sceneId: '1' }),
      400, 'paramError');
  });

  it('rejects an unknown unionId with 403 permissionDenied', async () => {
    await expectError(dt.addSpace('no-such-user', { scene: 'nouser', sceneId: '1' }),
      403, 'permissionDenied');
  });

  it('rejects a unionId of another org with 403 permissionDenied', async () => {
    srv.admin(['org', 'create', '--corp-id', 'dingcorp-other', '--name', 'Other']);
    const u = srv.admin(['user', 'create', '--corp-id', 'dingcorp-other',
      '--union-id', 'other-org-user']);
    assert.equal(u.unionId, 'other-org-user');
    await expectError(dt.addSpace('other-org-user', { scene: 'foreign', sceneId: '1' }),
      403, 'permissionDenied');
  });

  it('a rejected call creates nothing: the same scene then gets a fresh space', async () => {
    await expectError(
      dt.addSpace(srv.unionId, { scene: 'aftererr', sceneId: '1', name: 'x'.repeat(300) }),
      400, 'paramError.name');
    const s = await dt.addSpace(srv.unionId, { scene: 'aftererr', sceneId: '1', name: 'ok' });
    assert.equal(s.name, 'ok');
  });
});
