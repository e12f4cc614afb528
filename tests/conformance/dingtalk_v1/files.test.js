'use strict';
// The full SDK file round trip (reference §4.2–§4.5, seed 004): token -> space -> nested
// folders -> GetFileUploadInfo -> PUT to the signed URL -> CommitFile -> ListDentries paging
// and ordering -> GetDentries with good, missing and foreign ids -> GetFileDownloadInfo + GET
// -> overwrite and versions -> multipart upload -> Range downloads -> usedQuota.
//
// Every storage call goes through the official SDK; the bytes travel over plain HTTP with
// exactly the headers the server handed out. The its of the top-level describe run in order
// and build on each other.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startServer } = require('../lib/server');
const { getToken, dingtalk } = require('../lib/dingtalk');
const { request } = require('../lib/http');
const {
  assertWireDentry, assertWireHeaderSignatureInfo, assertWireSpace,
} = require('../lib/checks');
const {
  md5Hex, putSigned, getSigned, uploadFile, downloadFile,
} = require('../lib/files');

const plain = (m) => JSON.parse(JSON.stringify(m));

describe('files: SDK round trip', { timeout: 180000 }, () => {
  let srv;
  let token;
  let dt;
  let space; // the space under test
  let other; // a second space of the same org, for foreign ids
  let U; // unionId
  let committed = 0; // sum of every committed size, all versions, in `space`
  const allIds = new Set(); // every dentry created in `space`
  const folders = {}; // a, b, c
  let helloBytes;
  let hello; // /a/b/c/hello.bin
  let foreignFile;

  function track(dentry) {
    allIds.add(dentry.id);
    if (dentry.type === 'FILE') committed += dentry.size;
    return dentry;
  }

  const wireHeaders = () => ({ 'x-acs-dingtalk-access-token': token });

  before(async () => {
    srv = await startServer();
    U = srv.unionId;
    token = (await getToken(srv.endpoint, srv.appKey, srv.appSecret)).accessToken;
    dt = dingtalk(srv.endpoint, token);
    space = await dt.addSpace(U, { scene: 'files', sceneId: '1', name: 'Files' });
    other = await dt.addSpace(U, { scene: 'files', sceneId: '2', name: 'Other' });
  });
  after(async () => {
    await srv?.stop();
  });

  it('AddFolder builds a/b/c with parent ids and paths', async () => {
    const a = await dt.addFolder(space.id, '0', U, 'a');
    const b = await dt.addFolder(space.id, a.id, U, 'b');
    const c = await dt.addFolder(space.id, b.id, U, 'c');
    for (const [f, name, parentId, path] of [
      [a, 'a', '0', '/a'], [b, 'b', a.id, '/a/b'], [c, 'c', b.id, '/a/b/c'],
    ]) {
      assert.equal(f.type, 'FOLDER');
      assert.equal(f.name, name);
      assert.equal(f.parentId, parentId);
      assert.equal(f.path, path);
      assert.equal(f.spaceId, space.id);
      assert.equal(f.status, 'NORMAL');
      assert.equal(f.creatorId, U);
      assert.equal(f.modifierId, U);
      assert.equal(f.version, 1);
      assert.equal(f.size, undefined, 'folders have no size');
      assert.equal(f.extension, undefined, 'folders have no extension');
      assert.equal(typeof f.uuid, 'string');
      assert.ok(f.uuid.length > 0);
      track(f);
    }
    assert.equal(new Set([a.id, b.id, c.id]).size, 3, 'ids are distinct');
    Object.assign(folders, { a, b, c });
  });

  it('GetDentry returns what AddFolder returned (SDK view and exact wire types)', async () => {
    const got = await dt.getDentry(space.id, folders.c.id, U);
    const want = plain(folders.c);
    const have = plain(got);
    for (const k of Object.keys(want)) assert.deepEqual(have[k], want[k], `field ${k}`);
    const res = await request(srv, {
      method: 'POST',
      path: `/v1.0/storage/spaces/${space.id}/dentries/${folders.c.id}/query?unionId=${U}`,
      headers: wireHeaders(),
      body: { option: { withThumbnail: false } },
    });
    assert.equal(res.status, 200, res.text);
    assertWireDentry(res.json.dentry, 'dentry');
    assert.equal(res.json.dentry.type, 'FOLDER');
  });

  it('GetFileUploadInfo hands out an uploadKey and a signed PUT', async () => {
    helloBytes = crypto.randomBytes(4096 + 17);
    const info = await dt.getFileUploadInfo(space.id, U, {
      name: 'hello.bin', parentId: folders.c.id, size: helloBytes.length,
      md5: md5Hex(helloBytes),
    });
    assert.equal(typeof info.uploadKey, 'string');
    assert.ok(info.uploadKey.length > 0);
    assert.equal(info.protocol, 'HEADER_SIGNATURE');
    assert.equal(info.storageDriver, 'DINGTALK');
    const sig = info.headerSignatureInfo;
    assert.ok(sig.resourceUrls.length >= 1);
    assert.equal(typeof sig.headers.Authorization, 'string');
    assert.equal(typeof sig.headers['x-oss-date'], 'string');
    assert.ok(sig.expirationSeconds > 0);

    // Wire view of a second authorization: exact types.
    const res = await request(srv, {
      method: 'POST',
      path: `/v1.0/storage/spaces/${space.id}/files/uploadInfos/query?unionId=${U}`,
      headers: wireHeaders(),
      body: { protocol: 'HEADER_SIGNATURE', multipart: false },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(typeof res.json.uploadKey, 'string');
    assert.notEqual(res.json.uploadKey, info.uploadKey, 'each authorization has its own key');
    assert.equal(res.json.protocol, 'HEADER_SIGNATURE');
    assert.equal(res.json.storageDriver, 'DINGTALK');
    assertWireHeaderSignatureInfo(res.json.headerSignatureInfo);

    // PUT the bytes with exactly the returned headers: 200, empty body.
    const put = await putSigned(sig, helloBytes);
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.length, 0, 'PUT answers with an empty body');

    // CommitFile creates the dentry.
    hello = track(await dt.commitFile(space.id, U,
      { uploadKey: info.uploadKey, name: 'hello.bin', parentId: folders.c.id },
      { size: helloBytes.length }));
    assert.equal(hello.type, 'FILE');
    assert.equal(hello.name, 'hello.bin');
    assert.equal(hello.parentId, folders.c.id);
    assert.equal(hello.path, '/a/b/c/hello.bin');
    assert.equal(hello.size, helloBytes.length);
    assert.equal(hello.version, 1);
    assert.equal(hello.extension, 'bin');
    assert.equal(hello.status, 'NORMAL');
    assert.equal(hello.spaceId, space.id);
    assert.equal(hello.creatorId, U);
    assert.equal(typeof hello.category, 'string', 'CommitFile returns DentryTC (category)');
  });

  it('a chunked PUT with its own Content-Type is accepted too', async () => {
    const bytes = Buffer.from('chunked body, any content type\n'.repeat(300));
    const info = await dt.getFileUploadInfo(space.id, U,
      { name: 'chunked.txt', parentId: folders.c.id, size: bytes.length });
    const put = await putSigned(info.headerSignatureInfo, bytes,
      { chunked: true, extraHeaders: { 'Content-Type': 'text/plain; charset=utf-8' } });
    assert.equal(put.status, 200, put.text);
    const d = track(await dt.commitFile(space.id, U,
      { uploadKey: info.uploadKey, name: 'chunked.txt', parentId: folders.c.id },
      { size: bytes.length }));
    assert.equal(d.size, bytes.length);
    assert.equal(d.extension, 'txt');
    const got = await downloadFile(dt, space.id, d.id, U);
    assert.equal(got.status, 200);
    assert.ok(got.body.equals(bytes), 'chunked upload round-trips');
  });

  describe('ListDentries', () => {
    let paging; // folder with 7 children
    const children = []; // {id, name}
    // Distinct lowercase first letters: NAME order is unambiguous under any collation.
    const NAMES = ['delta.txt', 'alpha', 'golf.bin', 'charlie', 'echo.txt', 'bravo.txt',
      'foxtrot'];

    before(async () => {
      paging = track(await dt.addFolder(space.id, folders.a.id, U, 'paging'));
      for (const [i, name] of NAMES.entries()) {
        let d;
        if (name.includes('.')) {
          ({ dentry: d } = await uploadFile(dt, space.id, U, {
            name, parentId: paging.id, bytes: crypto.randomBytes(100 + i * 10),
          }));
        } else {
          d = await dt.addFolder(space.id, paging.id, U, name);
        }
        track(d);
        children.push({ id: d.id, name });
      }
    });

    async function allPages(query) {
      const pages = [];
      let nextToken;
      for (let guard = 0; guard < 20; guard++) {
        const body = await dt.listDentries(space.id, U,
          { parentId: paging.id, ...query, ...(nextToken ? { nextToken } : {}) });
        pages.push(body);
        nextToken = body.nextToken;
        if (!nextToken) return pages;
      }
      assert.fail('nextToken never ran out after 20 pages');
    }

    it('maxResults 3 pages through 7 entries: 3+3+1, each id exactly once', async () => {
      const pages = await allPages({ maxResults: 3 });
      assert.deepEqual(pages.map((p) => (p.dentries || []).length), [3, 3, 1]);
      for (const p of pages.slice(0, -1)) {
        assert.equal(typeof p.nextToken, 'string');
        assert.ok(p.nextToken.length > 0, 'non-last pages carry a nextToken');
      }
      assert.equal(pages.at(-1).nextToken, undefined, 'the last page has no nextToken');
      const ids = pages.flatMap((p) => p.dentries.map((d) => d.id));
      assert.equal(ids.length, 7);
      assert.equal(new Set(ids).size, 7, `ids seen twice: ${ids}`);
      assert.deepEqual(new Set(ids), new Set(children.map((c) => c.id)));
      for (const p of pages) {
        for (const d of p.dentries) assert.equal(d.parentId, paging.id);
      }
    });

    it('the last page omits nextToken on the wire, and items have exact types', async () => {
      const base = `/v1.0/storage/spaces/${space.id}/dentries?unionId=${U}` +
        `&parentId=${paging.id}&maxResults=3`;
      let res = await request(srv, { method: 'GET', path: base, headers: wireHeaders() });
      assert.equal(res.status, 200, res.text);
      let pages = 1;
      while (res.json.nextToken !== undefined) {
        assert.equal(typeof res.json.nextToken, 'string');
        assert.ok(res.json.nextToken.length > 0, 'nextToken is omitted, not empty');
        for (const d of res.json.dentries) assertWireDentry(d, 'dentries[]');
        res = await request(srv, {
          method: 'GET',
          path: `${base}&nextToken=${encodeURIComponent(res.json.nextToken)}`,
          headers: wireHeaders(),
        });
        assert.equal(res.status, 200, res.text);
        assert.ok(++pages <= 3, 'no more than 3 pages');
      }
      assert.equal(pages, 3);
      assert.ok(!('nextToken' in res.json), `last page: ${res.text}`);
      assert.equal(res.json.dentries.length, 1);
      assertWireDentry(res.json.dentries[0], 'dentries[0]');
    });

    it('without maxResults all 7 come in one page with no nextToken', async () => {
      const body = await dt.listDentries(space.id, U, { parentId: paging.id });
      assert.equal(body.dentries.length, 7);
      assert.equal(body.nextToken, undefined);
      for (const d of body.dentries) {
        if (d.type === 'FOLDER') {
          assert.equal(d.size, undefined);
        } else {
          assert.equal(typeof d.category, 'string', 'ListDentries returns DentryTC');
        }
      }
    });

    it('orderBy NAME ASC sorts by name, also across pages', async () => {
      const sorted = [...NAMES].sort();
      const one = await dt.listDentries(space.id, U,
        { parentId: paging.id, orderBy: 'NAME', order: 'ASC' });
      assert.deepEqual(one.dentries.map((d) => d.name), sorted);
      const pages = await allPages({ orderBy: 'NAME', order: 'ASC', maxResults: 3 });
      assert.deepEqual(pages.flatMap((p) => p.dentries.map((d) => d.name)), sorted);
    });

    it('orderBy NAME DESC is the reverse', async () => {
      const pages = await allPages({ orderBy: 'NAME', order: 'DESC', maxResults: 3 });
      assert.deepEqual(pages.flatMap((p) => p.dentries.map((d) => d.name)),
        [...NAMES].sort().reverse());
    });

    it('the root lists the top level only', async () => {
      const body = await dt.listDentries(space.id, U, { parentId: '0' });
      assert.deepEqual(body.dentries.map((d) => d.id), [folders.a.id]);
      assert.equal(body.dentries[0].parentId, '0');
    });
  });

  describe('GetDentries', () => {
    before(async () => {
      ({ dentry: foreignFile } = await uploadFile(dt, other.id, U, {
        name: 'foreign.txt', parentId: '0', bytes: Buffer.from('not yours'),
      }));
    });

    it('mixes good, missing and foreign ids; failures are per item with HTTP 200', async () => {
      const ids = [folders.a.id, hello.id, 'doesNotExist123', foreignFile.id, folders.c.id];
      const body = await dt.getDentries(space.id, U, ids);
      assert.equal(body.resultItems.length, ids.length);
      body.resultItems.forEach((item, i) => {
        assert.equal(item.dentryId, ids[i], `item ${i} is in request order`);
        assert.equal(item.spaceId, space.id);
      });
      const [a, h, missing, foreign, c] = body.resultItems;
      for (const ok of [a, h, c]) {
        assert.equal(ok.success, true);
        assert.equal(ok.errorCode, undefined);
        assert.equal(ok.dentry.id, ok.dentryId);
        assert.equal(ok.dentry.spaceId, space.id);
      }
      assert.equal(a.dentry.type, 'FOLDER');
      assert.equal(a.dentry.path, '/a');
      assert.equal(h.dentry.type, 'FILE');
      assert.equal(h.dentry.size, helloBytes.length);
      assert.equal(h.dentry.path, '/a/b/c/hello.bin');
      for (const bad of [missing, foreign]) {
        assert.equal(bad.success, false);
        assert.equal(bad.errorCode, 'dentryNotExist');
        assert.equal(bad.dentry, undefined, 'a failed item carries no dentry');
      }
    });

    it('an id asked for twice is answered twice, in place', async () => {
      const ids = [hello.id, folders.a.id, hello.id];
      const body = await dt.getDentries(space.id, U, ids);
      assert.deepEqual(body.resultItems.map((x) => x.dentryId), ids);
      for (const item of body.resultItems) {
        assert.equal(item.success, true);
        assert.equal(item.dentry.id, item.dentryId);
      }
      assert.deepEqual(body.resultItems[0].dentry, body.resultItems[2].dentry);
      assert.equal(body.resultItems[2].dentry.path, '/a/b/c/hello.bin');
    });

    it('the foreign id is fine in its own space', async () => {
      const body = await dt.getDentries(other.id, U, [foreignFile.id]);
      assert.equal(body.resultItems[0].success, true);
      assert.equal(body.resultItems[0].dentry.name, 'foreign.txt');
    });

    it('exact JSON types on the wire: folders have no size or extension', async () => {
      const ids = [folders.b.id, hello.id, 'doesNotExist123'];
      const res = await request(srv, {
        method: 'POST',
        path: `/v1.0/storage/spaces/${space.id}/dentries/query?unionId=${U}`,
        headers: wireHeaders(),
        body: { dentryIds: ids, option: { withThumbnail: false } },
      });
      assert.equal(res.status, 200, res.text);
      assert.ok(Array.isArray(res.json.resultItems));
      res.json.resultItems.forEach((item, i) => {
        const w = `resultItems[${i}]`;
        assert.equal(typeof item.spaceId, 'string', `${w}.spaceId`);
        assert.equal(typeof item.dentryId, 'string', `${w}.dentryId`);
        assert.equal(typeof item.success, 'boolean', `${w}.success`);
        for (const [k, v] of Object.entries(item)) assert.notEqual(v, null, `${w}.${k}`);
        if (item.success) assertWireDentry(item.dentry, `${w}.dentry`);
        else assert.equal(typeof item.errorCode, 'string', `${w}.errorCode`);
      });
      const [folder, file] = res.json.resultItems.map((x) => x.dentry);
      assert.equal(folder.type, 'FOLDER');
      assert.ok(!('size' in folder) && !('extension' in folder), JSON.stringify(folder));
      assert.equal(file.type, 'FILE');
      assert.equal(file.size, helloBytes.length);
      assert.equal(file.extension, 'bin');
    });
  });

  describe('download', () => {
    it('GetFileDownloadInfo + GET returns the committed bytes with HTTP metadata', async () => {
      const info = await dt.getFileDownloadInfo(space.id, hello.id, U);
      assert.equal(info.protocol, 'HEADER_SIGNATURE');
      assert.ok(info.headerSignatureInfo.resourceUrls.length >= 1);
      const got = await getSigned(info.headerSignatureInfo);
      assert.equal(got.status, 200, got.text);
      assert.ok(got.body.equals(helloBytes), 'downloaded bytes equal the uploaded bytes');
      assert.equal(got.headers['content-length'], String(helloBytes.length));
      assert.equal(typeof got.headers.etag, 'string');
      assert.ok(got.headers.etag.length > 0);
      assert.ok(!Number.isNaN(Date.parse(got.headers['last-modified'])),
        `Last-Modified: ${got.headers['last-modified']}`);
      assert.equal(got.headers['accept-ranges'], 'bytes');
    });

    it('exact JSON types of GetFileDownloadInfo on the wire', async () => {
      const res = await request(srv, {
        method: 'POST',
        path: `/v1.0/storage/spaces/${space.id}/dentries/${hello.id}/downloadInfos/query` +
          `?unionId=${U}`,
        headers: wireHeaders(),
        body: { option: { preferIntranet: false } },
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.protocol, 'HEADER_SIGNATURE');
      assertWireHeaderSignatureInfo(res.json.headerSignatureInfo);
    });
  });

  describe('overwrite and versions', () => {
    let v1;
    let v2;
    let v3;
    let report;

    it('overwriteDentryId keeps the id and makes version 2', async () => {
      v1 = crypto.randomBytes(1000);
      v2 = crypto.randomBytes(1500);
      ({ dentry: report } = await uploadFile(dt, space.id, U,
        { name: 'report.txt', parentId: folders.b.id, bytes: v1 }));
      track(report);
      assert.equal(report.version, 1);
      const { dentry: over } = await uploadFile(dt, space.id, U, {
        name: 'report.txt', parentId: folders.b.id, bytes: v2, overwriteDentryId: report.id,
      });
      committed += over.size;
      assert.equal(over.id, report.id, 'same dentry id');
      assert.equal(over.version, 2);
      assert.equal(over.size, v2.length);
      assert.equal(over.name, 'report.txt');
      assert.equal(over.uuid, report.uuid);
      const got = await dt.getDentry(space.id, report.id, U);
      assert.equal(got.version, 2);
      assert.equal(got.size, v2.length);
    });

    it('download serves the latest bytes, and option.version 1 the old ones', async () => {
      const latest = await downloadFile(dt, space.id, report.id, U);
      assert.equal(latest.status, 200);
      assert.ok(latest.body.equals(v2), 'latest = version 2');
      const old = await downloadFile(dt, space.id, report.id, U, { version: 1 });
      assert.equal(old.status, 200, old.text);
      assert.ok(old.body.equals(v1), 'version 1 = the original bytes');
      assert.equal(old.headers['content-length'], String(v1.length));
      const two = await downloadFile(dt, space.id, report.id, U, { version: 2 });
      assert.ok(two.body.equals(v2), 'version 2 explicitly');
    });

    it('conflictStrategy OVERWRITE on the same name adds version 3', async () => {
      v3 = Buffer.from('third version');
      const { dentry } = await uploadFile(dt, space.id, U, {
        name: 'report.txt', parentId: folders.b.id, bytes: v3,
        option: { size: v3.length, conflictStrategy: 'OVERWRITE' },
      });
      committed += dentry.size;
      assert.equal(dentry.id, report.id);
      assert.equal(dentry.version, 3);
      const latest = await downloadFile(dt, space.id, report.id, U);
      assert.ok(latest.body.equals(v3));
      const old = await downloadFile(dt, space.id, report.id, U, { version: 1 });
      assert.ok(old.body.equals(v1), 'version 1 still there');
    });

    it('AUTO_RENAME (the default) gives "report (1).txt", then "report (2).txt"', async () => {
      const names = [];
      for (const bytes of [Buffer.from('r1'), Buffer.from('r22')]) {
        const { dentry } = await uploadFile(dt, space.id, U,
          { name: 'report.txt', parentId: folders.b.id, bytes });
        track(dentry);
        assert.notEqual(dentry.id, report.id);
        assert.equal(dentry.version, 1);
        assert.equal(dentry.size, bytes.length);
        names.push(dentry.name);
      }
      assert.deepEqual(names, ['report (1).txt', 'report (2).txt']);
      const explicit = await uploadFile(dt, space.id, U, {
        name: 'report.txt', parentId: folders.b.id, bytes: Buffer.from('r333'),
        option: { size: 4, conflictStrategy: 'AUTO_RENAME' },
      });
      track(explicit.dentry);
      assert.equal(explicit.dentry.name, 'report (3).txt');
    });
  });

  describe('multipart upload and Range', () => {
    const PART = 300 * 1024;
    let whole;
    let big;

    it('InitMultipartFileUpload + 3 parts PUT out of order + CommitFile', async () => {
      const parts = [crypto.randomBytes(PART), crypto.randomBytes(PART),
        crypto.randomBytes(123457)];
      whole = Buffer.concat(parts);
      const init = await dt.initMultipartFileUpload(space.id, U, {
        name: 'big.bin', parentId: folders.b.id, size: whole.length, md5: md5Hex(whole),
      });
      assert.equal(typeof init.uploadKey, 'string');
      assert.ok(init.uploadKey.length > 0);
      assert.equal(init.storageDriver, 'DINGTALK');

      const infos = await dt.getMultipartFileUploadInfos(U, init.uploadKey, [1, 2, 3]);
      const list = infos.multipartHeaderSignatureInfos;
      assert.equal(list.length, 3);
      assert.deepEqual(list.map((x) => x.partNumber).sort(), [1, 2, 3]);
      const urls = new Set(list.map((x) => x.headerSignatureInfo.resourceUrls[0]));
      assert.equal(urls.size, 3, 'one URL per part');
      const byPart = new Map(list.map((x) => [x.partNumber, x.headerSignatureInfo]));
      for (const n of [3, 1, 2]) {
        const put = await putSigned(byPart.get(n), parts[n - 1]);
        assert.equal(put.status, 200, `part ${n}: ${put.text}`);
      }
      big = track(await dt.commitFile(space.id, U,
        { uploadKey: init.uploadKey, name: 'big.bin', parentId: folders.b.id },
        { size: whole.length }));
      assert.equal(big.size, whole.length);
      assert.equal(big.version, 1);
      assert.equal(big.path, '/a/b/big.bin');
    });

    it('GetMultipartFileUploadInfos has exact JSON types on the wire', async () => {
      const init = await dt.initMultipartFileUpload(space.id, U);
      const res = await request(srv, {
        method: 'POST',
        path: `/v1.0/storage/spaces/files/multiPartUploadInfos/query?unionId=${U}`,
        headers: wireHeaders(),
        body: { uploadKey: init.uploadKey, partNumbers: [1, 2] },
      });
      assert.equal(res.status, 200, res.text);
      const list = res.json.multipartHeaderSignatureInfos;
      assert.ok(Array.isArray(list) && list.length === 2, res.text);
      list.forEach((x, i) => {
        assert.equal(typeof x.partNumber, 'number', `[${i}].partNumber`);
        assertWireHeaderSignatureInfo(x.headerSignatureInfo, `[${i}].headerSignatureInfo`);
      });
    });

    it('the download is the parts in partNumber order', async () => {
      const got = await downloadFile(dt, space.id, big.id, U);
      assert.equal(got.status, 200);
      assert.equal(got.body.length, whole.length);
      assert.equal(md5Hex(got.body), md5Hex(whole));
      assert.ok(got.body.equals(whole));
    });

    it('Range bytes=a-b gives 206 with Content-Range and exactly those bytes', async () => {
      const cases = [
        ['bytes=100-199', 100, 199],
        [`bytes=${PART - 10}-${PART + 9}`, PART - 10, PART + 9], // across a part boundary
        [`bytes=${whole.length - 500}-`, whole.length - 500, whole.length - 1],
        ['bytes=-300', whole.length - 300, whole.length - 1],
        ['bytes=0-0', 0, 0],
      ];
      for (const [range, a, b] of cases) {
        const got = await downloadFile(dt, space.id, big.id, U, { range });
        assert.equal(got.status, 206, `${range}: ${got.status}`);
        assert.equal(got.headers['content-range'], `bytes ${a}-${b}/${whole.length}`, range);
        assert.equal(got.headers['content-length'], String(b - a + 1), range);
        assert.ok(got.body.equals(whole.subarray(a, b + 1)), `${range} bytes`);
      }
    });

    it('Range on a historical version reads that version', async () => {
      const report = (await dt.listDentries(space.id, U,
        { parentId: folders.b.id, orderBy: 'NAME', order: 'ASC' }))
        .dentries.find((d) => d.name === 'report.txt');
      const got = await downloadFile(dt, space.id, report.id, U,
        { version: 3, range: 'bytes=0-4' });
      assert.equal(got.status, 206);
      assert.equal(got.text, 'third');
    });
  });

  describe('ListAllDentries and quota', () => {
    it('ListAllDentries pages through every dentry of the space exactly once', async () => {
      const seen = [];
      let nextToken;
      let pages = 0;
      do {
        const option = { maxResults: 4, ...(nextToken ? { nextToken } : {}) };
        const body = await dt.listAllDentries(space.id, U, option);
        assert.ok(body.dentries.length <= 4);
        for (const d of body.dentries) {
          assert.equal(d.spaceId, space.id);
          seen.push(d.id);
        }
        nextToken = body.nextToken;
        assert.ok(++pages <= 50, 'too many pages');
      } while (nextToken);
      assert.equal(seen.length, new Set(seen).size, 'no id twice');
      assert.deepEqual(new Set(seen), allIds, 'exactly the dentries created in this space');
      assert.ok(!seen.includes(foreignFile.id));
    });

    it('usedQuota equals the sum of every committed size, all versions', async () => {
      const s = await dt.getSpace(space.id, U);
      assert.equal(s.usedQuota, committed);
      assert.equal(s.partitions[0].quota.used, committed);
      const res = await request(srv, {
        method: 'GET', path: `/v1.0/storage/spaces/${space.id}?unionId=${U}`,
        headers: wireHeaders(),
      });
      assert.equal(res.status, 200);
      assertWireSpace(res.json.space);
      assert.equal(res.json.space.usedQuota, committed);
      const o = await dt.getSpace(other.id, U);
      assert.equal(o.usedQuota, foreignFile.size, 'the other space counts only its own file');
    });
  });
});
