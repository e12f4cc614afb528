'use strict';
// The cluster run itself (SPACESTORE_NODES=N, lib/server.js): the forwarder spreads calls over
// every node, and what one node writes another answers at once. Skipped with one server.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./lib/server');
const { getToken, dingtalk } = require('./lib/dingtalk');

const clustered = Number(process.env.SPACESTORE_NODES || '1') > 1;

describe('Cluster', { timeout: 120000, skip: !clustered && 'SPACESTORE_NODES is not set' }, () => {
  let srv;
  before(async () => {
    srv = await startServer();
  });
  after(async () => {
    if (srv) await srv.stop();
  });

  it('sends calls to every node, which answer as one', async () => {
    const token = (await getToken(srv.endpoint, srv.appKey, srv.appSecret)).accessToken;
    const dt = dingtalk(srv.endpoint, token);
    for (let i = 0; i < 20; ++i) {
      const added = await dt.addSpace(srv.unionId, { scene: 'cluster', sceneId: String(i) });
      // Identical AddSpace on whichever node: the same space.
      const again = await dt.addSpace(srv.unionId, { scene: 'cluster', sceneId: String(i) });
      assert.equal(again.id, added.id);
      const got = await dt.getSpace(added.id, srv.unionId);
      assert.equal(got.id, added.id);
    }
    const counts = srv.forwardedCounts();
    assert.equal(counts.length, srv.nodeCount);
    for (const [i, n] of counts.entries()) assert.ok(n > 0, `node ${i} got no call: ${counts}`);
  });
});
