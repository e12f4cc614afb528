'use strict';
// Helpers around the official DingTalk Node SDK (@alicloud/dingtalk 2.2.27). The SDK is used
// exactly as an integrator would use it; only protocol, endpoint and the timeouts differ
// from the vendor samples.

const assert = require('node:assert/strict');
const http = require('node:http');

// Against several nodes (SPACESTORE_NODES, lib/server.js) every call takes a new connection,
// which the forwarder sends to a random node. The SDK's HTTP layer (httpx) keeps connections
// alive in an agent of its own that no SDK option reaches, so its request function is given
// a non-keep-alive agent here, before the SDK loads it.
const CLUSTERED = Number(process.env.SPACESTORE_NODES || '1') > 1;
if (CLUSTERED) {
  const httpx = require('httpx');
  const request = httpx.request;
  const fresh = new http.Agent({ keepAlive: false });
  httpx.request = (url, opts = {}) => request(url, { ...opts, agent: opts.agent || fresh });
}

const { Config } = require('@alicloud/openapi-client');
const { RuntimeOptions } = require('@alicloud/tea-util');
const Storage = require('@alicloud/dingtalk/storage_1_0');
const OAuth2 = require('@alicloud/dingtalk/oauth2_1_0');

const TIMEOUT_MS = 10000;

function sdkConfig(endpoint) {
  return new Config({
    protocol: 'http',
    endpoint,
    readTimeout: TIMEOUT_MS,
    connectTimeout: TIMEOUT_MS,
  });
}

function storageClient(endpoint) {
  return new Storage.default(sdkConfig(endpoint));
}

function oauthClient(endpoint) {
  return new OAuth2.default(sdkConfig(endpoint));
}

function runtime() {
  return new RuntimeOptions({ readTimeout: TIMEOUT_MS, connectTimeout: TIMEOUT_MS });
}

/** Gets an access token with the SDK; returns the response body ({accessToken, expireIn}). */
async function getToken(endpoint, appKey, appSecret) {
  const resp = await oauthClient(endpoint).getAccessToken(
    new OAuth2.GetAccessTokenRequest({ appKey, appSecret }));
  return resp.body;
}

/**
 * A small façade bound to one token and one endpoint so the tests read like the calls they
 * make. Each method returns the SDK's cast response body.
 */
