'use strict';
// Token lifetime: a server started with --token-ttl 1 issues tokens that stop working after
// a second, in both dialects.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const { getToken, dingtalk, expectError } = require('../lib/dingtalk');
const { request } = require('../lib/http');
const { sleep } = require('../lib/checks');

describe('token expiry (--token-ttl 1)', { timeout: 120000 }, () => {
  let srv;
  before(async () => {
    srv = await startServer({ args: ['--token-ttl', '1'] });
  });
  after(async () => {
    await srv?.stop();
  });

  // With a one-second lifetime a token may, on a server that keeps whole seconds, be valid
  // for only a fraction of a second; take a fresh one and use it at once, a few times.
  async function withFreshToken(fn) {
    let lastErr;
    for (let i = 0; i < 3; i++) {
      const { accessToken } = await getToken(srv.endpoint, srv.appKey, srv.appSecret);
      try {
        return { token: accessToken, result: await fn(accessToken) };
      } catch (e) {
        lastErr = e;
      }
    }
    throw lastErr;
  }

  it('reports expireIn 1', async () => {
    const body = await getToken(srv.endpoint, srv.appKey, srv.appSecret);
    assert.equal(body.expireIn, 1);
  });

  it('an expired token gives 400 InvalidAuthentication; a fresh one works', async () => {
    const { token, result: space } = await withFreshToken(
      (t) => dingtalk(srv.endpoint, t).addSpace(srv.unionId, { scene: 'ttl', sceneId: '1' }));
    await sleep(2200);
    await expectError(dingtalk(srv.endpoint, token).getSpace(space.id, srv.unionId),
      400, 'InvalidAuthentication');
    const { result: again } = await withFreshToken(
      (t) => dingtalk(srv.endpoint, t).getSpace(space.id, srv.unionId));
    assert.equal(again.id, space.id);
  });

  it('an expired token gives 401 13009401 on KooDrive', async () => {
    const { token, result: space } = await withFreshToken(
      (t) => dingtalk(srv.endpoint, t).addSpace(srv.unionId, { scene: 'ttl', sceneId: '2' }));
    await sleep(2200);
    const res = await request(srv, {
      method: 'GET',
      path: `/koodrive/ose/v1/space/container/${space.id}`,
      headers: { authorization: `Bearer+${token}` },
    });
    assert.equal(res.status, 401, res.text);
    assert.equal(res.json?.code, 13009401, res.text);
    assert.equal(typeof res.json.msg, 'string');
  });
});
