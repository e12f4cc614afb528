'use strict';
// POST /v1.0/oauth2/accessToken through the official oauth2_1_0 client (reference §5).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const { getToken, dingtalk, expectError } = require('../lib/dingtalk');
const { request } = require('../lib/http');

describe('oauth2 GetAccessToken', { timeout: 120000 }, () => {
  let srv;
  before(async () => {
    srv = await startServer();
  });
  after(async () => {
    await srv?.stop();
  });

  it('issues a string token with expireIn 7200 (a number)', async () => {
    const body = await getToken(srv.endpoint, srv.appKey, srv.appSecret);
    assert.equal(typeof body.accessToken, 'string');
    assert.ok(body.accessToken.length > 0);
    assert.equal(body.expireIn, 7200);
  });

  it('sends accessToken as a JSON string and expireIn as a JSON number on the wire', async () => {
    const res = await request(srv, {
      method: 'POST',
      path: '/v1.0/oauth2/accessToken',
      body: { appKey: srv.appKey, appSecret: srv.appSecret },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(typeof res.json.accessToken, 'string');
    assert.equal(typeof res.json.expireIn, 'number');
    assert.equal(res.json.expireIn, 7200);
    assert.equal(res.json.expiresIn, undefined, 'the field is expireIn, not expiresIn');
  });

  it('the issued token is accepted by a storage call', async () => {
    const { accessToken } = await getToken(srv.endpoint, srv.appKey, srv.appSecret);
    const space = await dingtalk(srv.endpoint, accessToken)
      .addSpace(srv.unionId, { scene: 'tokencheck', sceneId: '1' });
    assert.equal(typeof space.id, 'string');
  });

  it('two tokens for the same app both work', async () => {
    const a = await getToken(srv.endpoint, srv.appKey, srv.appSecret);
    const b = await getToken(srv.endpoint, srv.appKey, srv.appSecret);
    const sa = await dingtalk(srv.endpoint, a.accessToken)
      .addSpace(srv.unionId, { scene: 'tokencheck', sceneId: '2' });
    const sb = await dingtalk(srv.endpoint, b.accessToken).getSpace(sa.id, srv.unionId);
    assert.equal(sb.id, sa.id);
  });

  it('rejects a wrong secret with 400 invalidClientIdOrSecret', async () => {
    await expectError(getToken(srv.endpoint, srv.appKey, 'not-the-secret'),
      400, 'invalidClientIdOrSecret');
  });

  it('rejects an unknown appKey with 400 invalidClientIdOrSecret', async () => {
    await expectError(getToken(srv.endpoint, 'no-such-app-key', srv.appSecret),
      400, 'invalidClientIdOrSecret');
  });
});
