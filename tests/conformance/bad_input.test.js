'use strict';
// Hostile and malformed input over raw HTTP and raw sockets: bad JSON, wrong JSON types,
// oversized and half-sent bodies, unknown routes and methods, chunked bodies, health
// endpoints. After every case the server must still answer a normal GetSpace.
//
// The server runs with --max-body-bytes 1024 and --read-timeout-ms 500.

const { describe, it, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./lib/server');
const { getToken } = require('./lib/dingtalk');
const { request, rawExchange } = require('./lib/http');
const { assertRequestIdHeader, assertWireError, assertWireSpace } = require('./lib/checks');

const MAX_BODY = 1024;
const READ_TIMEOUT_MS = 500;

describe('bad input', { timeout: 120000 }, () => {
  let srv;
  let token;
  let spaceId;

  // Every raw response, good or bad, must carry x-acs-request-id.
  async function call(req, what = `${req.method} ${req.path}`) {
    const res = await request(srv, req);
    assertRequestIdHeader(res, what);
    return res;
  }

  const addSpacePath = () => `/v1.0/storage/spaces?unionId=${srv.unionId}`;
  const authHeaders = () => ({ 'x-acs-dingtalk-access-token': token });

  async function assertStillServing() {
    const res = await request(srv, {
      method: 'GET',
      path: `/v1.0/storage/spaces/${spaceId}?unionId=${srv.unionId}`,
      headers: authHeaders(),
    });
    assert.equal(res.status, 200, `server no longer answers GetSpace: ${res.status} ${res.text}`);
    assert.equal(res.json.space.id, spaceId);
  }

  before(async () => {
    srv = await startServer({
      args: ['--max-body-bytes', String(MAX_BODY), '--read-timeout-ms', String(READ_TIMEOUT_MS)],
    });
    token = (await getToken(srv.endpoint, srv.appKey, srv.appSecret)).accessToken;
    const res = await request(srv, {
      method: 'POST', path: addSpacePath(), headers: authHeaders(),
      body: { option: { scene: 'health', sceneId: '1' } },
    });
    assert.equal(res.status, 200, res.text);
    spaceId = res.json.space.id;
  });
  afterEach(async () => {
    if (srv) await assertStillServing();
  });
  after(async () => {
    await srv?.stop();
  });

  describe('JSON bodies', () => {
    it('malformed JSON on AddSpace gives 400 paramError with a JSON error body', async () => {
      const res = await call({
        method: 'POST', path: addSpacePath(), headers: authHeaders(),
        body: '{"option": {"name": "x",',
      });
      assertWireError(res, 400, 'paramError');
    });

    it('a body that is not JSON at all gives 400 paramError', async () => {
      const res = await call({
        method: 'POST', path: addSpacePath(), headers: authHeaders(), body: 'hello world',
      });
      assertWireError(res, 400, 'paramError');
    });

    it('a number beyond a double (1e999) gives 400 paramError, also nested', async () => {
      for (const body of ['{"option":{"scene":"big","sceneId":"1","quota":1e999}}',
        '{"option":{"scene":"big","sceneId":"2","x":[{"y":-1E5808}]}}']) {
        const res = await call({
          method: 'POST', path: addSpacePath(), headers: authHeaders(), body,
        });
        assertWireError(res, 400, 'paramError');
      }
    });

    it('option.quota as a string gives 400 paramError', async () => {
      const res = await call({
        method: 'POST', path: addSpacePath(), headers: authHeaders(),
        body: { option: { scene: 'types', sceneId: '1', quota: 'abc' } },
      });
      assertWireError(res, 400, 'paramError');
    });

    it('option as an array gives 400 paramError', async () => {
      const res = await call({
        method: 'POST', path: addSpacePath(), headers: authHeaders(),
        body: { option: [1, 2, 3] },
      });
      assertWireError(res, 400, 'paramError');
    });

    it('a top-level array body gives 400 paramError', async () => {
      const res = await call({
        method: 'POST', path: addSpacePath(), headers: authHeaders(), body: '[]',
      });
      assertWireError(res, 400, 'paramError');
    });

    it('capabilities.canSearch as a string gives 400 paramError', async () => {
      const res = await call({
        method: 'POST', path: addSpacePath(), headers: authHeaders(),
        body: { option: { scene: 'types', sceneId: '2', capabilities: { canSearch: 'yes' } } },
      });
      assertWireError(res, 400, 'paramError');
    });

    it('option.name as a number gives 400 paramError', async () => {
      const res = await call({
        method: 'POST', path: addSpacePath(), headers: authHeaders(),
        body: { option: { scene: 'types', sceneId: '3', name: 12 } },
      });
      assert.equal(res.status, 400, res.text);
      assert.match(res.json?.code ?? '', /^paramError/, res.text);
    });

    it('deeply nested JSON gives 400 paramError, not a crash', async () => {
      const depth = 500;
      const body = `{"option":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      assert.ok(body.length <= MAX_BODY);
      const res = await call({ method: 'POST', path: addSpacePath(), headers: authHeaders(), body });
      assertWireError(res, 400, 'paramError');
    });

    it('invalid UTF-8 in a string gives 400 paramError*', async () => {
      const body = Buffer.concat([
        Buffer.from('{"option":{"scene":"utf","sceneId":"1","name":"a'),
        Buffer.from([0xff, 0xfe, 0xc3]),
        Buffer.from('"}}'),
      ]);
      const res = await call({ method: 'POST', path: addSpacePath(), headers: authHeaders(), body });
      assert.equal(res.status, 400, res.text);
      assert.match(res.json?.code ?? '', /^paramError/, res.text);
    });

    it('"option": null is treated as absent', async () => {
      const res = await call({
        method: 'POST', path: addSpacePath(), headers: authHeaders(), body: '{"option":null}',
      });
      assert.equal(res.status, 200, res.text);
      assertWireSpace(res.json.space);
      assert.equal(res.json.space.scene, 'default');
    });

    it('malformed JSON on the token endpoint gives 400 with a JSON code', async () => {
      const res = await call({
        method: 'POST', path: '/v1.0/oauth2/accessToken', body: '{"appKey":',
      });
      assert.equal(res.status, 400, res.text);
      assert.equal(typeof res.json?.code, 'string', res.text);
    });
  });

  describe('chunked bodies', () => {
    it('a chunked JSON body is accepted (as the SDK sends it)', async () => {
      const res = await call({
        method: 'POST', path: addSpacePath(), headers: authHeaders(), chunked: true,
        body: { option: { scene: 'chunked', sceneId: '1', name: 'chunky', quota: 4096 } },
      });
      assert.equal(res.status, 200, res.text);
      assertWireSpace(res.json.space);
      assert.equal(res.json.space.name, 'chunky');
      assert.equal(res.json.space.quota, 4096);
    });
  });

  describe('body size limit (--max-body-bytes 1024)', () => {
    const bigBody = () =>
      JSON.stringify({ option: { scene: 'big', sceneId: '1', name: 'x'.repeat(4096 - 60) } })
        .padEnd(4096, ' ');

    it('a 4096-byte body with Content-Length gives 413 with a JSON code', async () => {
      const body = bigBody();
      assert.equal(Buffer.byteLength(body), 4096);
      const res = await call({ method: 'POST', path: addSpacePath(), headers: authHeaders(), body });
      assert.equal(res.status, 413, res.text);
      assert.equal(typeof res.json?.code, 'string', `413 body must be JSON with code: ${res.text}`);
    });

    it('a 4096-byte chunked body gives 413 with a JSON code', async () => {
      const res = await call({
        method: 'POST', path: addSpacePath(), headers: authHeaders(), body: bigBody(),
        chunked: true,
      });
      assert.equal(res.status, 413, res.text);
      assert.equal(typeof res.json?.code, 'string', `413 body must be JSON with code: ${res.text}`);
    });

    it('a body just under the limit is accepted', async () => {
      const res = await call({
        method: 'POST', path: addSpacePath(), headers: authHeaders(),
        body: JSON.stringify({ option: { scene: 'small', sceneId: '1' } }).padEnd(1000, ' '),
      });
      assert.equal(res.status, 200, res.text);
    });
  });

  describe('slow and broken clients (--read-timeout-ms 500)', () => {
    it('a half-sent body is answered with 408 or the connection is closed', async () => {
      const head =
        `POST ${addSpacePath()} HTTP/1.1\r\n` +
        `Host: ${srv.endpoint}\r\n` +
        `x-acs-dingtalk-access-token: ${token}\r\n` +
        'Content-Type: application/json\r\n' +
        'Content-Length: 100\r\n\r\n' +
        '{"option":';
      const r = await rawExchange(srv, head, 5000);
      assert.ok(r.closed, `connection still open ${r.elapsedMs} ms after a stalled body`);
      if (r.received.length > 0) {
        assert.match(r.received, /^HTTP\/1\.[01] 408 /, `unexpected answer: ${r.received}`);
      }
    });

    it('half-sent headers are answered with 408 or the connection is closed', async () => {
      const r = await rawExchange(srv,
        `GET /v1.0/storage/spaces/${spaceId}?unionId=${srv.unionId} HTTP/1.1\r\nHost: x\r\n`,
        5000);
      assert.ok(r.closed, `connection still open ${r.elapsedMs} ms after stalled headers`);
      if (r.received.length > 0) {
        assert.match(r.received, /^HTTP\/1\.[01] 408 /, `unexpected answer: ${r.received}`);
      }
    });

    it('a garbage request line gets 400 or a closed connection', async () => {
      const r = await rawExchange(srv, 'HELLO THERE\r\n\r\n', 5000);
      assert.ok(r.closed || r.received.length > 0, 'no reaction to a garbage request line');
      if (r.received.length > 0) {
        assert.match(r.received, /^HTTP\/1\.[01] 400 /, `unexpected answer: ${r.received}`);
      }
    });
  });

  describe('routing', () => {
    it('an unknown route under /v1.0/storage gives 404 with a JSON code', async () => {
      const res = await call({
        method: 'GET', path: `/v1.0/storage/nope?unionId=${srv.unionId}`,
        headers: authHeaders(),
      });
      assertWireError(res, 404);
    });

    it('a wrong method on a known route gives 405 with a JSON code', async () => {
      const res = await call({
        method: 'DELETE', path: `/v1.0/storage/spaces?unionId=${srv.unionId}`,
        headers: authHeaders(),
      });
      assertWireError(res, 405);
    });

    it('GET /livez gives 200', async () => {
      const res = await call({ method: 'GET', path: '/livez' });
      assert.equal(res.status, 200, res.text);
    });

    it('GET /readyz gives 200', async () => {
      const res = await call({ method: 'GET', path: '/readyz' });
      assert.equal(res.status, 200, res.text);
    });

    it('successful responses carry x-acs-request-id too, unique per request', async () => {
      const path = `/v1.0/storage/spaces/${spaceId}?unionId=${srv.unionId}`;
      const a = await call({ method: 'GET', path, headers: authHeaders() });
      const b = await call({ method: 'GET', path, headers: authHeaders() });
      assert.equal(a.status, 200);
      assert.notEqual(a.headers['x-acs-request-id'], b.headers['x-acs-request-id']);
    });

    it('an error body\'s requestid matches the x-acs-request-id header', async () => {
      const res = await call({
        method: 'GET', path: `/v1.0/storage/spaces/nonexistent1?unionId=${srv.unionId}`,
        headers: authHeaders(),
      });
      assertWireError(res, 404, 'spaceNotExist');
      assert.equal(res.json.requestid, res.headers['x-acs-request-id']);
    });
  });
});
