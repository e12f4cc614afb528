'use strict';
// KooDrive space management beyond the seed: modify, delete, batchGetSpace, the v2 owner query,
// the usage calls, and the literal routes that are not served. Each with its bad input.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const { getToken } = require('../lib/dingtalk');

const GiB = 1024 * 1024 * 1024;

describe('KooDrive OSE space management', { timeout: 120000 }, () => {
  let srv;
  let token;

  async function kd(method, path, body, prefix = '/koodrive/ose/v1') {
    const headers = { authorization: `Bearer+${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${srv.baseUrl}${prefix}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(10000),
    });
    const text = await res.text();
    return { status: res.status, json: JSON.parse(text), text };
  }

  function ok(res) {
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.code, 0, res.text);
    assert.equal(res.json.msg, 'OK');
  }

  function err(res, status, code) {
    assert.equal(res.status, status, res.text);
    assert.equal(res.json.code, code, res.text);
    assert.equal(typeof res.json.msg, 'string');
  }

  before(async () => {
    srv = await startServer();
    token = (await getToken(srv.endpoint, srv.appKey, srv.appSecret)).accessToken;
    ok(await kd('POST', '/space/dept7', { capacity: 2, type: 0 }));
  });
  after(async () => {
    await srv?.stop();
  });

  it('modify changes capacity and status, and refuses bad input', async () => {
    const before = (await kd('GET', '/space/dept7?type=0')).json.data;
    ok(await kd('PUT', '/space/dept7', { type: 0, capacity: 3, status: 1 }));
    const after = (await kd('GET', `/space/dept7?type=0&containerId=${before.containerId}`)).json.data;
    assert.equal(after.capacity, 3);
    assert.equal(after.status, 1);
    ok(await kd('PUT', '/space/dept7', { type: 0, status: 0 }));
    err(await kd('PUT', '/space/dept7', { capacity: 3 }), 400, 13000102); // type is required
    err(await kd('PUT', '/space/dept7', { type: 0, status: 7 }), 400, 13000102);
    err(await kd('PUT', '/space/dept7', '{"type":'), 400, 13000102);
    err(await kd('PUT', '/space/nobody', { type: 0, capacity: 1 }), 400, 13000301);
  });

  it('a disabled space still reads but refuses writes through DingTalk', async () => {
    const info = (await kd('GET', '/space/dept7?type=0')).json.data;
    ok(await kd('PUT', '/space/dept7', { type: 0, status: 1 }));
    const res = await fetch(
      `${srv.baseUrl}/v1.0/storage/spaces/${info.containerId}/dentries/0/folders?unionId=${srv.unionId}`,
      {
        method: 'POST',
        headers: { 'x-acs-dingtalk-access-token': token, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x' }),
      });
    assert.equal(res.status, 403);
    assert.equal((await res.json()).code, 'permissionDenied');
    ok(await kd('PUT', '/space/dept7', { type: 0, status: 0 }));
  });

  it('batchGetSpace and the v2 owner query list spaces as arrays', async () => {
    ok(await kd('POST', '/space/dept7', { capacity: 1, type: 0 }));
    const batch = await kd('GET', '/space/batchGetSpace?ownerId=dept7&type=0');
    ok(batch);
    assert.ok(Array.isArray(batch.json.data));
    assert.equal(batch.json.data.length, 2);
    for (const s of batch.json.data) assert.equal(s.ownerId, 'dept7');
    const one = await kd('GET',
      `/space/batchGetSpace?ownerId=dept7&containerId=${batch.json.data[1].containerId}`);
    assert.equal(one.json.data.length, 1);
    const v2 = await kd('GET', '/space/dept7?type=0', undefined, '/koodrive/ose/v2');
    ok(v2);
    assert.equal(v2.json.data.length, 2);
    err(await kd('GET', '/space/batchGetSpace?type=9'), 400, 13000102);
  });

  it('usage calls report totals, per-space quota and per-user figures', async () => {
    const overview = await kd('GET', '/space/usage/overview');
    ok(overview);
    for (const k of ['totalAllocation', 'totalCapacity', 'totalUsed', 'quota']) {
      assert.equal(typeof overview.json.data[k], 'number', k);
    }
    assert.ok(overview.json.data.totalAllocation >= (3 * GiB) / 1024);
    const quota = await kd('GET', '/space/usage/quota?offset=0&limit=1');
    ok(quota);
    assert.equal(quota.json.data.length, 1);
    assert.equal(typeof quota.json.total, 'number');
    assert.ok(quota.json.total >= 2);
    err(await kd('GET', '/space/usage/quota?limit=0'), 400, 13000102);
    ok(await kd('POST', `/space/${srv.unionId}`, { capacity: 4, type: 1 }));
    const users = await kd('POST', '/space/usage/user', { userIds: [srv.unionId], limit: 10 });
    ok(users);
    assert.equal(users.json.total, 1);
    assert.equal(users.json.data[0].userId, srv.unionId);
    assert.equal(users.json.data[0].quota, 4);
    err(await kd('POST', '/space/usage/user', {}), 400, 13000102);
  });

  it('delete removes the space, and then it is not found', async () => {
    const spaces = (await kd('GET', '/space/batchGetSpace?ownerId=dept7&type=0')).json.data;
    ok(await kd('DELETE', `/space/dept7?type=0&containerId=${spaces[1].containerId}`));
    err(await kd('GET', `/space/container/${spaces[1].containerId}`), 400, 13000301);
    err(await kd('DELETE', '/space/dept7'), 400, 13000102); // type is required
    err(await kd('DELETE', '/space/nobody?type=0'), 400, 13000301);
  });

  it('documented calls that are not served answer 404, never as an {ownerId}', async () => {
    err(await kd('GET', '/space/departmentList'), 404, 13009404);
    err(await kd('POST', '/space/group', { type: 1 }), 404, 13009404);
    err(await kd('POST', '/space/departmentList', { type: 0 }), 405, 13009405);
  });
});
