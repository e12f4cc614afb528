'use strict';
// The console's client of spacestore: the console's own JSON surface (/console/api/, login and
// session) and the public DingTalk storage API, called exactly as any integration calls it
// (x-acs-dingtalk-access-token and unionId), so every action passes the same checks.

/** An error answered by the server: its DingTalk code and message, and the HTTP status. */
class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code || '';
  }
}

/** Reads a fetch Response: its JSON on 2xx, an ApiError otherwise. */
async function readReply(response) {
  const text = await response.text();
  let body = {};
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = { message: text.trim() };
    }
  }
  if (!response.ok) {
    const code = body.code || body.Code || '';
    const message = body.message || body.Message || body.msg || `HTTP ${response.status}`;
    throw new ApiError(response.status, code, message);
  }
  return body;
}

/** POSTs, PUTs or GETs the console's own surface (the session cookie goes along). */
async function consoleCall(method, name, body) {
  const init = { method, credentials: 'same-origin', headers: {} };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return readReply(await fetch(`api/${name}`, init));
}

/**
 * The path and query of a signed URL. Signed URLs carry the server's public base URL, which
 * may name another host than the one the page came from (a proxy, --public-url): the page
 * always sends them to its own origin, where the same server answers.
 */
function sameOriginPath(url) {
  const parsed = new URL(url, window.location.href);
  return parsed.pathname + parsed.search;
}

/** The DingTalk storage API for one session: its token and acting user. */
class Drive {
  constructor(session) {
    this.token = session.accessToken;
    this.unionId = session.unionId;
    this.corpId = session.corpId;
  }

  /** Calls /v1.0/storage{path} with `query` (unionId added) and an optional JSON body. */
  async call(method, path, { query = {}, body } = {}) {
    const params = new URLSearchParams({ ...query, unionId: this.unionId });
    const init = { method, headers: { 'x-acs-dingtalk-access-token': this.token } };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return readReply(await fetch(`/v1.0/storage${path}?${params}`, init));
  }

  /** The spaces the acting user owns, through KooDrive's owner listing (DingTalk has none). */
  async ownSpaceIds() {
    const response = await fetch(`/koodrive/ose/v2/space/${encodeURIComponent(this.unionId)}`, {
      headers: { authorization: `Bearer ${this.token}`, 'x-user-id': this.unionId },
    });
    const body = await readReply(response);
    return (body.data || []).map((info) => info.containerId);
  }

  getOrg() { return this.call('GET', `/orgs/${encodeURIComponent(this.corpId)}`); }
  getSpace(spaceId) { return this.call('GET', `/spaces/${spaceId}`); }
  addSpace(option) { return this.call('POST', '/spaces', { body: { option } }); }

  listDentries(spaceId, parentId, nextToken, maxResults = 50) {
    const query = { parentId, maxResults: String(maxResults), order: 'ASC', orderBy: 'NAME' };
    if (nextToken) query.nextToken = nextToken;
    return this.call('GET', `/spaces/${spaceId}/dentries`, { query });
  }
  addFolder(spaceId, parentId, name) {
    return this.call('POST', `/spaces/${spaceId}/dentries/${parentId}/folders`,
      { body: { name, option: { conflictStrategy: 'RETURN_ERROR_IF_EXISTS' } } });
  }
  rename(spaceId, dentryId, newName) {
    return this.call('POST', `/spaces/${spaceId}/dentries/${dentryId}/rename`, { body: { newName } });
  }
  move(spaceId, dentryId, targetFolderId) {
    return this.call('POST', `/spaces/${spaceId}/dentries/${dentryId}/move`, {
      body: { targetSpaceId: spaceId, targetFolderId, option: { conflictStrategy: 'AUTO_RENAME' } },
    });
  }
  remove(spaceId, dentryId) {
    return this.call('DELETE', `/spaces/${spaceId}/dentries/${dentryId}`,
      { query: { toRecycleBin: 'true' } });
  }
  downloadInfo(spaceId, dentryId, version) {
    const option = version === undefined ? {} : { version };
    return this.call('POST', `/spaces/${spaceId}/dentries/${dentryId}/downloadInfos/query`,
      { body: { option } });
  }
  versions(spaceId, dentryId) {
    return this.call('GET', `/spaces/${spaceId}/dentries/${dentryId}/versions`,
      { query: { maxResults: '100' } });
  }
  revert(spaceId, dentryId, version) {
    return this.call('POST', `/spaces/${spaceId}/dentries/${dentryId}/versions/${version}/revert`);
  }
  recycleBin(spaceId) {
    return this.call('GET', '/recycleBins', { query: { recycleBinScope: 'SPACE', scopeId: spaceId } });
  }
  recycleItems(binId, nextToken) {
    const query = { maxResults: '50' };
    if (nextToken) query.nextToken = nextToken;
    return this.call('GET', `/recycleBins/${binId}/recycleItems`, { query });
  }
  restore(binId, itemId) {
    return this.call('POST', `/recycleBins/${binId}/recycleItems/${itemId}/restore`,
      { body: { option: { conflictStrategy: 'AUTO_RENAME' } } });
  }

  /** The content of a file (one version, or the latest) as a Blob, by its signed URL. */
  async fetchContent(spaceId, dentryId, version) {
    const info = await this.downloadInfo(spaceId, dentryId, version);
    const sig = info.headerSignatureInfo;
    const response = await fetch(sameOriginPath(sig.resourceUrls[0]), { headers: sig.headers });
    if (!response.ok) await readReply(response);
    return response.blob();
  }
}

window.SpacestoreApi = { ApiError, Drive, consoleCall, readReply, sameOriginPath };
