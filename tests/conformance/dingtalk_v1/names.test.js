'use strict';
// Name rules through the official SDK (docs/api/dingtalk-v1.md, "Names"): names that would make
// `path` ambiguous or hide text are refused with 400 paramError.name, and the NFC and NFD
// spellings of one name are the same name: the reply carries NFC, and a twin clashes.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startServer } = require('../lib/server');
const { getToken, dingtalk, expectError } = require('../lib/dingtalk');
const { uploadFile } = require('../lib/files');

const NFC = 'caf\u00e9';
const NFD = 'cafe\u0301';

describe('names', { timeout: 120000 }, () => {
  let srv;
  let U;
  let dt;
  let space;

  before(async () => {
    srv = await startServer();
    U = srv.unionId;
    const token = (await getToken(srv.endpoint, srv.appKey, srv.appSecret)).accessToken;
    dt = dingtalk(srv.endpoint, token);
    space = await dt.addSpace(U, { scene: 'names', sceneId: '1' });
  });
  after(async () => {
    await srv?.stop();
  });

  it('separators, dot names and invisible characters give 400 paramError.name', async () => {
    const bad = ['a/b', 'a\\b', '../../etc/passwd', '..', '.', 'invoice\u202etxt.exe',
      'a\u200bb', '\ufeffa', 'a:b', 'con'];
    for (const name of bad) {
      await expectError(dt.addFolder(space.id, '0', U, name), 400, 'paramError.name');
      await expectError(uploadFile(dt, space.id, U,
        { name, parentId: '0', bytes: Buffer.from('x'), preCheck: false }), 400,
      'paramError.name');
    }
    await expectError(dt.addSpace(U, { scene: 'names', sceneId: '2', name: 'a/b' }), 400,
      'paramError.name');
    const listed = await dt.listDentries(space.id, U, { parentId: '0' });
    assert.deepEqual(listed.dentries || [], [], 'nothing was created');
  });

  it('an NFD name is stored and returned as NFC and clashes with its NFC twin', async () => {
    const folder = await dt.addFolder(space.id, '0', U, NFD);
    assert.equal(folder.name, NFC);
    assert.equal(folder.path, `/${NFC}`);
    await expectError(dt.addFolder(space.id, '0', U, NFC,
      { conflictStrategy: 'RETURN_ERROR_IF_EXISTS' }), 409, 'dentryAlreadyExist');
    const same = await dt.addFolder(space.id, '0', U, NFD,
      { conflictStrategy: 'RETURN_DENTRY_IF_EXISTS' });
    assert.equal(same.id, folder.id);
    const renamed = await dt.addFolder(space.id, '0', U, NFD);
    assert.equal(renamed.name, `${NFC} (1)`);

    const bytes = crypto.randomBytes(64);
    const { dentry: file } = await uploadFile(dt, space.id, U,
      { name: `${NFD}.txt`, parentId: folder.id, bytes });
    assert.equal(file.name, `${NFC}.txt`);
    const { dentry: again } = await uploadFile(dt, space.id, U,
      { name: `${NFC}.txt`, parentId: folder.id, bytes, option: { size: 64 } });
    assert.equal(again.name, `${NFC} (1).txt`, 'the twin is auto-renamed, not a second name');
  });

  it('emoji ZWJ sequences and Persian ZWNJ are kept as sent', async () => {
    for (const name of ['\u{1F3F3}\uFE0F\u200D\u{1F308}', '\u0645\u06CC\u200C\u062E\u0648']) {
      const d = await dt.addFolder(space.id, '0', U, name);
      assert.equal(d.name, name);
    }
  });
});
