'use strict';
// Helpers around the official DingTalk Node SDK (@alicloud/dingtalk 2.2.27). The SDK is used
// exactly as an integrator would use it; only protocol, endpoint and the timeouts differ
// from the vendor samples.

const assert = require('node:assert/strict');
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
  };
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
