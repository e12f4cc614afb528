'use strict';
// The three-step file flows of reference §4.4/§4.5, as an integrator writes them: the SDK for
// every storage call, plain HTTP for the bytes (PUT to / GET from the signed URL, sending every
// header the server handed out and nothing else of ours).

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { transfer } = require('./http');

function md5Hex(bytes) {
  return crypto.createHash('md5').update(bytes).digest('hex');
}

/** PUTs bytes to resourceUrls[0] of a HeaderSignatureInfo with exactly its headers. */
function putSigned(sig, bytes, { chunked = false, extraHeaders = {} } = {}) {
  return transfer(sig.resourceUrls[0], {
    method: 'PUT', headers: { ...sig.headers, ...extraHeaders }, body: bytes, chunked,
  });
}

/** GETs resourceUrls[0] of a HeaderSignatureInfo with its headers (plus e.g. Range). */
function getSigned(sig, extraHeaders = {}) {
  return transfer(sig.resourceUrls[0], {
    method: 'GET', headers: { ...sig.headers, ...extraHeaders },
  });
}

/**
 * GetFileUploadInfo -> PUT -> CommitFile. Returns {dentry, uploadKey, sig}.
 * @param {object} dt             façade from lib/dingtalk.js
 * @param {string} spaceId
 * @param {string} unionId
 * @param {object} f
 * @param {string} f.name
 * @param {string} f.parentId
 * @param {Buffer} f.bytes
 * @param {boolean} [f.preCheck=true]    send preCheckParam {name, parentId, size, md5}
 * @param {object} [f.option]            CommitFile option; default {size: bytes.length}
 * @param {string} [f.overwriteDentryId]
 * @param {boolean} [f.chunked]          PUT with Transfer-Encoding: chunked
 */
async function uploadFile(dt, spaceId, unionId, {
  name, parentId, bytes, preCheck = true, option, overwriteDentryId, chunked = false,
}) {
  const pre = preCheck
    ? { name, parentId, size: bytes.length, md5: md5Hex(bytes) }
    : undefined;
  const info = await dt.getFileUploadInfo(spaceId, unionId, pre);
  const sig = info.headerSignatureInfo;
  const put = await putSigned(sig, bytes, { chunked });
  assert.equal(put.status, 200, `PUT ${name}: ${put.status} ${put.text}`);
  const fields = { uploadKey: info.uploadKey, name, parentId };
  if (overwriteDentryId !== undefined) fields.overwriteDentryId = overwriteDentryId;
  const dentry = await dt.commitFile(spaceId, unionId, fields,
    option === undefined ? { size: bytes.length } : option);
  return { dentry, uploadKey: info.uploadKey, sig };
}

/** GetFileDownloadInfo (optionally a version) -> GET. Returns the raw transfer result. */
async function downloadFile(dt, spaceId, dentryId, unionId, { version, range } = {}) {
  const info = await dt.getFileDownloadInfo(spaceId, dentryId, unionId,
    version === undefined ? undefined : { version });
  return getSigned(info.headerSignatureInfo, range ? { range } : {});
}

module.exports = { md5Hex, putSigned, getSigned, uploadFile, downloadFile };
