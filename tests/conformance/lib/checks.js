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
  assertRequestIdHeader,
  assertWireError,
  sleep,
};
