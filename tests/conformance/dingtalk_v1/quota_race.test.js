'use strict';
// Quota under concurrency (reference §3 "used <= max", §4.4). A space with quota 1 MiB and
// 32 clients, each with its own SDK client, that at the same moment authorize, PUT and
// commit a 48 KiB file: 32 x 48 KiB = 1.5 MiB, so only floor(1 MiB / 48 KiB) = 21 fit.
// Whatever the interleaving, afterwards usedQuota <= quota, usedQuota = 48 KiB x successful
// commits, exactly 21 succeed (a refusal while there was room would be a bug too), every
// refusal is 403 quotaExceeded (at authorization or at commit) or 403 QuotaExceeded (an
// undeclared PUT once the committed and reserved bytes leave no room for it), and every stored
// file downloads intact.
//
// Round 1 declares preCheckParam.size (refusals may come at authorization); round 2 does
// not (refusals come at the PUT or at commit).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startServer } = require('../lib/server');
const { getToken, dingtalk } = require('../lib/dingtalk');
const { request } = require('../lib/http');
const { assertWireSpace } = require('../lib/checks');
const { md5Hex, putSigned, downloadFile } = require('../lib/files');

const QUOTA = 1024 * 1024;
const SIZE = 48 * 1024;
const CLIENTS = 32;
const FITS = Math.floor(QUOTA / SIZE); // 21
const LEFT = QUOTA - FITS * SIZE; // 16 KiB

