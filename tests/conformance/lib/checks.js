'use strict';
// Shape checks shared by the suites. "Wire" checks look at the raw JSON the server sent
// (exact JSON types); the SDK's cast quietly converts numbers to strings and back, so it
// cannot be the judge of types.

const assert = require('node:assert/strict');

// ISO-8601 date-time in UTC or with an offset; seconds and fractions optional, as the
// DingTalk docs show both "2022-01-01T10:00:00Z" and "2022-07-29T14:55Z".
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
// Path parameters are sent unencoded by the SDK, so server ids must be URL-safe.
const URL_SAFE_ID = /^[A-Za-z0-9_-]+$/;

function assertIsoTime(value, what) {
  assert.equal(typeof value, 'string', `${what} must be a string`);
  assert.match(value, ISO_TIME, `${what} must be ISO-8601, got ${value}`);
  assert.ok(!Number.isNaN(Date.parse(value)), `${what} must parse as a date, got ${value}`);
}

function assertUrlSafeId(value, what) {
  assert.equal(typeof value, 'string', `${what} must be a string`);
  assert.match(value, URL_SAFE_ID, `${what} must match [A-Za-z0-9_-]+, got ${value}`);
}

function assertType(obj, key, type, where) {
  assert.equal(typeof obj[key], type,
    `${where}.${key} must be a JSON ${type}, got ${JSON.stringify(obj[key])}`);
}

// Checks one Partition object as sent on the wire.
function assertWirePartition(p, where) {
  assert.ok(p && typeof p === 'object' && !Array.isArray(p), `${where} must be an object`);
  assertType(p, 'partitionType', 'string', where);
  assert.ok(['PUBLIC_OSS_PARTITION', 'MINI_OSS_PARTITION'].includes(p.partitionType),
    `${where}.partitionType: ${p.partitionType}`);
  assert.ok(p.quota && typeof p.quota === 'object', `${where}.quota must be an object`);
  assertType(p.quota, 'used', 'number', `${where}.quota`);
  assert.ok(Number.isInteger(p.quota.used) && p.quota.used >= 0, `${where}.quota.used >= 0`);
  assertType(p.quota, 'type', 'string', `${where}.quota`);
  assert.ok(['SHARE', 'PRIVATE'].includes(p.quota.type), `${where}.quota.type: ${p.quota.type}`);
  for (const k of ['max', 'reserved']) {
    if (p.quota[k] !== undefined && p.quota[k] !== null) assertType(p.quota, k, 'number', where);
  }
}

// Checks the JSON types of a Space object exactly as the server sent it.
function assertWireSpace(s) {
  const w = 'space';
  assert.ok(s && typeof s === 'object' && !Array.isArray(s), 'space must be an object');
  for (const k of ['id', 'corpId', 'appId', 'ownerType', 'ownerId', 'creatorId', 'status',
    'createTime', 'modifiedTime', 'scene', 'sceneId']) {
    assertType(s, k, 'string', w);
  }
  assertUrlSafeId(s.id, 'space.id');
  assertType(s, 'usedQuota', 'number', w);
  for (const k of ['quota']) {
    if (s[k] !== undefined) assertType(s, k, 'number', w);
  }
  for (const k of ['name', 'modifierId']) {
    if (s[k] !== undefined) assertType(s, k, 'string', w);
  }
  assertIsoTime(s.createTime, 'space.createTime');
  assertIsoTime(s.modifiedTime, 'space.modifiedTime');
  assert.ok(s.capabilities && typeof s.capabilities === 'object', 'space.capabilities object');
  for (const k of ['canSearch', 'canRename', 'canRecordRecentFile']) {
    assertType(s.capabilities, k, 'boolean', 'space.capabilities');
  }
  if (s.partitions !== undefined) {
    assert.ok(Array.isArray(s.partitions), 'space.partitions must be an array');
    assert.ok(s.partitions.length <= 2, 'space.partitions has at most 2 entries');
    s.partitions.forEach((p, i) => assertWirePartition(p, `space.partitions[${i}]`));
  }
  for (const [k, v] of Object.entries(s)) {
    assert.notEqual(v, null, `space.${k} must be omitted rather than null`);
  }
}

function assertNoNulls(obj, where) {
  for (const [k, v] of Object.entries(obj)) {
    assert.notEqual(v, null, `${where}.${k} must be omitted rather than null`);
  }
}

/**
 * Checks one Dentry (Dentry, DentryT or DentryTC) exactly as the server sent it (reference §3):
 * string ids and times, integer size and version, uppercase type, folders without `size`
 * and `extension`, `appProperties` a map of appId -> AppProperty[].
 */
