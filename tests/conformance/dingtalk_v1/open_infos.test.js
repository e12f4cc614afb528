'use strict';
// Open links through the official SDK (reference §4.14, §4.15): RegisterOpenInfo,
// GetDentryOpenInfo, GetWebOfficeUrl and RefreshWebOfficeToken, the pages their links open
// (fetched with a plain HTTP client), and every bad input with its documented error
// (docs/api/dingtalk-v1.md, Open infos and WebOffice; docs/open-links.md).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const {
  Storage, storageClient, runtime, getToken, dingtalk, expectError,
} = require('../lib/dingtalk');
const { request } = require('../lib/http');
const { uploadFile } = require('../lib/files');

const plain = (m) => JSON.parse(JSON.stringify(m));

// The four calls, as an integrator writes them with the SDK's models.
function openClient(endpoint, token) {
  const client = storageClient(endpoint);
  const H = (Cls) => new Cls({ xAcsDingtalkAccessToken: token });
  return {
    async register(spaceId, dentryId, unionId, provider, openInfos) {
      const req = new Storage.RegisterOpenInfoRequest({
        unionId,
        provider,
        openInfos: openInfos?.map((i) => new Storage.RegisterOpenInfoRequestOpenInfos(i)),
      });
      const r = await client.registerOpenInfoWithOptions(spaceId, dentryId, req,
        H(Storage.RegisterOpenInfoHeaders), runtime());
      return r.body;
    },
    async open(spaceId, dentryId, unionId, option) {
      const req = new Storage.GetDentryOpenInfoRequest({ unionId });
      if (option) req.option = new Storage.GetDentryOpenInfoRequestOption(option);
      const r = await client.getDentryOpenInfoWithOptions(spaceId, dentryId, req,
        H(Storage.GetDentryOpenInfoHeaders), runtime());
      return r.body;
    },
    async office(spaceId, dentryId, unionId) {
      const r = await client.getWebOfficeUrlWithOptions(spaceId, dentryId,
        new Storage.GetWebOfficeUrlRequest({ unionId }), H(Storage.GetWebOfficeUrlHeaders),
        runtime());
      return r.body;
    },
    async refresh(spaceId, dentryId, unionId, webOfficeAccessToken, webOfficeRefreshToken) {
      const r = await client.refreshWebOfficeTokenWithOptions(spaceId, dentryId,
        new Storage.RefreshWebOfficeTokenRequest({
          unionId, webOfficeAccessToken, webOfficeRefreshToken,
        }), H(Storage.RefreshWebOfficeTokenHeaders), runtime());
      return r.body;
    },
  };
}