describe('quota race', { timeout: 180000 }, () => {
  let srv;
  let U;
  let token;
  let dt;

  before(async () => {
    srv = await startServer();
    U = srv.unionId;
    token = (await getToken(srv.endpoint, srv.appKey, srv.appSecret)).accessToken;
    dt = dingtalk(srv.endpoint, token);
  });
  after(async () => {
    await srv?.stop();
  });

  /**
   * One client's attempt. Returns {stage:'committed', dentry, bytes} or
   * {stage:'authorize'|'commit', err} or {stage:'put', put} for a refusal; anything else is
   * thrown.
   */
  async function attempt(client, spaceId, i, declare) {
    const declareSize = declare === 'mixed' ? i % 2 === 0 : declare;
    const bytes = crypto.randomBytes(SIZE);
    const name = `racer-${String(i).padStart(2, '0')}.bin`;
    let info;
    try {
      info = await client.getFileUploadInfo(spaceId, U, declareSize
        ? { name, parentId: '0', size: SIZE, md5: md5Hex(bytes) }
        : undefined);
    } catch (err) {
      return { i, stage: 'authorize', err };
    }
    const put = await putSigned(info.headerSignatureInfo, bytes);
    if (!declareSize && put.status === 403) return { i, stage: 'put', put };
    assert.equal(put.status, 200, `client ${i} PUT: ${put.status} ${put.text}`);
    try {
      const dentry = await client.commitFile(spaceId, U,
        { uploadKey: info.uploadKey, name, parentId: '0' }, { size: SIZE });
      return { i, stage: 'committed', dentry, bytes };
    } catch (err) {
      return { i, stage: 'commit', err };
    }
  }

  async function race(spaceId, declareSize) {
    // Separate SDK clients; all calls start in the same tick.
    const clients = Array.from({ length: CLIENTS }, () => dingtalk(srv.endpoint, token));
    return Promise.all(clients.map((c, i) => attempt(c, spaceId, i, declareSize)));
  }

  async function checkOutcome(t, spaceId, results, { refusalsAt }) {
    const ok = results.filter((r) => r.stage === 'committed');
    const refused = results.filter((r) => r.stage !== 'committed');
    const at = (stage) => results.filter((r) => r.stage === stage).length;
    t.diagnostic(`committed ${at('committed')}, refused at authorization ` +
      `${at('authorize')}, at the PUT ${at('put')}, at commit ${at('commit')}`);
    for (const r of refused) {
      assert.ok(refusalsAt.includes(r.stage), `client ${r.i} refused at ${r.stage}`);
      if (r.stage === 'put') {
        // The transfer endpoints' error shape (docs/api/transfer.md).
        assert.equal(JSON.parse(r.put.text).code, 'QuotaExceeded', `client ${r.i}: ${r.put.text}`);
        continue;
      }
      assert.equal(r.err.statusCode, 403,
        `client ${r.i} (${r.stage}): ${r.err.statusCode} ${r.err.code} ${r.err.message}`);
      assert.equal(r.err.code, 'quotaExceeded', `client ${r.i} (${r.stage}): ${r.err.message}`);
    }

    const s = await dt.getSpace(spaceId, U);
    assert.ok(s.usedQuota <= QUOTA, `usedQuota ${s.usedQuota} exceeds quota ${QUOTA}`);
    assert.equal(s.usedQuota, ok.length * SIZE,
      `usedQuota ${s.usedQuota} != ${ok.length} commits x ${SIZE}`);
    assert.equal(s.partitions[0].quota.used, s.usedQuota);
    assert.equal(ok.length, FITS,
      `${ok.length} commits succeeded, ${FITS} fit (refused: ` +
      `${refused.map((r) => `${r.i}@${r.stage}`).join(' ')})`);
    assert.equal(refused.length, CLIENTS - FITS);

    // Exactly the committed files exist, each with its own bytes.
    const listed = await dt.listDentries(spaceId, U, { parentId: '0', orderBy: 'NAME',
      order: 'ASC' });
    assert.deepEqual(listed.dentries.map((d) => d.name),
      ok.map((r) => r.dentry.name).sort());
    for (const r of ok) {
      assert.equal(r.dentry.size, SIZE);
      const got = await downloadFile(dt, spaceId, r.dentry.id, U);
      assert.equal(got.status, 200);
      assert.ok(got.body.equals(r.bytes), `client ${r.i}: downloaded bytes differ`);
    }

    // Wire view agrees.
    const res = await request(srv, {
      method: 'GET', path: `/v1.0/storage/spaces/${spaceId}?unionId=${U}`,
      headers: { 'x-acs-dingtalk-access-token': token },
    });
    assert.equal(res.status, 200);
    assertWireSpace(res.json.space);
    assert.equal(res.json.space.usedQuota, ok.length * SIZE);
    return ok.length;
  }

  async function fillTheRest(spaceId) {
    // The remaining 16 KiB fit exactly; then not a byte more.
    const rest = crypto.randomBytes(LEFT);
    const info = await dt.getFileUploadInfo(spaceId, U, { size: LEFT });
    assert.equal((await putSigned(info.headerSignatureInfo, rest)).status, 200);
    await dt.commitFile(spaceId, U, { uploadKey: info.uploadKey, name: 'rest.bin',
      parentId: '0' }, { size: LEFT });
    assert.equal((await dt.getSpace(spaceId, U)).usedQuota, QUOTA);
    let err;
    try {
      await dt.getFileUploadInfo(spaceId, U, { size: 1 });
    } catch (e) {
      err = e;
    }
    assert.ok(err, 'a 1-byte authorization in a full space must be refused');
    assert.equal(err.statusCode, 403);
    assert.equal(err.code, 'quotaExceeded');
  }

  it(`${CLIENTS} clients with preCheckParam.size: exactly ${FITS} fit, the rest 403`,
    async (t) => {
      const space = await dt.addSpace(U, { scene: 'race', sceneId: '1', quota: QUOTA });
      const results = await race(space.id, true);
      await checkOutcome(t, space.id, results, { refusalsAt: ['authorize', 'commit'] });
      await fillTheRest(space.id);
    });

  it(`${CLIENTS} clients without a declared size: refusals come at the PUT or at commit`,
    async (t) => {
    const space = await dt.addSpace(U, { scene: 'race', sceneId: '2', quota: QUOTA });
    const results = await race(space.id, false);
    assert.ok(results.every((r) => r.stage !== 'authorize'),
      'nothing to check at authorization without a size');
    await checkOutcome(t, space.id, results, { refusalsAt: ['put', 'commit'] });
    await fillTheRest(space.id);
    });

  it(`${CLIENTS} clients, half declaring a size: still exactly ${FITS}`, async (t) => {
    const space = await dt.addSpace(U, { scene: 'race', sceneId: '4', quota: QUOTA });
    const results = await race(space.id, 'mixed');
    for (const r of results) {
      if (r.i % 2 === 1) assert.notEqual(r.stage, 'authorize', `client ${r.i}`);
    }
    await checkOutcome(t, space.id, results, { refusalsAt: ['authorize', 'put', 'commit'] });
    await fillTheRest(space.id);
  });

  it('a reservation is honoured: an undeclared upload cannot take the reserved room',
    async () => {
      const space = await dt.addSpace(U, { scene: 'race', sceneId: '5', quota: 1000 });
      const reserved = await dt.getFileUploadInfo(space.id, U, { size: 1000 });
      const sneaky = await dt.getFileUploadInfo(space.id, U);
      // Its body is refused while it arrives (docs/api/transfer.md, "Quota while the body
      // arrives"), so it never reaches a commit.
      const cut = await putSigned(sneaky.headerSignatureInfo, Buffer.alloc(1000, 1));
      assert.equal(cut.status, 403, cut.text);
      assert.equal(JSON.parse(cut.text).code, 'QuotaExceeded');
      assert.equal((await putSigned(reserved.headerSignatureInfo, Buffer.alloc(1000, 2))).status,
        200);
      const d = await dt.commitFile(space.id, U,
        { uploadKey: reserved.uploadKey, name: 'reserved.bin', parentId: '0' }, { size: 1000 });
      assert.equal(d.size, 1000);
      assert.equal((await dt.getSpace(space.id, U)).usedQuota, 1000);
    });

  it('the spaces do not share quota, and the server still serves', async () => {
    const third = await dt.addSpace(U, { scene: 'race', sceneId: '3', quota: QUOTA });
    const info = await dt.getFileUploadInfo(third.id, U, { size: SIZE });
    assert.equal(typeof info.uploadKey, 'string');
    assert.equal((await dt.getSpace(third.id, U)).usedQuota, 0);
  });
});

