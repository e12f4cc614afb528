'use strict';
// KooDrive OSE v1 space endpoints over plain HTTP (global fetch): the {code,msg,data}
// envelope, the SpaceInfo fields of seed 003, the DingTalk <-> KooDrive mapping of one
// space model, and the error table of koodrive-ose-v1.md part B3.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const { getToken, dingtalk } = require('../lib/dingtalk');
const { assertIsoTime } = require('../lib/checks');

const GiB = 1024 * 1024 * 1024;

describe('KooDrive OSE v1 spaces', { timeout: 120000 }, () => {
  let srv;
  let token;
  let dt;

  // One KooDrive call. auth: 'plus' (Bearer+t), 'space' (Bearer t), null (no header) or a
  // literal header value. body: object (JSON) or string (sent as is).
  async function kd(method, path, { auth = 'plus', body, tok } = {}) {
    const headers = {};
    const t = tok ?? token;
    if (auth === 'plus') headers.authorization = `Bearer+${t}`;
    else if (auth === 'space') headers.authorization = `Bearer ${t}`;
    else if (auth !== null) headers.authorization = auth;
    let payload;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const res = await fetch(`${srv.baseUrl}/koodrive/ose/v1${path}`, {
      method,
      headers,
      body: payload,
      signal: AbortSignal.timeout(10000),
    });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  function assertOk(res) {
    assert.equal(res.status, 200, res.text);
    assert.ok(res.json && typeof res.json === 'object', `JSON body expected: ${res.text}`);
    assert.equal(typeof res.json.code, 'number', 'code must be a JSON number');
    assert.equal(res.json.code, 0, res.text);
    assert.equal(res.json.msg, 'OK');
    assert.match(String(res.headers.get('content-type')), /application\/json/i);
  }

  function assertKdError(res, status, code) {
    assert.equal(res.status, status, res.text);
    assert.ok(res.json && typeof res.json === 'object', `JSON body expected: ${res.text}`);
    assert.equal(typeof res.json.code, 'number', 'code must be a JSON number');
    assert.equal(res.json.code, code, res.text);
    assert.equal(typeof res.json.msg, 'string');
    assert.ok(res.json.msg.length > 0);
    assert.equal(res.json.data, undefined, 'an error carries no data');
  }

  function assertSpaceInfo(d, { containerId, type, ownerId, tenantId }) {
    assert.ok(d && typeof d === 'object', 'data must be an object');
    assert.equal(d.tenantId, tenantId);
    for (const k of ['creator', 'modifier', 'ownerId', 'rootFileId', 'bizRootFileId',
      'bizSboxFileId', 'containerId', 'tenantId']) {
      assert.equal(typeof d[k], 'string', `data.${k} must be a JSON string`);
    }
    assertIsoTime(d.createTime, 'data.createTime');
    assertIsoTime(d.updateTime, 'data.updateTime');
    for (const k of ['type', 'status', 'capacity', 'spaceUsed']) {
      assert.equal(typeof d[k], 'number', `data.${k} must be a JSON number`);
    }
    assert.equal(d.type, type);
    assert.equal(d.status, 0);
    assert.equal(d.ownerId, ownerId);
    assert.equal(d.containerId, containerId);
    assert.ok(d.spaceUsed >= 0 && Number.isInteger(d.spaceUsed));
    assert.ok(d.rootFileId.length > 0);
    assert.ok(d.bizRootFileId.endsWith(containerId), 'bizRootFileId ends with containerId');
    assert.ok(d.bizRootFileId.slice(0, -containerId.length).includes('root'),
      `bizRootFileId contains "root": ${d.bizRootFileId}`);
    assert.ok(d.bizSboxFileId.endsWith(containerId), 'bizSboxFileId ends with containerId');
    assert.ok(d.bizSboxFileId.slice(0, -containerId.length).includes('sbox'),
      `bizSboxFileId contains "sbox": ${d.bizSboxFileId}`);
    assert.notEqual(d.bizRootFileId, d.bizSboxFileId);
  }

  before(async () => {
    srv = await startServer();
    token = (await getToken(srv.endpoint, srv.appKey, srv.appSecret)).accessToken;
    dt = dingtalk(srv.endpoint, token);
  });
  after(async () => {
    await srv?.stop();
  });

  // Runs first, before any DingTalk space of union1 exists, so union1 has exactly one
  // individual space and GET /space/union1?type=1 is unambiguous.
  it('a space created here is visible through DingTalk', async () => {
    const created = await kd('POST', `/space/${srv.unionId}`, { body: { capacity: 1, type: 1 } });
    assertOk(created);
    assert.deepEqual(created.json, { code: 0, msg: 'OK' }, 'a basic response has no data');

    const q = await kd('GET', `/space/${srv.unionId}?type=1`);
    assertOk(q);
    const containerId = q.json.data.containerId;
    assert.equal(typeof containerId, 'string');
    assertSpaceInfo(q.json.data,
      { containerId, type: 1, ownerId: srv.unionId, tenantId: srv.corpId });
    assert.equal(q.json.data.capacity, 1);
    assert.equal(q.json.data.spaceUsed, 0);

    const s = await dt.getSpace(containerId, srv.unionId);
    assert.equal(s.id, containerId);
    assert.equal(s.quota, GiB);
    assert.equal(s.ownerType, 'USER');
    assert.equal(s.ownerId, srv.unionId);
    assert.equal(s.corpId, srv.corpId);
    assert.equal(s.usedQuota, 0);
    assert.equal(s.status, 'NORMAL');

    const byId = await kd('GET', `/space/container/${containerId}`);
    assertOk(byId);
    assert.deepEqual(byId.json.data, q.json.data);
  });

  it('a DingTalk USER space reads back as an individual space (type 1)', async () => {
    const s = await dt.addSpace(srv.unionId,
      { scene: 'kd', sceneId: '1', name: 'kd user', quota: 2 * GiB });
    const res = await kd('GET', `/space/container/${s.id}`);
    assertOk(res);
    assertSpaceInfo(res.json.data,
      { containerId: s.id, type: 1, ownerId: srv.unionId, tenantId: srv.corpId });
    assert.equal(res.json.data.creator, srv.unionId);
    assert.equal(res.json.data.capacity, 2, 'capacity is in GB');
    assert.equal(res.json.data.spaceUsed, 0);
  });

  it('a DingTalk APP space reads back as type 0 owned by the app', async () => {
    const s = await dt.addSpace(srv.unionId, { scene: 'kd', sceneId: '2', ownerType: 'APP' });
    const res = await kd('GET', `/space/container/${s.id}`);
    assertOk(res);
    assertSpaceInfo(res.json.data,
      { containerId: s.id, type: 0, ownerId: s.appId, tenantId: srv.corpId });
  });

  it('accepts both "Bearer+<token>" and "Bearer <token>"', async () => {
    const s = await dt.addSpace(srv.unionId, { scene: 'kd', sceneId: '3' });
    const plus = await kd('GET', `/space/container/${s.id}`, { auth: 'plus' });
    const space = await kd('GET', `/space/container/${s.id}`, { auth: 'space' });
    assertOk(plus);
    assertOk(space);
    assert.deepEqual(space.json.data, plus.json.data);
  });

  it('an unknown container gives HTTP 400 code 13000301 "Space not found."', async () => {
    const res = await kd('GET', '/space/container/noSuchContainer42');
    assertKdError(res, 400, 13000301);
    assert.equal(res.json.msg, 'Space not found.');
  });

  it('a container of another org is not found (400 13000301)', async () => {
    srv.admin(['org', 'create', '--corp-id', 'dingcorpkd', '--name', 'KD Other']);
    const app = srv.admin(['app', 'create', '--corp-id', 'dingcorpkd']);
    srv.admin(['user', 'create', '--corp-id', 'dingcorpkd', '--union-id', 'kduser']);
    const t2 = (await getToken(srv.endpoint, app.appKey, app.appSecret)).accessToken;
    const foreign = await dingtalk(srv.endpoint, t2)
      .addSpace('kduser', { scene: 'kd', sceneId: '1' });
    const own = await kd('GET', `/space/container/${foreign.id}`, { tok: t2 });
    assertOk(own);
    assert.equal(own.json.data.tenantId, 'dingcorpkd');
    const res = await kd('GET', `/space/container/${foreign.id}`);
    assertKdError(res, 400, 13000301);
  });

  it('a missing Authorization header gives 401 13009401', async () => {
    const s = await dt.addSpace(srv.unionId, { scene: 'kd', sceneId: '4' });
    assertKdError(await kd('GET', `/space/container/${s.id}`, { auth: null }), 401, 13009401);
  });

  it('a bad token gives 401 13009401', async () => {
    const s = await dt.addSpace(srv.unionId, { scene: 'kd', sceneId: '4' });
    assertKdError(await kd('GET', `/space/container/${s.id}`, { tok: 'not-a-token' }),
      401, 13009401);
    assertKdError(await kd('GET', `/space/container/${s.id}`, { auth: 'Bearer+' }),
      401, 13009401);
  });

  it('an unknown route under /koodrive/ose/ gives 404 13009404', async () => {
    assertKdError(await kd('GET', '/no/such/route'), 404, 13009404);
  });

  it('a wrong method on a known route gives 405 13009405', async () => {
    assertKdError(await kd('PATCH', '/space/container/x'), 405, 13009405);
  });

  it('a malformed JSON body on create gives 400 13000102', async () => {
    assertKdError(await kd('POST', `/space/${srv.unionId}`, { body: '{"capacity":' }),
      400, 13000102);
  });

  it('an invalid type on create gives 400 13000102', async () => {
    assertKdError(await kd('POST', `/space/${srv.unionId}`, { body: { capacity: 1, type: 9 } }),
      400, 13000102);
  });

  it('a negative capacity on create gives 400 13000102', async () => {
    assertKdError(
      await kd('POST', `/space/${srv.unionId}`, { body: { capacity: -1, type: 1 } }),
      400, 13000102);
  });
});