describe('open infos and WebOffice', { timeout: 180000 }, () => {
  let srv;
  let dt;
  let oc;
  let U;
  let space;
  let file;
  let folder;
  const pathOf = (url) => new URL(url).pathname;

  before(async () => {
    srv = await startServer({ args: ['--open-link-ttl', '1'] });
    U = srv.unionId;
    const token = (await getToken(srv.endpoint, srv.appKey, srv.appSecret)).accessToken;
    dt = dingtalk(srv.endpoint, token);
    oc = openClient(srv.endpoint, token);
    space = await dt.addSpace(U, { scene: 'open', sceneId: '1' });
    ({ dentry: file } = await uploadFile(dt, space.id, U, {
      name: 'readme.txt', parentId: '0', bytes: Buffer.from('version one\n'),
    }));
    await uploadFile(dt, space.id, U, {
      name: 'readme.txt', parentId: '0', bytes: Buffer.from('version two\n'),
      overwriteDentryId: file.id,
    });
    folder = await dt.addFolder(space.id, '0', U, 'docs');
  });
  after(async () => {
    await srv?.stop();
  });

  it('gives a PREVIEW link to the page of the version asked for, usable once', async () => {
    const link = await oc.open(space.id, file.id, U, { type: 'PREVIEW', version: 1 });
    assert.deepEqual(Object.keys(link).sort(), ['hasWaterMark', 'url']);
    assert.equal(link.hasWaterMark, false);
    assert.match(link.url, /^http:\/\/127\.0\.0\.1:\d+\/open\/[0-9a-f]{64}$/);
    const first = await request(srv, { method: 'GET', path: pathOf(link.url) });
    assert.equal(first.status, 200);
    assert.match(first.text, /version one/);
    const again = await request(srv, { method: 'GET', path: pathOf(link.url) });
    assert.equal(again.status, 410, 'a used single-use link is refused');
    assert.match(again.text, /already been used/);
  });

  it('refuses an expired single-use link', async () => {
    const link = await oc.open(space.id, file.id, U);
    await new Promise((r) => setTimeout(r, 1100)); // --open-link-ttl 1
    const late = await request(srv, { method: 'GET', path: pathOf(link.url) });
    assert.equal(late.status, 410);
    assert.match(late.text, /expired/);
  });

  it('draws the viewer\'s name when waterMark is set', async () => {
    const link = await oc.open(space.id, file.id, U, { waterMark: true });
    assert.equal(link.hasWaterMark, true);
    const page = await request(srv, { method: 'GET', path: pathOf(link.url) });
    assert.equal(page.status, 200);
    assert.match(page.text, /id="watermark"[^>]*data-viewer="Default user"/);
    assert.match(page.text, /version two/, 'no version: the latest at issue');
  });

  it('answers registered URLs and a documented error for EDIT without one', async () => {
    await expectError(oc.open(space.id, file.id, U, { type: 'EDIT' }), 404, 'openInfoNotExist');
    const ok = await oc.register(space.id, file.id, U, 'MS_OFFICE', [
      { openType: 'EDIT', url: 'https://office.example/edit?f=1' },
      { openType: 'PREVIEW', url: 'https://office.example/view?f=1' },
    ]);
    assert.deepEqual(plain(ok), { success: true });
    const edit = await oc.open(space.id, file.id, U, { type: 'EDIT', waterMark: true });
    assert.deepEqual(plain(edit), { url: 'https://office.example/edit?f=1', hasWaterMark: false });
    assert.equal((await oc.open(space.id, file.id, U)).url, 'https://office.example/view?f=1');
  });

  it('refuses unknown types, providers, bad URLs and folders', async () => {
    const reg = (provider, infos) => oc.register(space.id, file.id, U, provider, infos);
    const edit = [{ openType: 'EDIT', url: 'https://x.example/' }];
    await expectError(reg('WPS', edit), 400, 'paramError');
    await expectError(reg(undefined, edit), 400, 'paramError');
    await expectError(reg('MS_OFFICE', undefined), 400, 'paramError');
    await expectError(reg('MS_OFFICE', []), 400, 'paramError');
    await expectError(reg('MS_OFFICE', [{ openType: 'VIEW', url: 'https://x.example/' }]), 400,
      'paramError');
    for (const url of ['ftp://x.example/', 'x.example/a', 'javascript:alert(1)', '']) {
      await expectError(reg('MS_OFFICE', [{ openType: 'EDIT', url }]), 400, 'paramError');
    }
    await expectError(oc.open(space.id, file.id, U, { type: 'PRINT' }), 400, 'paramError');
    await expectError(oc.open(space.id, file.id, U, { version: 9 }), 404, 'versionNotExist');
    await expectError(oc.register(space.id, folder.id, U, 'MS_OFFICE', edit), 400, 'paramError');
    await expectError(oc.open(space.id, folder.id, U), 400, 'paramError');
  });

  it('issues and rotates WebOffice token pairs', async () => {
    const pair = await oc.office(space.id, file.id, U);
    assert.deepEqual(Object.keys(pair).sort(),
      ['webOfficeAccessToken', 'webOfficeRefreshToken', 'webOfficeUrl']);
    const url = new URL(pair.webOfficeUrl);
    assert.equal(url.pathname, `/office/${space.id}/${file.id}`);
    assert.equal(url.hash, `#token=${pair.webOfficeAccessToken}`);
    const page = await request(srv, { method: 'GET', path: url.pathname });
    assert.equal(page.status, 200);
    const auth = (t) => ({ Authorization: `Bearer ${t}` });
    const info = await request(srv, {
      method: 'GET', path: '/office/api/file', headers: auth(pair.webOfficeAccessToken),
    });
    assert.equal(info.status, 200);
    assert.equal(JSON.parse(info.text).name, 'readme.txt');

    const fresh = await oc.refresh(space.id, file.id, U, pair.webOfficeAccessToken,
      pair.webOfficeRefreshToken);
    assert.deepEqual(Object.keys(fresh).sort(), ['webOfficeAccessToken', 'webOfficeRefreshToken']);
    assert.notEqual(fresh.webOfficeAccessToken, pair.webOfficeAccessToken);
    const old = await request(srv, {
      method: 'GET', path: '/office/api/file', headers: auth(pair.webOfficeAccessToken),
    });
    assert.equal(old.status, 401, 'the old access token stops working');
    // Reused, wrong, mismatched and missing refresh tokens.
    await expectError(oc.refresh(space.id, file.id, U, pair.webOfficeAccessToken,
      pair.webOfficeRefreshToken), 400, 'paramError');
    await expectError(oc.refresh(space.id, file.id, U, fresh.webOfficeAccessToken,
      'f'.repeat(64)), 400, 'paramError');
    const other = await oc.office(space.id, file.id, U);
    await expectError(oc.refresh(space.id, file.id, U, other.webOfficeAccessToken,
      fresh.webOfficeRefreshToken), 400, 'paramError');
    await expectError(oc.refresh(space.id, file.id, U, fresh.webOfficeAccessToken, undefined),
      400, 'paramError');
    const { dentry: second } = await uploadFile(dt, space.id, U, {
      name: 'b.txt', parentId: '0', bytes: Buffer.from('b'),
    });
    await expectError(oc.refresh(space.id, second.id, U, fresh.webOfficeAccessToken,
      fresh.webOfficeRefreshToken), 400, 'paramError');
    // The refusals used nothing: the pair still rotates on its own file.
    await oc.refresh(space.id, file.id, U, fresh.webOfficeAccessToken,
      fresh.webOfficeRefreshToken);
  });

  it('another org sees neither the space nor its open links', async () => {
    srv.admin(['org', 'create', '--corp-id', 'dingcorp-open', '--name', 'Other']);
    srv.admin(['user', 'create', '--corp-id', 'dingcorp-open', '--union-id', 'open-user']);
    const app = srv.admin(['app', 'create', '--corp-id', 'dingcorp-open', '--name', 'open-app']);
    const token = (await getToken(srv.endpoint, app.appKey, app.appSecret)).accessToken;
    const stranger = openClient(srv.endpoint, token);
    const V = 'open-user';
    await expectError(stranger.open(space.id, file.id, V), 404, 'spaceNotExist');
    await expectError(stranger.register(space.id, file.id, V, 'MS_OFFICE',
      [{ openType: 'EDIT', url: 'https://evil.example/' }]), 404, 'spaceNotExist');
    await expectError(stranger.office(space.id, file.id, V), 404, 'spaceNotExist');
    await expectError(stranger.refresh(space.id, file.id, V, 'a'.repeat(64), 'b'.repeat(64)),
      404, 'spaceNotExist');
  });
});