// The flip side of reserving quota at authorization: an upload that declared its size and
// was then abandoned must give the room back once its uploadKey expires.
describe('abandoned reservations (--upload-ttl 1 --collect-interval 1)', { timeout: 60000 },
  () => {
    let srv;
    let U;
    let dt;
    before(async () => {
      srv = await startServer({ args: ['--upload-ttl', '1', '--collect-interval', '1'] });
      U = srv.unionId;
      const token = (await getToken(srv.endpoint, srv.appKey, srv.appSecret)).accessToken;
      dt = dingtalk(srv.endpoint, token);
    });
    after(async () => {
      await srv?.stop();
    });

    it('a declared size holds the room until the uploadKey expires, then frees it',
      async () => {
        const space = await dt.addSpace(U, { scene: 'abandon', sceneId: '1', quota: 1000 });
        const held = await dt.getFileUploadInfo(space.id, U, { size: 1000 });
        let err;
        try {
          await dt.getFileUploadInfo(space.id, U, { size: 1 });
        } catch (e) {
          err = e;
        }
        assert.ok(err, 'the full quota is held by the first authorization');
        assert.equal(err.statusCode, 403);
        assert.equal(err.code, 'quotaExceeded');
        assert.equal((await dt.getSpace(space.id, U)).usedQuota, 0,
          'a reservation is not usage');
        // Within 10 s of expiry the room is back.
        const deadline = Date.now() + 10000;
        let info;
        while (!info) {
          try {
            info = await dt.getFileUploadInfo(space.id, U, { size: 1000 });
          } catch (e) {
            assert.equal(e.code, 'quotaExceeded', e.message);
            assert.ok(Date.now() < deadline, 'the abandoned reservation was never released');
            await new Promise((r) => setTimeout(r, 250));
          }
        }
        // The expired key itself is dead.
        let late;
        try {
          await dt.commitFile(space.id, U,
            { uploadKey: held.uploadKey, name: 'late.bin', parentId: '0' });
        } catch (e) {
          late = e;
        }
        assert.ok(late, 'an expired uploadKey cannot be committed');
        assert.equal(late.statusCode, 400, late.message);
        assert.equal(late.code, 'paramError');
      });
  });
