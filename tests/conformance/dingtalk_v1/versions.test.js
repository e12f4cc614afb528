'use strict';
// ListDentryVersions and RevertDentryVersion through the official SDK (reference §4.8):
// version pages newest first with an opaque nextToken, a revert that makes a new latest
// version holding the old bytes and charges them to usedQuota, and every bad input with its
// documented error (docs/api/dingtalk-v1.md, Versions).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startServer } = require('../lib/server');
const { getToken, dingtalk, expectError } = require('../lib/dingtalk');
const { request } = require('../lib/http');
const { assertWireDentry } = require('../lib/checks');
const { uploadFile, downloadFile } = require('../lib/files');

const plain = (m) => JSON.parse(JSON.stringify(m));

describe('versions: ListDentryVersions and RevertDentryVersion', { timeout: 180000 }, () => {
  let srv;
  let token;
  let dt;
  let U;
  let space;
  let other; // a second space, for foreign ids
  let file; // five versions: contents[0..4]
  const contents = [];

  before(async () => {
    srv = await startServer();
    U = srv.unionId;
    token = (await getToken(srv.endpoint, srv.appKey, srv.appSecret)).accessToken;
    dt = dingtalk(srv.endpoint, token);
    space = await dt.addSpace(U, { scene: 'versions', sceneId: '1', quota: 1000000 });
    other = await dt.addSpace(U, { scene: 'versions', sceneId: '2' });
    for (let i = 0; i < 5; i++) {
      const bytes = crypto.randomBytes(1000 * (i + 1));
      contents.push(bytes);
      const { dentry } = await uploadFile(dt, space.id, U, {
        name: 'doc.bin', parentId: '0', bytes, overwriteDentryId: file?.id,
      });
      file = dentry;
    }
    assert.equal(file.version, 5);
  });
  after(async () => {
    await srv?.stop();
  });

  it('pages newest first with an opaque nextToken', async () => {
    const seen = [];
    let nextToken;
    let pages = 0;
    do {
      const page = await dt.listDentryVersions(space.id, file.id, U,
        nextToken === undefined ? { maxResults: 2 } : { maxResults: 2, nextToken });
      pages += 1;
      assert.ok(page.dentries.length <= 2);
      for (const d of page.dentries) {
        assertWireDentry(plain(d), 'versions dentry');
        assert.equal(d.id, file.id);
        assert.equal(d.name, 'doc.bin');
        assert.equal(d.type, 'FILE');
        assert.equal(d.size, 1000 * d.version, 'each version has its own size');
        seen.push(d.version);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    assert.deepEqual(seen, [5, 4, 3, 2, 1]);
    assert.equal(pages, 3);
  });

  it('answers every version on one page by default, without nextToken', async () => {
    const page = await dt.listDentryVersions(space.id, file.id, U);
    assert.deepEqual(page.dentries.map((d) => d.version), [5, 4, 3, 2, 1]);
    assert.equal(page.nextToken, undefined);
    const exact = await dt.listDentryVersions(space.id, file.id, U, { maxResults: 5 });
    assert.equal(exact.nextToken, undefined, 'a page holding exactly the rest ends the list');
  });

  it('sends the plain Dentry shape on the wire, nextToken only when more follow', async () => {
    const res = await request(srv, {
      method: 'GET',
      path: `/v1.0/storage/spaces/${space.id}/dentries/${file.id}/versions?unionId=${U}` +
        '&maxResults=1',
      headers: { 'x-acs-dingtalk-access-token': token },
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.json).sort(), ['dentries', 'nextToken']);
    assert.equal(typeof res.json.nextToken, 'string');
    const d = res.json.dentries[0];
    assertWireDentry(d, 'dentries[0]');
    assert.equal(d.version, 5);
    assert.equal(d.extension, 'bin');
    assert.ok(!('category' in d) && !('thumbnail' in d), 'ListDentryVersions answers Dentry');
  });

  it('reverts: a new latest version with the old bytes, charged to usedQuota', async () => {
    const before = (await dt.getSpace(space.id, U)).usedQuota;
    assert.equal(before, 15000);
    const r = await dt.revertDentryVersion(space.id, file.id, 2, U);
    assert.deepEqual(plain(r), { success: true });
    const now = await dt.getDentry(space.id, file.id, U);
    assert.equal(now.version, 6);
    assert.equal(now.size, 2000);
    const latest = await downloadFile(dt, space.id, file.id, U);
    assert.equal(latest.status, 200);
    assert.ok(latest.body.equals(contents[1]), 'the latest version holds version 2 bytes');
    const v5 = await downloadFile(dt, space.id, file.id, U, { version: 5 });
    assert.ok(v5.body.equals(contents[4]), 'older versions are untouched');
    assert.equal((await dt.getSpace(space.id, U)).usedQuota, before + 2000);
    const page = await dt.listDentryVersions(space.id, file.id, U, { maxResults: 1 });
    assert.equal(page.dentries[0].version, 6);
    assert.equal(page.dentries[0].size, 2000);
  });

  it('reverting to the latest version adds one too', async () => {
    const before = (await dt.getSpace(space.id, U)).usedQuota;
    await dt.revertDentryVersion(space.id, file.id, 6, U);
    assert.equal((await dt.getDentry(space.id, file.id, U)).version, 7);
    assert.equal((await dt.getSpace(space.id, U)).usedQuota, before + 2000);
  });

  it('refuses a revert the quota cannot take, changing nothing', async () => {
    const small = await dt.addSpace(U, { scene: 'versions', sceneId: 'small', quota: 1500 });
    const { dentry } = await uploadFile(dt, small.id, U, {
      name: 'a.bin', parentId: '0', bytes: crypto.randomBytes(1000),
    });
    await expectError(dt.revertDentryVersion(small.id, dentry.id, 1, U), 403, 'quotaExceeded');
    assert.equal((await dt.getDentry(small.id, dentry.id, U)).version, 1);
    assert.equal((await dt.getSpace(small.id, U)).usedQuota, 1000);
  });

  it('refuses bad versions', async () => {
    const before = (await dt.getDentry(space.id, file.id, U)).version;
    for (const v of ['99', '0', '-1']) {
      await expectError(dt.revertDentryVersion(space.id, file.id, v, U), 404, 'versionNotExist');
    }
    for (const v of ['abc', '1.5', '99999999999999999999']) {
      await expectError(dt.revertDentryVersion(space.id, file.id, v, U), 400, 'paramError');
    }
    assert.equal((await dt.getDentry(space.id, file.id, U)).version, before);
  });

  it('refuses folders, unknown and foreign dentries', async () => {
    const folder = await dt.addFolder(space.id, '0', U, 'dir');
    await expectError(dt.listDentryVersions(space.id, folder.id, U), 400, 'paramError');
    await expectError(dt.revertDentryVersion(space.id, folder.id, 1, U), 400, 'paramError');
    await expectError(dt.listDentryVersions(space.id, '999999999999', U), 404, 'dentryNotExist');
    await expectError(dt.revertDentryVersion(space.id, '999999999999', 1, U), 404,
      'dentryNotExist');
    // A file of this space addressed through another space is missing there.
    await expectError(dt.listDentryVersions(other.id, file.id, U), 404, 'dentryNotExist');
    await expectError(dt.revertDentryVersion(other.id, file.id, 1, U), 404, 'dentryNotExist');
    await expectError(dt.listDentryVersions('999999999999', file.id, U), 404, 'spaceNotExist');
  });

  it('refuses bad pages', async () => {
    for (const maxResults of [0, 101, -1]) {
      await expectError(dt.listDentryVersions(space.id, file.id, U, { maxResults }), 400,
        'paramError');
    }
    await expectError(
      dt.listDentryVersions(space.id, file.id, U, { maxResults: 1, nextToken: 'garbage' }), 400,
      'paramError');
    // A token of one file is no token for another.
    const { dentry: second } = await uploadFile(dt, space.id, U, {
      name: 'second.bin', parentId: '0', bytes: Buffer.from('x'),
    });
    await uploadFile(dt, space.id, U, {
      name: 'second.bin', parentId: '0', bytes: Buffer.from('y'), overwriteDentryId: second.id,
    });
    const page = await dt.listDentryVersions(space.id, second.id, U, { maxResults: 1 });
    assert.ok(page.nextToken);
    await expectError(
      dt.listDentryVersions(space.id, file.id, U, { nextToken: page.nextToken }), 400,
      'paramError');
  });

  it('refuses a user without access to the space', async () => {
    srv.admin(['user', 'create', '--corp-id', srv.corpId, '--union-id', 'outsider']);
    await expectError(dt.listDentryVersions(space.id, file.id, 'outsider'), 403,
      'permissionDenied');
    await expectError(dt.revertDentryVersion(space.id, file.id, 1, 'outsider'), 403,
      'permissionDenied');
  });
});
