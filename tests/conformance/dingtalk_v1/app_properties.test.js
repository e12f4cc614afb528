'use strict';
// UpdateDentryAppProperties and DeleteDentryAppProperties through the official SDK (reference
// §4.7), with two apps of one org: upserts owned by the token's app, names unique per app and
// never colliding across apps, at most 3 per app, removal of the caller's own only, and a
// PRIVATE property never shown to the other app by any read (docs/api/dingtalk-v1.md, App
// properties).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const { getToken, dingtalk, expectError } = require('../lib/dingtalk');
const { request } = require('../lib/http');
const { assertWireDentry } = require('../lib/checks');
const { uploadFile } = require('../lib/files');

const plain = (m) => JSON.parse(JSON.stringify(m));
const P = (name, value, visibility) => ({ name, value, visibility });

describe('app properties: two apps on one dentry', { timeout: 180000 }, () => {
  let srv;
  let U;
  let a; // façade of the bootstrap app
  let b; // façade of a second app of the same org
  let tokenB;
  let appA;
  let appB;
  let space;
  let file;
  let folder;

  before(async () => {
    srv = await startServer();
    U = srv.unionId;
    a = dingtalk(srv.endpoint, (await getToken(srv.endpoint, srv.appKey, srv.appSecret))
      .accessToken);
    const second = srv.admin(['app', 'create', '--corp-id', srv.corpId, '--name', 'second']);
    tokenB = (await getToken(srv.endpoint, second.appKey, second.appSecret)).accessToken;
    b = dingtalk(srv.endpoint, tokenB);
    appA = (await a.getCurrentApp(U)).appId;
    appB = (await b.getCurrentApp(U)).appId;
    assert.notEqual(appA, appB);
    space = await a.addSpace(U, { scene: 'props', sceneId: '1' });
    ({ dentry: file } = await uploadFile(a, space.id, U, {
      name: 'f.txt', parentId: '0', bytes: Buffer.from('content'),
    }));
    folder = await a.addFolder(space.id, '0', U, 'dir');
  });
  after(async () => {
    await srv?.stop();
  });

  it('upserts the calling app\'s properties', async () => {
    const r = await a.updateDentryAppProperties(space.id, file.id, U,
      [P('color', 'red', 'PUBLIC'), P('secret', 's1', 'PRIVATE')]);
    assert.deepEqual(plain(r), { success: true });
    let d = await a.getDentry(space.id, file.id, U);
    assert.deepEqual(plain(d.appProperties), {
      [appA]: [P('color', 'red', 'PUBLIC'), P('secret', 's1', 'PRIVATE')],
    });
    await a.updateDentryAppProperties(space.id, file.id, U, [P('color', 'blue', 'PUBLIC')]);
    d = await a.getDentry(space.id, file.id, U);
    assert.deepEqual(plain(d.appProperties), {
      [appA]: [P('color', 'blue', 'PUBLIC'), P('secret', 's1', 'PRIVATE')],
    });
  });

  it('keeps two apps\' properties of the same name apart', async () => {
    await b.updateDentryAppProperties(space.id, file.id, U,
      [P('color', 'green', 'PUBLIC'), P('secret', 's2', 'PRIVATE')]);
    const seenByA = await a.getDentry(space.id, file.id, U);
    assert.deepEqual(plain(seenByA.appProperties), {
      [appA]: [P('color', 'blue', 'PUBLIC'), P('secret', 's1', 'PRIVATE')],
      [appB]: [P('color', 'green', 'PUBLIC')],
    });
    const seenByB = await b.getDentry(space.id, file.id, U);
    assert.deepEqual(plain(seenByB.appProperties), {
      [appA]: [P('color', 'blue', 'PUBLIC')],
      [appB]: [P('color', 'green', 'PUBLIC'), P('secret', 's2', 'PRIVATE')],
    });
  });

  it('never shows a PRIVATE property to the other app', async () => {
    await a.updateDentryAppProperties(space.id, folder.id, U, [P('secret', 'f1', 'PRIVATE')]);
    const hidden = (d, where) => {
      assertWireDentry(plain(d), where);
      for (const [app, list] of Object.entries(d.appProperties || {})) {
        if (app !== appA) continue;
        for (const p of list) {
          assert.notEqual(p.visibility, 'PRIVATE', `${where}: ${JSON.stringify(p)}`);
        }
      }
    };
    hidden(await b.getDentry(space.id, file.id, U), 'getDentry');
    hidden(await b.getDentry(space.id, folder.id, U, { appIdsForAppProperties: [appA] }),
      'getDentry filtered to app A');
    const batch = await b.getDentries(space.id, U, [file.id, folder.id]);
    for (const item of batch.resultItems) hidden(item.dentry, 'getDentries');
    const listed = await b.listDentries(space.id, U, { parentId: '0' });
    assert.equal(listed.dentries.length, 2);
    for (const d of listed.dentries) hidden(d, 'listDentries');
    const all = await b.listAllDentries(space.id, U);
    for (const d of all.dentries) hidden(d, 'listAllDentries');
    const versions = await b.listDentryVersions(space.id, file.id, U);
    for (const d of versions.dentries) hidden(d, 'listDentryVersions');
    const returned = await b.addFolder(space.id, '0', U, 'dir',
      { conflictStrategy: 'RETURN_DENTRY_IF_EXISTS' });
    assert.equal(returned.id, folder.id);
    hidden(returned, 'addFolder');
    // The raw replies, byte for byte: no trace of app A's private values.
    for (const path of [
      `/v1.0/storage/spaces/${space.id}/dentries?unionId=${U}&parentId=0`,
      `/v1.0/storage/spaces/${space.id}/dentries/${file.id}/versions?unionId=${U}`,
    ]) {
      const res = await request(srv, {
        method: 'GET', path, headers: { 'x-acs-dingtalk-access-token': tokenB },
      });
      assert.equal(res.status, 200, res.text);
      assert.ok(!res.text.includes('"s1"') && !res.text.includes('"f1"'), res.text);
    }
    const { dentry: overwritten } = await uploadFile(b, space.id, U, {
      name: 'f.txt', parentId: '0', bytes: Buffer.from('by b'), overwriteDentryId: file.id,
    });
    hidden(overwritten, 'commitFile');
    assert.ok(!JSON.stringify(plain(overwritten)).includes('s1'));
  });

  it('keeps other apps\' properties when a file is overwritten with new ones', async () => {
    const { dentry } = await uploadFile(b, space.id, U, {
      name: 'f.txt', parentId: '0', bytes: Buffer.from('again'), overwriteDentryId: file.id,
      option: { appProperties: [P('extra', 'x', 'PUBLIC')] },
    });
    assert.deepEqual(plain(dentry.appProperties[appB]), [
      P('color', 'green', 'PUBLIC'), P('secret', 's2', 'PRIVATE'), P('extra', 'x', 'PUBLIC'),
    ]);
    const seenByA = await a.getDentry(space.id, file.id, U);
    assert.deepEqual(plain(seenByA.appProperties[appA]),
      [P('color', 'blue', 'PUBLIC'), P('secret', 's1', 'PRIVATE')]);
  });

  it('allows at most 3 properties per app, counted after the upsert', async () => {
    // App B holds color, secret, extra: overwriting one fits, a fourth name does not.
    await b.updateDentryAppProperties(space.id, file.id, U, [P('extra', 'y', 'PRIVATE')]);
    await expectError(
      b.updateDentryAppProperties(space.id, file.id, U, [P('fourth', '4', 'PUBLIC')]), 400,
      'paramError');
    await expectError(b.updateDentryAppProperties(space.id, folder.id, U, [
      P('p1', '1', 'PUBLIC'), P('p2', '2', 'PUBLIC'), P('p3', '3', 'PUBLIC'),
      P('p4', '4', 'PUBLIC'),
    ]), 400, 'paramError');
    // App A's room is its own.
    await a.updateDentryAppProperties(space.id, file.id, U, [P('third', '3', 'PUBLIC')]);
    const d = await a.getDentry(space.id, file.id, U, { appIdsForAppProperties: [appA] });
    assert.equal(d.appProperties[appA].length, 3);
    assert.equal((await b.getDentry(space.id, file.id, U)).appProperties[appB].length, 3);
  });

  it('refuses bad properties', async () => {
    const bad = [
      undefined,
      [],
      [P('k', 'v', 'public')],
      [P('k', 'v', 'SECRET')],
      [{ name: 'k', value: 'v' }],
      [{ value: 'v', visibility: 'PUBLIC' }],
      [{ name: 'k', visibility: 'PUBLIC' }],
      [P('', 'v', 'PUBLIC')],
      [P('  ', 'v', 'PUBLIC')],
      [P('k', '', 'PUBLIC')],
      [P('k', '1', 'PUBLIC'), P('k', '2', 'PUBLIC')],
    ];
    for (const props of bad) {
      await expectError(a.updateDentryAppProperties(space.id, folder.id, U, props), 400,
        'paramError');
    }
    for (const names of [undefined, [], ['a', 'b', 'c', 'd'], ['']]) {
      await expectError(a.deleteDentryAppProperties(space.id, folder.id, U, names), 400,
        'paramError');
    }
  });

  it('refuses unknown and foreign dentries', async () => {
    const other = await a.addSpace(U, { scene: 'props', sceneId: '2' });
    const props = [P('k', 'v', 'PUBLIC')];
    await expectError(a.updateDentryAppProperties(space.id, '999999999999', U, props), 404,
      'dentryNotExist');
    await expectError(a.updateDentryAppProperties(other.id, file.id, U, props), 404,
      'dentryNotExist');
    await expectError(a.deleteDentryAppProperties(other.id, file.id, U, ['k']), 404,
      'dentryNotExist');
    await expectError(a.updateDentryAppProperties('999999999999', file.id, U, props), 404,
      'spaceNotExist');
  });

  it('removes only the calling app\'s own properties', async () => {
    const r = await b.deleteDentryAppProperties(space.id, file.id, U, ['color', 'nothing']);
    assert.deepEqual(plain(r), { success: true });
    const d = await a.getDentry(space.id, file.id, U);
    assert.deepEqual(plain(d.appProperties[appA]),
      [P('color', 'blue', 'PUBLIC'), P('secret', 's1', 'PRIVATE'), P('third', '3', 'PUBLIC')]);
    assert.equal(d.appProperties[appB], undefined, 'app B kept only PRIVATE ones');
    const own = await b.getDentry(space.id, file.id, U);
    assert.deepEqual(plain(own.appProperties[appB]),
      [P('secret', 's2', 'PRIVATE'), P('extra', 'y', 'PRIVATE')]);
    await a.deleteDentryAppProperties(space.id, file.id, U, ['color', 'secret', 'third']);
    const after = await a.getDentry(space.id, file.id, U);
    assert.equal(after.appProperties[appA], undefined);
  });
});
