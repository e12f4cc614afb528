'use strict';
// Refusals on the file paths (reference §4.2–§4.5, seed 004): tampered and expired signed
// URLs, bodies larger than announced, bad commits, bad names, bad parents, name conflicts,
// batch limits, listing parameters, multipart limits, quotas, replays. Each case asserts
// status and code, and after each case the server must still serve a normal GetSpace and
// a small upload round trip.

const { describe, it, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startServer } = require('../lib/server');
const { getToken, dingtalk, expectError } = require('../lib/dingtalk');
const { request, transfer } = require('../lib/http');
const { assertWireError, sleep } = require('../lib/checks');
const {
  putSigned, getSigned, uploadFile, downloadFile,
} = require('../lib/files');

// Flips the last character of a signature so it keeps its shape but not its value.
function tamper(s) {
  const last = s.at(-1);
  return s.slice(0, -1) + (last === '0' ? '1' : '0');
}

describe('files: bad input', { timeout: 180000 }, () => {
  let srv;
  let U;
  let token;
  let dt;
  let space;
  let other;
  let folder; // /dir in `space`
  let file; // /file.txt in `space`
  let fileBytes;
  let otherFolder; // /elsewhere in `other`

  const wireHeaders = () => ({ 'x-acs-dingtalk-access-token': token });

  before(async () => {
    srv = await startServer();
    U = srv.unionId;
    token = (await getToken(srv.endpoint, srv.appKey, srv.appSecret)).accessToken;
    dt = dingtalk(srv.endpoint, token);
    space = await dt.addSpace(U, { scene: 'badfiles', sceneId: '1' });
    other = await dt.addSpace(U, { scene: 'badfiles', sceneId: '2' });
    folder = await dt.addFolder(space.id, '0', U, 'dir');
    otherFolder = await dt.addFolder(other.id, '0', U, 'elsewhere');
    fileBytes = crypto.randomBytes(777);
    ({ dentry: file } = await uploadFile(dt, space.id, U,
      { name: 'file.txt', parentId: '0', bytes: fileBytes }));
  });
  afterEach(async () => {
    if (!srv) return;
    const s = await dt.getSpace(space.id, U);
    assert.equal(s.id, space.id, 'server no longer answers GetSpace');
    const got = await downloadFile(dt, space.id, file.id, U);
    assert.equal(got.status, 200, `server no longer serves downloads: ${got.text}`);
    assert.ok(got.body.equals(fileBytes), 'file.txt content changed');
  });
  after(async () => {
    await srv?.stop();
  });

  describe('signed upload and download URLs', () => {
    it('a tampered Authorization on PUT gives 403 SignatureDoesNotMatch; the key survives',
      async () => {
        const bytes = Buffer.from('tamper test');
        const info = await dt.getFileUploadInfo(space.id, U, { size: bytes.length });
        const sig = info.headerSignatureInfo;
        const res = await transfer(sig.resourceUrls[0], {
          method: 'PUT',
          headers: { ...sig.headers, Authorization: tamper(sig.headers.Authorization) },
          body: bytes,
        });
        assertWireError(res, 403, 'SignatureDoesNotMatch', 'tampered PUT');
        // The genuine request still works and the commit gets the genuine bytes.
        const ok = await putSigned(sig, bytes);
        assert.equal(ok.status, 200, ok.text);
        const d = await dt.commitFile(space.id, U,
          { uploadKey: info.uploadKey, name: 'tampered.txt', parentId: folder.id },
          { size: bytes.length });
        const got = await downloadFile(dt, space.id, d.id, U);
        assert.ok(got.body.equals(bytes));
      });

    it('a PUT without Authorization gives 403 SignatureDoesNotMatch', async () => {
      const info = await dt.getFileUploadInfo(space.id, U);
      const { Authorization, ...rest } = info.headerSignatureInfo.headers;
      assert.ok(Authorization);
      const res = await transfer(info.headerSignatureInfo.resourceUrls[0],
        { method: 'PUT', headers: rest, body: 'x' });
      assertWireError(res, 403, 'SignatureDoesNotMatch', 'PUT without Authorization');
    });

    it('an Authorization whose expiry was pushed out gives 403 SignatureDoesNotMatch',
      async () => {
        const info = await dt.getFileUploadInfo(space.id, U);
        const sig = info.headerSignatureInfo;
        // Whatever the scheme, a longer-lived copy must not verify: change every digit run
        // that looks like a unix time (10 digits) to a later one.
        const forged = sig.headers.Authorization.replace(/\b(\d{10})\b/g,
          (m) => String(Number(m) + 86400));
        if (forged === sig.headers.Authorization) {
          // No visible expiry in the header: tamper with the last character instead.
          const res = await transfer(sig.resourceUrls[0], {
            method: 'PUT', headers: { ...sig.headers, Authorization: tamper(forged) }, body: 'x',
          });
          assertWireError(res, 403, 'SignatureDoesNotMatch');
          return;
        }
        const res = await transfer(sig.resourceUrls[0],
          { method: 'PUT', headers: { ...sig.headers, Authorization: forged }, body: 'x' });
        assertWireError(res, 403, 'SignatureDoesNotMatch', 'forged expiry');
      });

    it("one upload's headers on another upload's URL give 403 SignatureDoesNotMatch",
      async () => {
        const a = (await dt.getFileUploadInfo(space.id, U)).headerSignatureInfo;
        const b = (await dt.getFileUploadInfo(space.id, U)).headerSignatureInfo;
        assert.notEqual(a.resourceUrls[0], b.resourceUrls[0]);
        const res = await transfer(b.resourceUrls[0], { method: 'PUT', headers: a.headers,
          body: 'x' });
        assertWireError(res, 403, 'SignatureDoesNotMatch', 'swapped signature');
      });

    it('a tampered or missing Authorization on a download gives 403', async () => {
      const sig = (await dt.getFileDownloadInfo(space.id, file.id, U)).headerSignatureInfo;
      let res = await getSigned(sig, { Authorization: tamper(sig.headers.Authorization) });
      assertWireError(res, 403, 'SignatureDoesNotMatch', 'tampered download');
      res = await transfer(sig.resourceUrls[0], { method: 'GET' });
      assertWireError(res, 403, 'SignatureDoesNotMatch', 'download without headers');
    });

    it("one file's download headers on another file's URL give 403", async () => {
      const { dentry: f2 } = await uploadFile(dt, space.id, U,
        { name: 'second.txt', parentId: folder.id, bytes: Buffer.from('second') });
      const a = (await dt.getFileDownloadInfo(space.id, file.id, U)).headerSignatureInfo;
      const b = (await dt.getFileDownloadInfo(space.id, f2.id, U)).headerSignatureInfo;
      const res = await transfer(b.resourceUrls[0], { method: 'GET', headers: a.headers });
      assertWireError(res, 403, 'SignatureDoesNotMatch', 'swapped download signature');
    });

    it('GET on an upload URL gives 405, PUT on a download URL gives 405', async () => {
      const up = (await dt.getFileUploadInfo(space.id, U)).headerSignatureInfo;
      let res = await transfer(up.resourceUrls[0], { method: 'GET', headers: up.headers });
      assertWireError(res, 405, undefined, 'GET upload URL');
      const down = (await dt.getFileDownloadInfo(space.id, file.id, U)).headerSignatureInfo;
      res = await transfer(down.resourceUrls[0],
        { method: 'PUT', headers: down.headers, body: 'overwrite?' });
      assertWireError(res, 405, undefined, 'PUT download URL');
    });

    it('a PUT larger than preCheckParam.size gives 400 InvalidContentLength ' +
      '(Content-Length and chunked); failed PUTs leave no trace', async () => {
      const good = Buffer.from('exactly20bytes......');
      const info = await dt.getFileUploadInfo(space.id, U,
        { name: 'sized.txt', parentId: folder.id, size: good.length });
      const sig = info.headerSignatureInfo;
      const big = crypto.randomBytes(good.length + 1);
      let res = await putSigned(sig, big);
      assertWireError(res, 400, 'InvalidContentLength', 'Content-Length too large');
      res = await putSigned(sig, crypto.randomBytes(64 * 1024), { chunked: true });
      assertWireError(res, 400, 'InvalidContentLength', 'chunked too large');
      // Commit before any good PUT: nothing was stored.
      await expectError(dt.commitFile(space.id, U,
        { uploadKey: info.uploadKey, name: 'sized.txt', parentId: folder.id }), 400,
      'paramError');
      res = await putSigned(sig, good);
      assert.equal(res.status, 200, res.text);
      // A later oversize PUT does not damage what was stored.
      res = await putSigned(sig, big, { chunked: true });
      assertWireError(res, 400, 'InvalidContentLength', 'chunked too large after a good PUT');
      const d = await dt.commitFile(space.id, U,
        { uploadKey: info.uploadKey, name: 'sized.txt', parentId: folder.id },
        { size: good.length });
      assert.equal(d.size, good.length);
      const got = await downloadFile(dt, space.id, d.id, U);
      assert.ok(got.body.equals(good));
    });

    it('a replayed PUT after the commit gives 409 UploadAlreadyCommitted', async () => {
      const bytes = Buffer.from('committed once');
      const { dentry, sig } = await uploadFile(dt, space.id, U,
        { name: 'replay.txt', parentId: folder.id, bytes });
      const res = await putSigned(sig, bytes);
      assertWireError(res, 409, 'UploadAlreadyCommitted', 'replayed PUT');
      const res2 = await putSigned(sig, Buffer.from('changed bytes!'));
      assertWireError(res2, 409, 'UploadAlreadyCommitted', 'replayed PUT, other bytes');
      const got = await downloadFile(dt, space.id, dentry.id, U);
      assert.ok(got.body.equals(bytes), 'the committed content is unchanged');
    });

    it('committing the same uploadKey twice gives 400 paramError', async () => {
      const { uploadKey } = await uploadFile(dt, space.id, U,
        { name: 'twice.txt', parentId: folder.id, bytes: Buffer.from('twice') });
      await expectError(dt.commitFile(space.id, U,
        { uploadKey, name: 'twice-again.txt', parentId: folder.id }), 400, 'paramError');
    });

    it('an unsatisfiable Range gives 416 with Content-Range bytes */size', async () => {
      const sig = (await dt.getFileDownloadInfo(space.id, file.id, U)).headerSignatureInfo;
      const res = await getSigned(sig, { Range: `bytes=${fileBytes.length}-` });
      assert.equal(res.status, 416, res.text);
      assert.equal(res.headers['content-range'], `bytes */${fileBytes.length}`);
    });
  });

  describe('CommitFile', () => {
    async function authorizedKey(bytes = Buffer.from('payload')) {
      const info = await dt.getFileUploadInfo(space.id, U);
      const put = await putSigned(info.headerSignatureInfo, bytes);
      assert.equal(put.status, 200, put.text);
      return info.uploadKey;
    }

    it('a wrong option.size gives 400 paramError; the right size then works', async () => {
      const bytes = Buffer.from('twelve bytes');
      const uploadKey = await authorizedKey(bytes);
      for (const size of [bytes.length + 1, bytes.length - 1, 0]) {
        await expectError(dt.commitFile(space.id, U,
          { uploadKey, name: 'size.txt', parentId: folder.id }, { size }), 400, 'paramError');
      }
      const d = await dt.commitFile(space.id, U,
        { uploadKey, name: 'size.txt', parentId: folder.id }, { size: bytes.length });
      assert.equal(d.size, bytes.length);
    });

    it('an unknown or missing uploadKey gives 400 paramError', async () => {
      await expectError(dt.commitFile(space.id, U,
        { uploadKey: 'noSuchUploadKey0123456789', name: 'x.txt', parentId: folder.id }),
      400, 'paramError');
      await expectError(dt.commitFile(space.id, U, { name: 'x.txt', parentId: folder.id }),
        400, 'paramError');
    });

    it('an uploadKey with nothing PUT yet gives 400 paramError', async () => {
      const info = await dt.getFileUploadInfo(space.id, U, { size: 5 });
      await expectError(dt.commitFile(space.id, U,
        { uploadKey: info.uploadKey, name: 'empty.txt', parentId: folder.id }),
      400, 'paramError');
    });

    it('a multipart part under 100 KB before the last gives 400 paramError; ' +
      'a small last part is fine', async () => {
      const init = await dt.initMultipartFileUpload(space.id, U);
      const infos = await dt.getMultipartFileUploadInfos(U, init.uploadKey, [1, 2]);
      const byPart = new Map(infos.multipartHeaderSignatureInfos
        .map((x) => [x.partNumber, x.headerSignatureInfo]));
      const small = crypto.randomBytes(100 * 1024 - 1);
      const last = crypto.randomBytes(10);
      for (const [n, bytes] of [[1, small], [2, last]]) {
        const put = await putSigned(byPart.get(n), bytes);
        assert.equal(put.status, 200, put.text);
      }
      await expectError(dt.commitFile(space.id, U,
        { uploadKey: init.uploadKey, name: 'parts.bin', parentId: folder.id }), 400, 'paramError');
      // Part 1 PUT again at exactly 100 KB: the same key now commits.
      const enough = crypto.randomBytes(100 * 1024);
      const again = await putSigned(byPart.get(1), enough);
      assert.equal(again.status, 200, again.text);
      const d = await dt.commitFile(space.id, U,
        { uploadKey: init.uploadKey, name: 'parts.bin', parentId: folder.id });
      assert.equal(d.size, enough.length + last.length);
    });

    it("another space's uploadKey gives 400 paramError", async () => {
      const info = await dt.getFileUploadInfo(other.id, U);
      const put = await putSigned(info.headerSignatureInfo, Buffer.from('cross'));
      assert.equal(put.status, 200);
      await expectError(dt.commitFile(space.id, U,
        { uploadKey: info.uploadKey, name: 'cross.txt', parentId: '0' }), 400, 'paramError');
    });

    it('forbidden characters in a file name give 400 paramError.name', async () => {
      const uploadKey = await authorizedKey();
      for (const name of ['tab\there.txt', 'star*.txt', 'quote".txt', 'lt<.txt', 'gt>.txt',
        'pipe|.txt', 'trailingdot.', '']) {
        await expectError(dt.commitFile(space.id, U,
          { uploadKey, name, parentId: folder.id }), 400, 'paramError.name');
      }
      // The key is still usable with a good name.
      const d = await dt.commitFile(space.id, U,
        { uploadKey, name: 'fine name.txt', parentId: folder.id });
      assert.equal(d.name, 'fine name.txt');
    });

    it('forbidden characters in a folder name give 400 paramError.name', async () => {
      for (const name of ['a\tb', 'a*b', 'a"b', 'a<b', 'a>b', 'a|b', 'dot.', '']) {
        await expectError(dt.addFolder(space.id, folder.id, U, name), 400, 'paramError.name');
      }
    });

    it('a parent that is a file gives 400 paramError (commit, AddFolder, ListDentries)',
      async () => {
        const uploadKey = await authorizedKey();
        await expectError(dt.commitFile(space.id, U,
          { uploadKey, name: 'child.txt', parentId: file.id }), 400, 'paramError');
        await expectError(dt.addFolder(space.id, file.id, U, 'child'), 400, 'paramError');
        await expectError(dt.listDentries(space.id, U, { parentId: file.id }), 400,
          'paramError');
      });

    it('a parent in another space or nowhere gives 404 parentNotExist', async () => {
      const uploadKey = await authorizedKey();
      await expectError(dt.commitFile(space.id, U,
        { uploadKey, name: 'stray.txt', parentId: otherFolder.id }), 404, 'parentNotExist');
      await expectError(dt.commitFile(space.id, U,
        { uploadKey, name: 'stray.txt', parentId: 'noSuchFolder123' }), 404, 'parentNotExist');
      await expectError(dt.addFolder(space.id, otherFolder.id, U, 'stray'), 404,
        'parentNotExist');
      await expectError(dt.addFolder(space.id, 'noSuchFolder123', U, 'stray'), 404,
        'parentNotExist');
      // Nothing landed in the other space's folder.
      const listed = await dt.listDentries(other.id, U, { parentId: otherFolder.id });
      assert.deepEqual(listed.dentries || [], []);
    });

    it('RETURN_ERROR_IF_EXISTS on a taken name gives 409 dentryAlreadyExist', async () => {
      const before = (await dt.listDentries(space.id, U, { parentId: '0' })).dentries.length;
      const uploadKey = await authorizedKey();
      await expectError(dt.commitFile(space.id, U,
        { uploadKey, name: 'file.txt', parentId: '0' },
        { conflictStrategy: 'RETURN_ERROR_IF_EXISTS' }), 409, 'dentryAlreadyExist');
      await expectError(dt.addFolder(space.id, '0', U, 'dir',
        { conflictStrategy: 'RETURN_ERROR_IF_EXISTS' }), 409, 'dentryAlreadyExist');
      // A folder may not take a file's name either.
      await expectError(dt.addFolder(space.id, '0', U, 'file.txt',
        { conflictStrategy: 'RETURN_ERROR_IF_EXISTS' }), 409, 'dentryAlreadyExist');
      const after = (await dt.listDentries(space.id, U, { parentId: '0' })).dentries.length;
      assert.equal(after, before, 'nothing was created');
    });
  });

  describe('GetDentries limits', () => {
    it('31 ids give 400 paramError; 30 are fine', async () => {
      const ids = Array.from({ length: 31 }, (_, i) => (i === 0 ? file.id : `missing${i}`));
      await expectError(dt.getDentries(space.id, U, ids), 400, 'paramError');
      const body = await dt.getDentries(space.id, U, ids.slice(0, 30));
      assert.equal(body.resultItems.length, 30);
      assert.equal(body.resultItems[0].success, true);
      assert.equal(body.resultItems[29].errorCode, 'dentryNotExist');
    });

    it('an empty or missing id list gives 400 paramError', async () => {
      await expectError(dt.getDentries(space.id, U, []), 400, 'paramError');
      await expectError(dt.getDentries(space.id, U, undefined), 400, 'paramError');
    });

    it('an unknown space gives 404 spaceNotExist', async () => {
      await expectError(dt.getDentries('noSuchSpace123', U, [file.id]), 404, 'spaceNotExist');
    });

    it('wrong JSON types in dentryIds give 400 paramError on the wire', async () => {
      for (const dentryIds of ['abc', [1, 2], [null], { a: 1 }]) {
        const res = await request(srv, {
          method: 'POST',
          path: `/v1.0/storage/spaces/${space.id}/dentries/query?unionId=${U}`,
          headers: wireHeaders(),
          body: { dentryIds },
        });
        assertWireError(res, 400, 'paramError', `dentryIds ${JSON.stringify(dentryIds)}`);
      }
    });
  });

  describe('ListDentries and ListAllDentries parameters', () => {
    it('a missing parentId gives 400 paramError', async () => {
      await expectError(dt.listDentries(space.id, U, {}), 400, 'paramError');
    });

    it('an unknown parent gives 404 parentNotExist', async () => {
      await expectError(dt.listDentries(space.id, U, { parentId: 'noSuchFolder123' }), 404,
        'parentNotExist');
      await expectError(dt.listDentries(space.id, U, { parentId: otherFolder.id }), 404,
        'parentNotExist');
    });

    it('an unknown space gives 404 spaceNotExist', async () => {
      await expectError(dt.listDentries('noSuchSpace123', U, { parentId: '0' }), 404,
        'spaceNotExist');
    });

    it('maxResults outside 1..50, a bad order or orderBy, a garbage nextToken: 400',
      async () => {
        for (const q of [{ maxResults: 0 }, { maxResults: 51 }, { order: 'UP' },
          { orderBy: 'COLOR' }, { nextToken: 'garbage' }]) {
          await expectError(dt.listDentries(space.id, U, { parentId: '0', ...q }), 400,
            'paramError');
        }
        for (const o of [{ maxResults: 0 }, { maxResults: 51 }, { nextToken: 'garbage' }]) {
          await expectError(dt.listAllDentries(space.id, U, o), 400, 'paramError');
        }
      });

    it("a nextToken of another folder's listing is refused or ignored, never leaking",
      async () => {
        // Two children under `dir` so its first page has a token.
        await dt.addFolder(space.id, folder.id, U, 'p1');
        await dt.addFolder(space.id, folder.id, U, 'p2');
        const first = await dt.listDentries(space.id, U, { parentId: folder.id, maxResults: 1 });
        assert.ok(first.nextToken, 'a first page of 1 has a nextToken');
        let body;
        try {
          body = await dt.listDentries(space.id, U,
            { parentId: '0', maxResults: 50, nextToken: first.nextToken });
        } catch (e) {
          assert.equal(e.statusCode, 400, e.message);
          assert.equal(e.code, 'paramError');
          return;
        }
        for (const d of body.dentries || []) assert.equal(d.parentId, '0');
      });
  });

  describe('multipart limits', () => {
    let key;
    before(async () => {
      key = (await dt.initMultipartFileUpload(space.id, U)).uploadKey;
    });

    it('partNumbers empty, 0, 10001 or 31 of them give 400 paramError', async () => {
      const many = Array.from({ length: 31 }, (_, i) => i + 1);
      for (const partNumbers of [[], [0], [10001], many, undefined]) {
        await expectError(dt.getMultipartFileUploadInfos(U, key, partNumbers), 400,
          'paramError');
      }
      const ok = await dt.getMultipartFileUploadInfos(U, key, [1, 10000]);
      assert.equal(ok.multipartHeaderSignatureInfos.length, 2);
    });

    it('an unknown or non-multipart uploadKey gives 400 paramError', async () => {
      await expectError(dt.getMultipartFileUploadInfos(U, 'noSuchUploadKey0123', [1]), 400,
        'paramError');
      const single = (await dt.getFileUploadInfo(space.id, U)).uploadKey;
      await expectError(dt.getMultipartFileUploadInfos(U, single, [1]), 400, 'paramError');
    });
  });

  describe('download info', () => {
    it('an unknown dentry gives 404 dentryNotExist, a folder 400 paramError', async () => {
      await expectError(dt.getFileDownloadInfo(space.id, 'noSuchDentry123', U), 404,
        'dentryNotExist');
      await expectError(dt.getFileDownloadInfo(space.id, folder.id, U), 400, 'paramError');
    });

    it("another space's file gives 404 dentryNotExist", async () => {
      await expectError(dt.getFileDownloadInfo(other.id, file.id, U), 404, 'dentryNotExist');
      await expectError(dt.getDentry(other.id, file.id, U), 404, 'dentryNotExist');
    });

    it('a version that does not exist gives 404 versionNotExist', async () => {
      await expectError(dt.getFileDownloadInfo(space.id, file.id, U, { version: 9 }), 404,
        'versionNotExist');
    });
  });

  describe('upload authorization', () => {
    it('an unsupported protocol or a negative size gives 400 paramError', async () => {
      await expectError(dt.getFileUploadInfo(space.id, U, undefined, { protocol: 'FTP' }), 400,
        'paramError');
      await expectError(dt.getFileUploadInfo(space.id, U, { size: -1 }), 400, 'paramError');
    });

    it('an unknown space gives 404 spaceNotExist', async () => {
      await expectError(dt.getFileUploadInfo('noSuchSpace123', U), 404, 'spaceNotExist');
      await expectError(dt.initMultipartFileUpload('noSuchSpace123', U), 404,
        'spaceNotExist');
    });
  });

  describe('quota (space quota 1000 bytes)', () => {
    let q;
    let fits; // the 1000-byte file
    before(async () => {
      q = await dt.addSpace(U, { scene: 'badfiles', sceneId: 'quota', quota: 1000 });
    });

    it('authorizing 2000 bytes with preCheckParam.size gives 403 quotaExceeded', async () => {
      await expectError(dt.getFileUploadInfo(q.id, U,
        { name: 'big.bin', parentId: '0', size: 2000 }), 403, 'quotaExceeded');
      await expectError(dt.initMultipartFileUpload(q.id, U,
        { name: 'big.bin', parentId: '0', size: 2000 }), 403, 'quotaExceeded');
    });

    it('without preCheckParam.size a PUT past the quota gives 403 QuotaExceeded',
      async () => {
        // Measured while it arrives (docs/api/transfer.md, "Quota while the body arrives").
        const bytes = crypto.randomBytes(2000);
        const info = await dt.getFileUploadInfo(q.id, U);
        for (const chunked of [false, true]) {
          const put = await putSigned(info.headerSignatureInfo, bytes, { chunked });
          assert.equal(put.status, 403, put.text);
          assert.equal(JSON.parse(put.text).code, 'QuotaExceeded');
        }
        const s = await dt.getSpace(q.id, U);
        assert.equal(s.usedQuota, 0, 'a refused PUT uses nothing');
        const listed = await dt.listDentries(q.id, U, { parentId: '0' });
        assert.deepEqual(listed.dentries || [], [], 'a refused PUT creates nothing');
      });

    it('exactly the quota fits; one byte more is refused at authorization and at the PUT',
      async () => {
        ({ dentry: fits } = await uploadFile(dt, q.id, U,
          { name: 'fits.bin', parentId: '0', bytes: crypto.randomBytes(1000) }));
        assert.equal((await dt.getSpace(q.id, U)).usedQuota, 1000);
        await expectError(dt.getFileUploadInfo(q.id, U, { size: 1 }), 403, 'quotaExceeded');
        const info = await dt.getFileUploadInfo(q.id, U);
        const put = await putSigned(info.headerSignatureInfo, Buffer.from('x'));
        assert.equal(put.status, 403, put.text);
        assert.equal(JSON.parse(put.text).code, 'QuotaExceeded');
        assert.equal((await dt.getSpace(q.id, U)).usedQuota, 1000);
      });

    it('a new version counts too: its PUT in a full space gives 403 QuotaExceeded',
      async () => {
        const info = await dt.getFileUploadInfo(q.id, U);
        const put = await putSigned(info.headerSignatureInfo, Buffer.from('v2'));
        assert.equal(put.status, 403, put.text);
        assert.equal(JSON.parse(put.text).code, 'QuotaExceeded');
        const d = await dt.getDentry(q.id, fits.id, U);
        assert.equal(d.version, 1);
        assert.equal((await dt.getSpace(q.id, U)).usedQuota, 1000);
      });
  });

  describe('scopes and permissions', () => {
    it('without Storage.File.Write: 403 with requiredScopes; reads still work', async () => {
      const a = srv.admin(['app', 'create', '--corp-id', srv.corpId, '--name', 'file-read',
        '--scopes', 'Storage.Space.Read,Storage.File.Read']);
      const ro = dingtalk(srv.endpoint,
        (await getToken(srv.endpoint, a.appKey, a.appSecret)).accessToken);
      const scopeErr = 'Forbidden.AccessDenied.AccessTokenPermissionDenied';
      for (const call of [
        () => ro.getFileUploadInfo(space.id, U),
        () => ro.addFolder(space.id, '0', U, 'nope'),
        () => ro.commitFile(space.id, U, { uploadKey: 'x', name: 'x', parentId: '0' }),
        () => ro.initMultipartFileUpload(space.id, U),
      ]) {
        const err = await expectError(call(), 403, scopeErr);
        assert.deepEqual(err.accessDeniedDetail.requiredScopes, ['Storage.File.Write']);
      }
      const body = await ro.getDentries(space.id, U, [file.id]);
      assert.equal(body.resultItems[0].success, true);
    });

    it('without Storage.File.Read: listing and downloads give 403 with requiredScopes',
      async () => {
        const a = srv.admin(['app', 'create', '--corp-id', srv.corpId, '--name', 'space-only',
          '--scopes', 'Storage.Space.Read']);
        const so = dingtalk(srv.endpoint,
          (await getToken(srv.endpoint, a.appKey, a.appSecret)).accessToken);
        const scopeErr = 'Forbidden.AccessDenied.AccessTokenPermissionDenied';
        for (const call of [
          () => so.listDentries(space.id, U, { parentId: '0' }),
          () => so.getDentries(space.id, U, [file.id]),
          () => so.getDentry(space.id, file.id, U),
          () => so.getFileDownloadInfo(space.id, file.id, U),
          () => so.listAllDentries(space.id, U),
        ]) {
          const err = await expectError(call(), 403, scopeErr);
          assert.deepEqual(err.accessDeniedDetail.requiredScopes, ['Storage.File.Read']);
        }
      });

    it("another org member cannot touch a USER space's files: 403 permissionDenied",
      async () => {
        srv.admin(['user', 'create', '--corp-id', srv.corpId, '--union-id', 'stranger1']);
        await expectError(dt.listDentries(space.id, 'stranger1', { parentId: '0' }), 403,
          'permissionDenied');
        await expectError(dt.getFileDownloadInfo(space.id, file.id, 'stranger1'), 403,
          'permissionDenied');
        await expectError(dt.getFileUploadInfo(space.id, 'stranger1'), 403,
          'permissionDenied');
        await expectError(dt.addFolder(space.id, '0', 'stranger1', 'x'), 403,
          'permissionDenied');
      });

    it('a garbage token gives 400 InvalidAuthentication on the file endpoints', async () => {
      const bad = dingtalk(srv.endpoint, 'garbage-token');
      await expectError(bad.getFileUploadInfo(space.id, U), 400, 'InvalidAuthentication');
      await expectError(bad.getDentries(space.id, U, [file.id]), 400,
        'InvalidAuthentication');
    });
  });
});