function assertWireDentry(d, where = 'dentry') {
  assert.ok(d && typeof d === 'object' && !Array.isArray(d), `${where} must be an object`);
  for (const k of ['id', 'spaceId', 'parentId', 'type', 'name', 'path', 'status', 'creatorId',
    'modifierId', 'createTime', 'modifiedTime', 'uuid', 'partitionType', 'storageDriver']) {
    assertType(d, k, 'string', where);
  }
  assertUrlSafeId(d.id, `${where}.id`);
  assertUrlSafeId(d.spaceId, `${where}.spaceId`);
  assert.ok(['FILE', 'FOLDER'].includes(d.type), `${where}.type: ${d.type}`);
  assert.ok(['NORMAL', 'DELETED', 'EXPIRED'].includes(d.status), `${where}.status: ${d.status}`);
  assert.ok(['PUBLIC_OSS_PARTITION', 'MINI_OSS_PARTITION'].includes(d.partitionType),
    `${where}.partitionType: ${d.partitionType}`);
  assert.ok(['DINGTALK', 'ALIDOC', 'SHANJI', 'UNKNOWN'].includes(d.storageDriver),
    `${where}.storageDriver: ${d.storageDriver}`);
  assert.ok(d.path.startsWith('/'), `${where}.path must start with '/', got ${d.path}`);
  assertType(d, 'version', 'number', where);
  assert.ok(Number.isInteger(d.version) && d.version >= 1, `${where}.version >= 1`);
  assertIsoTime(d.createTime, `${where}.createTime`);
  assertIsoTime(d.modifiedTime, `${where}.modifiedTime`);
  assert.ok(d.properties && typeof d.properties === 'object', `${where}.properties object`);
  assertType(d.properties, 'readOnly', 'boolean', `${where}.properties`);
  if (d.appProperties !== undefined) {
    assert.ok(d.appProperties && typeof d.appProperties === 'object' &&
      !Array.isArray(d.appProperties), `${where}.appProperties must be a map, not an array`);
    for (const [appId, list] of Object.entries(d.appProperties)) {
      assert.ok(Array.isArray(list), `${where}.appProperties.${appId} must be an array`);
      list.forEach((p, i) => {
        const w = `${where}.appProperties.${appId}[${i}]`;
        for (const k of ['name', 'value', 'visibility']) assertType(p, k, 'string', w);
        assert.ok(['PUBLIC', 'PRIVATE'].includes(p.visibility), `${w}.visibility`);
      });
    }
  }
  if (d.type === 'FOLDER') {
    assert.ok(!('size' in d), `${where}: a folder must have no size, got ${d.size}`);
    assert.ok(!('extension' in d), `${where}: a folder must have no extension`);
  } else {
    assertType(d, 'size', 'number', where);
    assert.ok(Number.isInteger(d.size) && d.size >= 0, `${where}.size integer >= 0`);
    if (d.extension !== undefined) assertType(d, 'extension', 'string', where);
  }
  if (d.category !== undefined) assertType(d, 'category', 'string', where);
  if (d.thumbnail !== undefined) {
    assert.ok(d.thumbnail && typeof d.thumbnail === 'object', `${where}.thumbnail object`);
  }
  assertNoNulls(d, where);
}

/** HeaderSignatureInfo on the wire: URLs, string-valued headers, numeric expiry, region. */
function assertWireHeaderSignatureInfo(h, where = 'headerSignatureInfo') {
  assert.ok(h && typeof h === 'object' && !Array.isArray(h), `${where} must be an object`);
  assert.ok(Array.isArray(h.resourceUrls), `${where}.resourceUrls must be an array`);
  assert.ok(h.resourceUrls.length >= 1 && h.resourceUrls.length <= 10,
    `${where}.resourceUrls has 1..10 entries`);
  for (const u of h.resourceUrls) {
    assert.equal(typeof u, 'string', `${where}.resourceUrls[] must be strings`);
    assert.match(u, /^https?:\/\//,
      `${where}.resourceUrls[] must be absolute URLs: ${u}`);
  }
  if (h.internalResourceUrls !== undefined) {
    assert.ok(Array.isArray(h.internalResourceUrls), `${where}.internalResourceUrls array`);
    assert.ok(h.internalResourceUrls.length <= 10, `${where}.internalResourceUrls <= 10`);
    for (const u of h.internalResourceUrls) assert.equal(typeof u, 'string');
  }
  assert.ok(h.headers && typeof h.headers === 'object' && !Array.isArray(h.headers),
    `${where}.headers must be an object`);
  assert.ok(Object.keys(h.headers).length <= 20, `${where}.headers has <= 20 entries`);
  for (const [k, v] of Object.entries(h.headers)) {
    assert.equal(typeof v, 'string', `${where}.headers.${k} must be a string`);
  }
  assertType(h, 'expirationSeconds', 'number', where);
  assert.ok(Number.isInteger(h.expirationSeconds) && h.expirationSeconds > 0,
    `${where}.expirationSeconds > 0`);
  assertType(h, 'region', 'string', where);
  assert.ok(['ZHANGJIAKOU', 'SHENZHEN', 'SHANGHAI', 'SINGAPORE', 'UNKNOWN'].includes(h.region),
    `${where}.region: ${h.region}`);
  assertNoNulls(h, where);
}

function assertRequestIdHeader(res, what) {
  const id = res.headers['x-acs-request-id'];
  assert.equal(typeof id, 'string', `${what}: x-acs-request-id header missing`);
  assert.ok(id.length > 0, `${what}: x-acs-request-id header empty`);
}

// A DingTalk error body on the wire: JSON object with string code, message, requestid.
function assertWireError(res, status, code, what = '') {
  assert.equal(res.status, status, `${what} status: want ${status}, got ${res.status}: ${res.text}`);
  assert.ok(res.json && typeof res.json === 'object' && !Array.isArray(res.json),
    `${what} error body must be a JSON object, got: ${res.text}`);
  assert.equal(typeof res.json.code, 'string', `${what} error body code must be a string`);
  if (code !== undefined) assert.equal(res.json.code, code, `${what} code: ${res.text}`);
  assert.equal(typeof res.json.message, 'string', `${what} error body message must be a string`);
  assert.equal(typeof res.json.requestid, 'string', `${what} error body requestid`);
  assert.ok(res.json.requestid.length > 0, `${what} error body requestid must not be empty`);
  assert.match(String(res.headers['content-type'] || ''), /application\/json/i,
    `${what} error content-type`);
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

module.exports = {
  ISO_TIME,
  URL_SAFE_ID,
  assertIsoTime,
  assertUrlSafeId,
  assertWirePartition,
  assertWireSpace,
  assertWireDentry,
  assertWireHeaderSignatureInfo,
  assertRequestIdHeader,
  assertWireError,
  sleep,
};