function dingtalk(endpoint, token) {
  const client = storageClient(endpoint);
  const H = (Cls) => new Cls({ xAcsDingtalkAccessToken: token });
  return {
    client,
    async addSpace(unionId, option) {
      const req = new Storage.AddSpaceRequest({ unionId });
      if (option !== undefined) {
        const o = { ...option };
        if (o.capabilities) {
          o.capabilities = new Storage.AddSpaceRequestOptionCapabilities(o.capabilities);
        }
        req.option = new Storage.AddSpaceRequestOption(o);
      }
      const r = await client.addSpaceWithOptions(req, H(Storage.AddSpaceHeaders), runtime());
      return r.body.space;
    },
    async getSpace(spaceId, unionId) {
      const r = await client.getSpaceWithOptions(
        spaceId, new Storage.GetSpaceRequest({ unionId }), H(Storage.GetSpaceHeaders),
        runtime());
      return r.body.space;
    },
    async getOrg(corpId, unionId) {
      const r = await client.getOrgWithOptions(
        corpId, new Storage.GetOrgRequest({ unionId }), H(Storage.GetOrgHeaders), runtime());
      return r.body.org;
    },
    async getCurrentApp(unionId) {
      const r = await client.getCurrentAppWithOptions(
        new Storage.GetCurrentAppRequest({ unionId }), H(Storage.GetCurrentAppHeaders),
        runtime());
      return r.body.app;
    },

    // ---- dentries and files (reference §4.2–§4.5). Options are wrapped in the SDK's own
    // option models, as an integrator would build them. Each returns the cast body.
    async addFolder(spaceId, parentId, unionId, name, option) {
      const req = new Storage.AddFolderRequest({ unionId, name });
      if (option !== undefined) req.option = addFolderOption(option);
      const r = await client.addFolderWithOptions(spaceId, parentId, req,
        H(Storage.AddFolderHeaders), runtime());
      return r.body.dentry;
    },
    async getDentry(spaceId, dentryId, unionId, option) {
      const req = new Storage.GetDentryRequest({ unionId });
      if (option !== undefined) req.option = new Storage.GetDentryRequestOption(option);
      const r = await client.getDentryWithOptions(spaceId, dentryId, req,
        H(Storage.GetDentryHeaders), runtime());
      return r.body.dentry;
    },
    async getDentries(spaceId, unionId, dentryIds, option) {
      const req = new Storage.GetDentriesRequest({ unionId, dentryIds });
      if (option !== undefined) req.option = new Storage.GetDentriesRequestOption(option);
      const r = await client.getDentriesWithOptions(spaceId, req,
        H(Storage.GetDentriesHeaders), runtime());
      return r.body;
    },
    /** query: {parentId, maxResults, nextToken, order, orderBy, withThumbnail}. */
    async listDentries(spaceId, unionId, query = {}) {
      const r = await client.listDentriesWithOptions(spaceId,
        new Storage.ListDentriesRequest({ unionId, ...query }),
        H(Storage.ListDentriesHeaders), runtime());
      return r.body;
    },
    async listAllDentries(spaceId, unionId, option) {
      const req = new Storage.ListAllDentriesRequest({ unionId });
      if (option !== undefined) req.option = new Storage.ListAllDentriesRequestOption(option);
      const r = await client.listAllDentriesWithOptions(spaceId, req,
        H(Storage.ListAllDentriesHeaders), runtime());
      return r.body;
    },
    /** preCheckParam: {name, parentId, size, md5} or undefined. */
    async getFileUploadInfo(spaceId, unionId, preCheckParam, extra = {}) {
      const option = {};
      if (preCheckParam !== undefined) {
        option.preCheckParam = new Storage.GetFileUploadInfoRequestOptionPreCheckParam(
          preCheckParam);
      }
      const req = new Storage.GetFileUploadInfoRequest({
        unionId,
        protocol: 'HEADER_SIGNATURE',
        multipart: false,
        option: new Storage.GetFileUploadInfoRequestOption(option),
        ...extra,
      });
      const r = await client.getFileUploadInfoWithOptions(spaceId, req,
        H(Storage.GetFileUploadInfoHeaders), runtime());
      return r.body;
    },
    /** fields: {uploadKey, name, parentId, overwriteDentryId}; option: {size, ...}. */
    async commitFile(spaceId, unionId, fields, option) {
      const req = new Storage.CommitFileRequest({ unionId, ...fields });
      if (option !== undefined) {
        const o = { ...option };
        if (o.appProperties) {
          o.appProperties = o.appProperties.map(
            (p) => new Storage.CommitFileRequestOptionAppProperties(p));
        }
        req.option = new Storage.CommitFileRequestOption(o);
      }
      const r = await client.commitFileWithOptions(spaceId, req,
        H(Storage.CommitFileHeaders), runtime());
      return r.body.dentry;
    },
    async initMultipartFileUpload(spaceId, unionId, preCheckParam) {
      const option = {};
      if (preCheckParam !== undefined) {
        option.preCheckParam = new Storage.InitMultipartFileUploadRequestOptionPreCheckParam(
          preCheckParam);
      }
      const r = await client.initMultipartFileUploadWithOptions(spaceId,
        new Storage.InitMultipartFileUploadRequest({
          unionId, option: new Storage.InitMultipartFileUploadRequestOption(option),
        }),
        H(Storage.InitMultipartFileUploadHeaders), runtime());
      return r.body;
    },
    async getMultipartFileUploadInfos(unionId, uploadKey, partNumbers) {
      const r = await client.getMultipartFileUploadInfosWithOptions(
        new Storage.GetMultipartFileUploadInfosRequest({ unionId, uploadKey, partNumbers }),
        H(Storage.GetMultipartFileUploadInfosHeaders), runtime());
      return r.body;
    },
    /** option: {version, preferIntranet} or undefined. */
    async getFileDownloadInfo(spaceId, dentryId, unionId, option) {
      const req = new Storage.GetFileDownloadInfoRequest({ unionId });
      if (option !== undefined) req.option = new Storage.GetFileDownloadInfoRequestOption(option);
      const r = await client.getFileDownloadInfoWithOptions(spaceId, dentryId, req,
        H(Storage.GetFileDownloadInfoHeaders), runtime());
      return r.body;
    },

    // ---- versions and app properties (reference §4.7, §4.8).
    /** query: {maxResults, nextToken}. Returns {dentries, nextToken}. */
    async listDentryVersions(spaceId, dentryId, unionId, query = {}) {
      const r = await client.listDentryVersionsWithOptions(spaceId, dentryId,
        new Storage.ListDentryVersionsRequest({ unionId, ...query }),
        H(Storage.ListDentryVersionsHeaders), runtime());
      return r.body;
    },
    /** `version` as the path string the SDK takes. Returns {success}. */
    async revertDentryVersion(spaceId, dentryId, version, unionId) {
      const r = await client.revertDentryVersionWithOptions(spaceId, dentryId, String(version),
        new Storage.RevertDentryVersionRequest({ unionId }),
        H(Storage.RevertDentryVersionHeaders), runtime());
      return r.body;
    },
    /** appProperties: [{name, value, visibility}]. Returns {success}. */
    async updateDentryAppProperties(spaceId, dentryId, unionId, appProperties) {
      const req = new Storage.UpdateDentryAppPropertiesRequest({ unionId });
      if (appProperties !== undefined) {
        req.appProperties = appProperties.map(
          (p) => new Storage.UpdateDentryAppPropertiesRequestAppProperties(p));
      }
      const r = await client.updateDentryAppPropertiesWithOptions(spaceId, dentryId, req,
        H(Storage.UpdateDentryAppPropertiesHeaders), runtime());
      return r.body;
    },
    /** Returns {success}. */
    async deleteDentryAppProperties(spaceId, dentryId, unionId, propertyNames) {
      const r = await client.deleteDentryAppPropertiesWithOptions(spaceId, dentryId,
        new Storage.DeleteDentryAppPropertiesRequest({ unionId, propertyNames }),
        H(Storage.DeleteDentryAppPropertiesHeaders), runtime());
      return r.body;
    },
  };
}

