'use strict';
// The permission calls of reference §4.9 through the official SDK, with its own request,
// member and option models, bound to one token. Each returns the cast response body.

const { Storage, storageClient, runtime } = require('./dingtalk');

function permissions(endpoint, token) {
  const client = storageClient(endpoint);
  const H = (Cls) => new Cls({ xAcsDingtalkAccessToken: token });
  // members: [{type, id, corpId}] as plain objects, wrapped in the call's member model.
  const wrap = (Cls, members) => (members === undefined ? undefined
    : members.map((m) => new Cls(m)));

  return {
    /** Returns {success}. `duration` (seconds) makes a temporary grant. */
    async addPermission(spaceId, dentryId, unionId, roleId, members, duration) {
      const req = new Storage.AddPermissionRequest({
        unionId, roleId, members: wrap(Storage.AddPermissionRequestMembers, members),
      });
      if (duration !== undefined) {
        req.option = new Storage.AddPermissionRequestOption({ duration });
      }
      const r = await client.addPermissionWithOptions(spaceId, dentryId, req,
        H(Storage.AddPermissionHeaders), runtime());
      return r.body;
    },
    /** Returns {success}. */
    async updatePermission(spaceId, dentryId, unionId, roleId, members, duration) {
      const req = new Storage.UpdatePermissionRequest({
        unionId, roleId, members: wrap(Storage.UpdatePermissionRequestMembers, members),
      });
      if (duration !== undefined) {
        req.option = new Storage.UpdatePermissionRequestOption({ duration });
      }
      const r = await client.updatePermissionWithOptions(spaceId, dentryId, req,
        H(Storage.UpdatePermissionHeaders), runtime());
      return r.body;
    },
    /** Returns {success}. */
    async deletePermission(spaceId, dentryId, unionId, roleId, members) {
      const req = new Storage.DeletePermissionRequest({
        unionId, roleId, members: wrap(Storage.DeletePermissionRequestMembers, members),
      });
      const r = await client.deletePermissionWithOptions(spaceId, dentryId, req,
        H(Storage.DeletePermissionHeaders), runtime());
      return r.body;
    },
    /** option: {filterRoleIds, maxResults, nextToken}. Returns {permissions, nextToken}. */
    async listPermissions(spaceId, dentryId, unionId, option) {
      const req = new Storage.ListPermissionsRequest({ unionId });
      if (option !== undefined) req.option = new Storage.ListPermissionsRequestOption(option);
      const r = await client.listPermissionsWithOptions(spaceId, dentryId, req,
        H(Storage.ListPermissionsHeaders), runtime());
      return r.body;
    },
    /** dentryIdList: an array, which the SDK sends JSON-encoded in the query. Returns {roleMap}. */
    async batchQueryRoles(spaceId, unionId, dentryIdList) {
      const r = await client.batchQueryRolesWithOptions(spaceId,
        new Storage.BatchQueryRolesRequest({ unionId, dentryIdList }),
        H(Storage.BatchQueryRolesHeaders), runtime());
      return r.body;
    },
    /**
     * BatchQueryRoles with `text` sent as the dentryIdList query value exactly (malformed JSON
     * included). The SDK copies a request's `dentryIdListShrink` into the query as it is, the
     * way it sends the list it encoded itself.
     */
    async batchQueryRolesText(spaceId, unionId, text) {
      const req = new Storage.BatchQueryRolesRequest({ unionId });
      req.dentryIdListShrink = text;
      const r = await client.batchQueryRolesWithOptions(spaceId, req,
        H(Storage.BatchQueryRolesHeaders), runtime());
      return r.body;
    },
  };
}

module.exports = { permissions };
