'use strict';
// The web console (docs/console.md) end to end: its login surface over raw HTTP, then the page
// in a real headless Chromium (Debian's /usr/bin/chromium driven by playwright-core, never a
// downloaded browser) doing what a person does: log in both ways, create a space and a
// folder, upload (single and multipart) and see sizes, download and compare bytes, rename,
// move, delete and restore from the recycle bin, versions and revert, preview an image and a
// text, and a READER refused an upload with the API's own error. Screenshots of the main pages
// go to <build>/artifacts/console/ (the path is printed).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { chromium } = require('playwright-core');
const { startServer, binaryPath } = require('../lib/server');
const { request } = require('../lib/http');

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync'];
const MiB = 1024 * 1024;
const PASSWORD = 'console-test-password';
const READER_PASSWORD = 'reader-test-password';

// Where screenshots go: <build dir>/artifacts/console, beside the binary's bin/.
const ARTIFACTS = path.resolve(path.dirname(binaryPath()), '..', 'artifacts', 'console');

/** A valid PNG of `size`x`size` pixels in one colour (no image library needed). */
function png(size, [r, g, b]) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'ascii');
    data.copy(out, 8);
    out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8;  // Bit depth.
  header[9] = 2;  // RGB.
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array(size).fill([r, g, b]).flat())]);
  const pixels = zlib.deflateSync(Buffer.concat(Array(size).fill(row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

/** The console's size column text, as console.js formats it. */
function formatSize(bytes) {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** The Set-Cookie headers of a reply, as one array. */
function setCookies(reply) {
  const value = reply.headers['set-cookie'];
  return Array.isArray(value) ? value : value ? [value] : [];
}

describe('console: login surface and the page in a headless browser', { timeout: 280000 }, () => {
  let srv;
  let browser;
  let page;
  let userDataDir;
  let spaceId;
  const blobPuts = [];  // Paths of the PUTs the page sent to /blobs/upload/.

  const login = (body) => request(srv, { method: 'POST', path: '/console/api/login', body });

  before(async () => {
    srv = await startServer();
    // union1's password (the command reads it from stdin) and a second user made with one.
    const set = srv.admin(['user', 'password', srv.corpId, srv.unionId], { input: `${PASSWORD}\n` });
    assert.deepEqual(set, { corpId: srv.corpId, unionId: srv.unionId, hasPassword: true });
    const reader = srv.admin(['user', 'create', '--corp-id', srv.corpId, '--union-id', 'reader',
      '--name', 'Rita Reader', '--password-stdin'], { input: `${READER_PASSWORD}\n` });
    assert.equal(reader.hasPassword, true);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    console.log(`console screenshots: ${ARTIFACTS}`);
  });

  after(async () => {
    if (browser) await browser.close();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
    if (srv) await srv.stop();
  });

  // ---- The JSON surface, over raw HTTP ----

  it('serves the page with its content types, cache headers and a strict CSP', async () => {
    const redirect = await request(srv, { method: 'GET', path: '/console' });
    assert.equal(redirect.status, 308);
    assert.equal(redirect.headers.location, '/console/');
    const index = await request(srv, { method: 'GET', path: '/console/' });
    assert.equal(index.status, 200);
    assert.match(index.headers['content-type'], /^text\/html/);
    assert.equal(index.headers['cache-control'], 'no-cache');
    assert.equal(index.headers['x-content-type-options'], 'nosniff');
    const csp = index.headers['content-security-policy'];
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const script = await request(srv, { method: 'GET', path: '/console/console.js' });
    assert.match(script.headers['content-type'], /^text\/javascript/);
    const again = await request(srv, { method: 'GET', path: '/console/console.js',
      headers: { 'if-none-match': script.headers.etag } });
    assert.equal(again.status, 304);
    const missing = await request(srv, { method: 'GET', path: '/console/nope.js' });
    assert.equal(missing.status, 404);
  });

  it('refuses wrong credentials with the documented error, never a 500', async () => {
    for (const body of [
      { appKey: srv.appKey, unionId: srv.unionId, password: 'wrong-password' },
      { appKey: 'no-such-key', unionId: srv.unionId, password: PASSWORD },
      { appKey: srv.appKey, unionId: 'nobody', password: PASSWORD },
      { appKey: srv.appKey, appSecret: 'wrong-secret', unionId: srv.unionId },
    ]) {
      const reply = await login(body);
      assert.equal(reply.status, 400, JSON.stringify(body));
      assert.equal(reply.json.code, 'invalidClientIdOrSecret');
      assert.equal(setCookies(reply).length, 0);
    }
    const both = await login({ appKey: srv.appKey, appSecret: srv.appSecret, unionId: srv.unionId,
      password: PASSWORD });
    assert.equal(both.status, 400);
    assert.equal(both.json.code, 'paramError');
    const missing = await login({ appKey: srv.appKey, password: PASSWORD });
    assert.equal(missing.status, 400);
    assert.equal(missing.json.code, 'paramError');
    const form = await request(srv, { method: 'POST', path: '/console/api/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `appKey=${srv.appKey}&unionId=${srv.unionId}&password=${PASSWORD}` });
    assert.equal(form.status, 400);
    const whoami = await request(srv, { method: 'GET', path: '/console/api/session' });
    assert.equal(whoami.status, 400);
    assert.equal(whoami.json.code, 'InvalidAuthentication');
  });

  it('a password login sets the session cookie and binds its token to the user', async () => {
    const reply = await login({ appKey: srv.appKey, unionId: srv.unionId, password: PASSWORD });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.json.mode, 'user');
    assert.equal(reply.json.unionId, srv.unionId);
    assert.equal(reply.json.corpId, srv.corpId);
    assert.equal(typeof reply.json.accessToken, 'string');
    assert.ok(reply.json.expireIn > 0);
    const [cookie] = setCookies(reply);
    assert.match(cookie, /^spacestore_console=/);
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Strict/);
    assert.match(cookie, /; Path=\//);
    const pair = cookie.split(';')[0];
    const whoami = await request(srv, { method: 'GET', path: '/console/api/session',
      headers: { cookie: pair } });
    assert.equal(whoami.status, 200);
    assert.equal(whoami.json.unionId, srv.unionId);
    assert.equal(whoami.json.accessToken, reply.json.accessToken);
    const users = await request(srv, { method: 'GET', path: '/console/api/users',
      headers: { cookie: pair } });
    assert.deepEqual(users.json.users.map((u) => u.unionId).sort(), ['reader', srv.unionId].sort());
    // The bound token acts as its user through the public API, and as no other.
    const token = { 'x-acs-dingtalk-access-token': reply.json.accessToken };
    const own = await request(srv, { method: 'POST', path: `/v1.0/storage/spaces?unionId=${srv.unionId}`,
      headers: token, body: { option: { name: 'api check' } } });
    assert.equal(own.status, 200, own.text);
    const other = await request(srv, { method: 'GET',
      path: `/v1.0/storage/spaces/${own.json.space.id}?unionId=reader`, headers: token });
    assert.equal(other.status, 403);
    assert.equal(other.json.code, 'permissionDenied');
    // A user's own session cannot switch to another user; logout clears the cookie.
    const swap = await request(srv, { method: 'PUT', path: '/console/api/session',
      headers: { cookie: pair }, body: { unionId: 'reader' } });
    assert.equal(swap.status, 403);
    const out = await request(srv, { method: 'POST', path: '/console/api/logout',
      headers: { cookie: pair }, body: {} });
    assert.equal(out.status, 200);
    assert.match(setCookies(out)[0], /Max-Age=0/);
  });

  // ---- The page ----

  it('logs in as a user with a password', async () => {
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spacestore-console-chromium-'));
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, acceptDownloads: true,
      viewport: { width: 1280, height: 800 },
    });
    page = browser.pages()[0] || await browser.newPage();
    page.on('request', (req) => {
      if (req.method() === 'PUT' && req.url().includes('/blobs/upload/')) {
        blobPuts.push(new URL(req.url()).pathname);
      }
    });
    await page.goto(`${srv.baseUrl}/console/`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#login-app-key', srv.appKey);
    await page.fill('#login-union-id', srv.unionId);
    await page.fill('#login-password', PASSWORD);
    await page.screenshot({ path: path.join(ARTIFACTS, 'login.png') });
    await page.click('#login-submit');
    await page.waitForSelector(`#who:has-text("${srv.unionId}")`);
    assert.equal(await page.isHidden('#acting-as'), true);  // A user acts only as itself.
  });

  it('creates a space with a quota and a folder in it', async () => {
    await page.click('#new-space summary');
    await page.fill('#new-space-name', 'Console space');
    await page.fill('#new-space-quota', '100');
    await page.click('#new-space-submit');
    await page.waitForSelector('#space-title:has-text("Console space")');
    assert.match(await page.textContent('#space-quota'), /0 B of 100\.0 MiB/);
    spaceId = await page.getAttribute('#space-list button.active', 'data-space');
    assert.match(spaceId, /^\d+$/);
    await page.click('#new-folder');
    await page.fill('#prompt-input', 'Reports');
    await page.click('#prompt-ok');
    await page.waitForSelector('tr[data-name="Reports"]');
    await page.click('tr[data-name="Reports"] td.name button');
    await page.waitForSelector('#breadcrumbs button:has-text("Reports")');
  });

  const files = {};

  it('uploads a file and a multipart file through the page and lists their sizes', async () => {
    files.small = crypto.randomBytes(3 * MiB + 12345);
    files.big = crypto.randomBytes(10 * MiB + 777);  // Above the 8 MiB threshold: 3 parts.
    await page.setInputFiles('#upload-input', [
      { name: 'data.bin', mimeType: 'application/octet-stream', buffer: files.small },
      { name: 'big.bin', mimeType: 'application/octet-stream', buffer: files.big },
    ]);
    await page.waitForSelector('[data-upload="data.bin"] progress');  // The progress bar.
    await page.waitForSelector('tr[data-name="big.bin"]', { timeout: 60000 });
    await page.waitForSelector('tr[data-name="data.bin"]');
    assert.equal(await page.textContent('tr[data-name="data.bin"] td.size'),
      formatSize(files.small.length));
    assert.equal(await page.getAttribute('tr[data-name="big.bin"] td.size', 'data-size'),
      String(files.big.length));
    // One single PUT for data.bin, three part PUTs (/blobs/upload/<key>/<n>) for big.bin.
    const parts = blobPuts.filter((p) => /\/blobs\/upload\/[^/]+\/\d+$/.test(p));
    assert.deepEqual(parts.map((p) => p.split('/').pop()).sort(), ['1', '2', '3']);
    assert.equal(blobPuts.length - parts.length, 1);
    await page.waitForSelector('#uploads li', { state: 'detached' });
    assert.match(await page.textContent('#space-quota'), /13\.0 MiB of 100\.0 MiB/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'folder.png') });
  });

  /** Clicks a download control and returns the bytes the browser saved. */
  async function downloadVia(selector) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    return fs.readFileSync(await download.path());
  }

  it('downloads both files byte for byte', async () => {
    const small = await downloadVia('tr[data-name="data.bin"] button:has-text("Download")');
    assert.ok(small.equals(files.small), 'data.bin differs');
    const big = await downloadVia('tr[data-name="big.bin"] button:has-text("Download")');
    assert.ok(big.equals(files.big), 'big.bin differs');
  });

  it('renames, and moves to another folder', async () => {
    await page.click('tr[data-name="data.bin"] button:has-text("Rename")');
    await page.fill('#prompt-input', 'renamed.bin');
    await page.click('#prompt-ok');
    await page.waitForSelector('tr[data-name="renamed.bin"]');
    assert.equal(await page.isVisible('tr[data-name="data.bin"]'), false);

    await page.click('tr[data-name="big.bin"] button:has-text("Move")');
    await page.waitForSelector('#move-dialog[open]');
    await page.click('#move-crumbs button');  // The space's root.
    await page.click('#move-here');
    await page.waitForSelector('tr[data-name="big.bin"]', { state: 'detached' });
    await page.click('#breadcrumbs button:first-child');
    await page.waitForSelector('tr[data-name="big.bin"]');
    await page.click('tr[data-name="Reports"] td.name button');
    await page.waitForSelector('tr[data-name="renamed.bin"]');
  });

  it('uploads a new version, lists versions and reverts to the first', async () => {
    files.v2 = Buffer.from('second version\n');
    await page.click('tr[data-name="renamed.bin"] button:has-text("New version")');
    await page.setInputFiles('#version-input',
      { name: 'anything.txt', mimeType: 'text/plain', buffer: files.v2 });
    await page.waitForSelector('tr[data-name="renamed.bin"] td:text-is("2")');
    await page.click('tr[data-name="renamed.bin"] button:has-text("Versions")');
    await page.waitForSelector('#versions-dialog[open] tr[data-version="2"]');
    assert.equal(await page.isVisible('tr[data-version="1"]'), true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'versions.png') });
    await page.click('tr[data-version="1"] button:has-text("Revert")');
    await page.waitForSelector('tr[data-name="renamed.bin"] td:text-is("3")');
    const current = await downloadVia('tr[data-name="renamed.bin"] button:has-text("Download")');
    assert.ok(current.equals(files.small), 'the revert did not bring version 1 back');
  });

  it('deletes to the recycle bin and restores', async () => {
    await page.click('tr[data-name="renamed.bin"] button:has-text("Delete")');
    await page.click('#prompt-ok');
    await page.waitForSelector('tr[data-name="renamed.bin"]', { state: 'detached' });
    await page.click('#show-recycle');
    await page.waitForSelector('#recycle-dialog[open] tr[data-name="renamed.bin"]');
    await page.screenshot({ path: path.join(ARTIFACTS, 'recycle-bin.png') });
    await page.click('#recycle-rows tr[data-name="renamed.bin"] button:has-text("Restore")');
    await page.waitForSelector('#recycle-empty:not([hidden])');
    await page.click('#recycle-dialog button[value="close"]');
    await page.waitForSelector('#file-rows tr[data-name="renamed.bin"]');
  });

  it('previews an image and a text file in the page', async () => {
    await page.setInputFiles('#upload-input', [
      { name: 'pixel.png', mimeType: 'image/png', buffer: png(64, [31, 111, 235]) },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello from the console\n') },
    ]);
    await page.waitForSelector('tr[data-name="notes.txt"]');
    await page.waitForSelector('tr[data-name="pixel.png"]');
    await page.click('tr[data-name="pixel.png"] td.name button');
    await page.waitForSelector('#preview-body img');
    await page.waitForFunction(() => document.querySelector('#preview-body img').naturalWidth > 0);
    assert.equal(await page.evaluate(() => document.querySelector('#preview-body img').naturalWidth), 64);
    await page.screenshot({ path: path.join(ARTIFACTS, 'preview.png') });
    await page.click('#preview-dialog button[value="close"]');
    await page.click('tr[data-name="notes.txt"] td.name button');
    await page.waitForSelector('#preview-body pre:has-text("hello from the console")');
    await page.click('#preview-dialog button[value="close"]');
  });

  it('keeps the session over a reload and logs out', async () => {
    await page.reload();
    await page.waitForSelector(`#who:has-text("${srv.unionId}")`);
    await page.click('#logout');
    await page.waitForSelector('#login-view:not([hidden])');
    const cookies = await browser.cookies(srv.baseUrl);
    assert.equal(cookies.some((c) => c.name === 'spacestore_console' && c.value), false);
  });

  it('logs in as an app acting as a chosen user, and switches user', async () => {
    await page.click('#mode-app');
    await page.fill('#login-app-key', srv.appKey);
    await page.fill('#login-app-secret', srv.appSecret);
    await page.fill('#login-union-id', srv.unionId);
    await page.click('#login-submit');
    await page.waitForSelector(`#who:has-text("${srv.unionId}")`);
    await page.waitForSelector(`#space-list button[data-space="${spaceId}"]`);
    assert.equal(await page.isVisible('#acting-as'), true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'app-login.png') });
    await page.selectOption('#user-picker', 'reader');
    await page.waitForSelector('#who:has-text("Rita Reader")');
    await page.click('#logout');
    await page.waitForSelector('#login-view:not([hidden])');
  });

  it('a READER cannot upload: the page shows the API\'s error', async () => {
    // The owner grants READER on the space's root through the public API.
    const owner = await login({ appKey: srv.appKey, unionId: srv.unionId, password: PASSWORD });
    const grant = await request(srv, { method: 'POST',
      path: `/v1.0/storage/spaces/${spaceId}/dentries/0/permissions?unionId=${srv.unionId}`,
      headers: { 'x-acs-dingtalk-access-token': owner.json.accessToken },
      body: { roleId: 'READER', members: [{ type: 'USER', id: 'reader', corpId: srv.corpId }] } });
    assert.equal(grant.status, 200, grant.text);

    await page.click('#mode-user');
    await page.fill('#login-app-key', srv.appKey);
    await page.fill('#login-union-id', 'reader');
    await page.fill('#login-password', READER_PASSWORD);
    await page.click('#login-submit');
    await page.waitForSelector('#who:has-text("Rita Reader")');
    await page.fill('#open-space-id', spaceId);
    await page.click('#open-space-form button');
    await page.waitForSelector('tr[data-name="Reports"]');
    await page.setInputFiles('#upload-input',
      { name: 'nope.txt', mimeType: 'text/plain', buffer: Buffer.from('not allowed') });
    await page.waitForSelector('#error:not([hidden])');
    assert.match(await page.textContent('#error-text'), /permissionDenied/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'reader-refused.png') });
    assert.equal(await page.isVisible('tr[data-name="nope.txt"]'), false);
  });
});