function addFolderOption(option) {
  const o = { ...option };
  if (o.appProperties) {
    o.appProperties = o.appProperties.map(
      (p) => new Storage.AddFolderRequestOptionAppProperties(p));
  }
  return new Storage.AddFolderRequestOption(o);
}

/**
 * Awaits a call that must fail with a DingTalk error body and checks what the SDK makes of
 * it: err.statusCode, err.code and a non-empty lowercase `requestid`. Returns the error.
 */
async function expectError(promise, statusCode, code) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected HTTP ${statusCode} ${code}, but the call succeeded`);
  assert.equal(err.statusCode, statusCode,
    `status: want ${statusCode} ${code}, got ${err.statusCode} ${err.code} (${err.message})`);
  assert.equal(err.code, code, `code: want ${code}, got ${err.code} (${err.message})`);
  assert.ok(err.data && typeof err.data === 'object', 'err.data must be the error body');
  assert.equal(typeof err.data.requestid, 'string', 'error body needs a string "requestid"');
  assert.ok(err.data.requestid.length > 0, 'error body "requestid" must not be empty');
  assert.equal(typeof err.data.message, 'string', 'error body needs a string "message"');
  return err;
}

module.exports = {
  Storage,
  OAuth2,
  TIMEOUT_MS,
  sdkConfig,
  storageClient,
  oauthClient,
  runtime,
  getToken,
  dingtalk,
  expectError,
};
