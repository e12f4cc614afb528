'use strict';
// Thumbnails through the official SDK (reference §4.6): GetDentryThumbnails for a PNG, a JPEG
// served from the signed URL and decoded here; withThumbnail on GetDentry, GetDentries,
// ListDentries and ListAllDentries; bad input (0 and 31 ids, a foreign id, a folder, a
// non-image, a corrupt image, a bomb-sized header) and a tampered or bare URL. The images are
// made here with node's zlib (PNG) so no fixture is needed.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const zlib = require('node:zlib');
const { startServer } = require('../lib/server');
const { getToken, dingtalk, expectError, Storage, runtime } = require('../lib/dingtalk');
const { transfer } = require('../lib/http');
const { assertWireDentry } = require('../lib/checks');
const { uploadFile } = require('../lib/files');

const plain = (m) => JSON.parse(JSON.stringify(m));

// ---- PNG writer (8-bit RGB, one zlib stream) ----
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(width, height, { idat } = {}) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  let data = idat;
  if (data === undefined) {
    const raw = Buffer.alloc((width * 3 + 1) * height);
    for (let y = 0; y < height; y += 1) {
      const row = y * (width * 3 + 1);
      for (let x = 0; x < width; x += 1) {
        raw[row + 1 + x * 3] = x & 0xff;
        raw[row + 2 + x * 3] = y & 0xff;
        raw[row + 3 + x * 3] = (x + y) & 0xff;
      }
    }
    data = zlib.deflateSync(raw);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', data), chunk('IEND', Buffer.alloc(0))]);
}

// Width and height of a baseline or progressive JPEG, from its SOF segment.
function jpegSize(buf) {
  assert.equal(buf.readUInt16BE(0), 0xffd8, 'JPEG SOI');
  let i = 2;
  while (i + 9 < buf.length) {
    assert.equal(buf[i], 0xff, `JPEG marker at ${i}`);
    const marker = buf[i + 1];
    const len = buf.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
    }
    i += 2 + len;
  }
  throw new Error('no SOF in JPEG');
}