describe('files: expired signed URLs (--url-ttl 1)', { timeout: 60000 }, () => {
  let srv;
  let U;
  let dt;
  let space;
  let file;
  const bytes = Buffer.from('expiring');

  // Waits until the wall clock is `ms` into a second, so how long a URL issued now lives does
  // not depend on where in a second the test happens to run.
  async function waitUntilMsIntoSecond(ms) {
    const phase = Date.now() % 1000;
    await sleep((ms - phase + 1000) % 1000);
  }

  before(async () => {
    srv = await startServer({ args: ['--url-ttl', '1'] });
    U = srv.unionId;
    const token = (await getToken(srv.endpoint, srv.appKey, srv.appSecret)).accessToken;
    dt = dingtalk(srv.endpoint, token);
    space = await dt.addSpace(U, { scene: 'ttl', sceneId: '1' });
    await waitUntilMsIntoSecond(20);
    ({ dentry: file } = await uploadFile(dt, space.id, U,
      { name: 'short.txt', parentId: '0', bytes }));
  });
  after(async () => {
    await srv?.stop();
  });

  it('expirationSeconds reports the configured lifetime', async () => {
    const info = await dt.getFileUploadInfo(space.id, U);
    assert.equal(info.headerSignatureInfo.expirationSeconds, 1);
  });

  it('after 2.2 s an upload URL gives 403 RequestExpired', async () => {
    const info = await dt.getFileUploadInfo(space.id, U);
    await sleep(2200);
    const res = await putSigned(info.headerSignatureInfo, Buffer.from('late'));
    assertWireError(res, 403, 'RequestExpired', 'expired PUT');
    // A fresh authorization works at once.
    await waitUntilMsIntoSecond(20);
    const fresh = await dt.getFileUploadInfo(space.id, U);
    const ok = await putSigned(fresh.headerSignatureInfo, Buffer.from('on time'));
    assert.equal(ok.status, 200, ok.text);
  });

  it('after 2.2 s a download URL gives 403 RequestExpired; a fresh one works', async () => {
    const info = await dt.getFileDownloadInfo(space.id, file.id, U);
    await sleep(2200);
    const res = await getSigned(info.headerSignatureInfo);
    assertWireError(res, 403, 'RequestExpired', 'expired GET');
    await waitUntilMsIntoSecond(20);
    const got = await downloadFile(dt, space.id, file.id, U);
    assert.equal(got.status, 200, got.text);
    assert.ok(got.body.equals(bytes));
  });

  it('a URL stays valid for expirationSeconds after it was issued', async () => {
    // Issued half-way through a second and used 700 ms later: still inside the advertised
    // 1 s. (A server that rounds the expiry down to a whole second fails this.)
    await waitUntilMsIntoSecond(500);
    const info = await dt.getFileDownloadInfo(space.id, file.id, U);
    const issued = Date.now();
    await sleep(700);
    const res = await getSigned(info.headerSignatureInfo);
    const age = Date.now() - issued;
    assert.ok(age < 1000, `test too slow to judge (${age} ms)`);
    assert.equal(res.status, 200,
      `a URL advertised for ${info.headerSignatureInfo.expirationSeconds} s died after ` +
      `${age} ms: ${res.status} ${res.text} (Authorization ` +
      `${info.headerSignatureInfo.headers.Authorization}, issued at ${issued / 1000})`);
  });
});