describe('thumbnails: SDK', { timeout: 120000 }, () => {
  let srv;
  let dt;
  let U;
  let space;
  let other;
  const ids = {};

  async function put(spaceId, name, bytes) {
    const { dentry } = await uploadFile(dt, spaceId, U, { name, parentId: '0', bytes });
    return dentry.id;
  }

  async function thumbnails(spaceId, dentryIds) {
    const r = await dt.client.getDentryThumbnailsWithOptions(spaceId,
      new Storage.GetDentryThumbnailsRequest({ unionId: U, dentryIds }),
      new Storage.GetDentryThumbnailsHeaders({ xAcsDingtalkAccessToken: dt.token }), runtime());
    assert.equal(r.statusCode, 200);
    return plain(r.body).resultItems;
  }

  async function itemError(id) {
    const [item] = await thumbnails(space.id, [id]);
    assert.equal(item.success, false, JSON.stringify(item));
    assert.equal(item.thumbnail, undefined);
    return item.errorCode;
  }

  before(async () => {
    srv = await startServer();
    U = srv.unionId;
    const token = (await getToken(srv.endpoint, srv.appKey, srv.appSecret)).accessToken;
    dt = dingtalk(srv.endpoint, token);
    dt.token = token;
    space = await dt.addSpace(U, { scene: 'thumbs', sceneId: '1' });
    other = await dt.addSpace(U, { scene: 'thumbs', sceneId: '2' });
    ids.png = await put(space.id, 'photo.png', png(640, 480));
    ids.text = await put(space.id, 'notes.txt', Buffer.from('not an image'));
    ids.corrupt = await put(space.id, 'corrupt.png', png(200, 200).subarray(0, 120));
    ids.bomb = await put(space.id, 'bomb.png',
      png(100000, 100000, { idat: zlib.deflateSync(Buffer.alloc(16)) }));
    ids.folder = (await dt.addFolder(space.id, '0', U, 'pictures')).id;
    ids.foreign = await put(other.id, 'elsewhere.png', png(64, 64));
  });
  after(async () => {
    await srv?.stop();
  });

  it('getDentryThumbnailsWithOptions renders a PNG; its URL serves the JPEG', async () => {
    const [item] = await thumbnails(space.id, [ids.png]);
    assert.equal(item.spaceId, space.id);
    assert.equal(item.dentryId, ids.png);
    assert.equal(item.success, true);
    assert.equal(item.errorCode, undefined);
    assert.deepEqual({ width: item.thumbnail.width, height: item.thumbnail.height },
      { width: 256, height: 192 });
    assert.equal(typeof item.thumbnail.url, 'string');
    const res = await transfer(item.thumbnail.url, { method: 'GET' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['content-type'], 'image/jpeg');
    assert.deepEqual(jpegSize(res.body), { width: 256, height: 192 });
  });

  it('a tampered, bare or misused thumbnail URL is refused like a download URL', async () => {
    const [item] = await thumbnails(space.id, [ids.png]);
    const url = new URL(item.thumbnail.url);
    const sig = url.searchParams.get('Signature');
    url.searchParams.set('Signature', (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1));
    let res = await transfer(url.toString(), { method: 'GET' });
    assert.equal(res.status, 403);
    assert.equal(res.json.code, 'SignatureDoesNotMatch');
    res = await transfer(item.thumbnail.url.split('?')[0], { method: 'GET' });
    assert.equal(res.status, 403);
    assert.equal(res.json.code, 'SignatureDoesNotMatch');
    res = await transfer(item.thumbnail.url, { method: 'PUT', body: 'x' });
    assert.equal(res.status, 405);
  });

  it('per-item errors: foreign, missing, folder, non-image, corrupt, bomb', async () => {
    assert.equal(await itemError(ids.foreign), 'dentryNotExist');
    assert.equal(await itemError('404040404040'), 'dentryNotExist');
    assert.equal(await itemError(ids.folder), 'thumbnailNotSupported');
    assert.equal(await itemError(ids.text), 'thumbnailNotSupported');
    assert.equal(await itemError(ids.corrupt), 'thumbnailGenerateFailed');
    assert.equal(await itemError(ids.bomb), 'thumbnailSourceTooLarge');
    // Mixed in one call, answered in request order.
    const items = await thumbnails(space.id, [ids.text, ids.png, ids.foreign]);
    assert.deepEqual(items.map((i) => i.success), [false, true, false]);
    assert.deepEqual(items.map((i) => i.dentryId), [ids.text, ids.png, ids.foreign]);
  });

  it('0 ids and 31 ids are 400 paramError; an unknown space is 404', async () => {
    await expectError(thumbnails(space.id, []), 400, 'paramError');
    await expectError(thumbnails(space.id, Array(31).fill(ids.png)), 400, 'paramError');
    await expectError(thumbnails('404040404040', [ids.png]), 404, 'spaceNotExist');
  });

  it('getDentryWithOptions withThumbnail adds a thumbnail to images only', async () => {
    let d = await dt.getDentry(space.id, ids.png, U, { withThumbnail: true });
    assertWireDentry(plain(d));
    assert.deepEqual({ width: d.thumbnail.width, height: d.thumbnail.height },
      { width: 256, height: 192 });
    const res = await transfer(d.thumbnail.url, { method: 'GET' });
    assert.equal(res.status, 200);
    d = await dt.getDentry(space.id, ids.png, U);
    assert.equal(d.thumbnail, undefined, 'only when asked');
    d = await dt.getDentry(space.id, ids.text, U, { withThumbnail: true });
    assert.equal(d.thumbnail, undefined, 'not for a text file');
    d = await dt.getDentry(space.id, ids.corrupt, U, { withThumbnail: true });
    assert.equal(d.thumbnail, undefined, 'not for a corrupt image');
  });

  it('GetDentries, ListDentries and ListAllDentries with withThumbnail', async () => {
    const batch = await dt.getDentries(space.id, U, [ids.png, ids.text],
      { withThumbnail: true });
    assert.equal(batch.resultItems[0].dentry.thumbnail.width, 256);
    assert.equal(batch.resultItems[1].dentry.thumbnail, undefined);
    const withThumbs = (page) => page.dentries.filter((d) => d.thumbnail !== undefined)
      .map((d) => d.id);
    let page = await dt.listDentries(space.id, U, { parentId: '0', withThumbnail: true });
    assert.deepEqual(withThumbs(page), [ids.png]);
    page = await dt.listDentries(space.id, U, { parentId: '0' });
    assert.deepEqual(withThumbs(page), []);
    page = await dt.listAllDentries(space.id, U, { withThumbnail: true });
    assert.deepEqual(withThumbs(page), [ids.png]);
    for (const d of page.dentries) assertWireDentry(plain(d));
  });
});
