'use strict';
// The deletion and recycle bin calls of reference §4.3 and §4.10 through the official SDK, with
// its own request and option models, bound to one token. Each returns the cast response body.

const { Storage, storageClient, runtime } = require('./dingtalk');

function recycle(endpoint, token) {
  const client = storageClient(endpoint);
  const H = (Cls) => new Cls({ xAcsDingtalkAccessToken: token });
  return {
    async deleteDentry(spaceId, dentryId, unionId, toRecycleBin) {
      const r = await client.deleteDentryWithOptions(spaceId, dentryId,
        new Storage.DeleteDentryRequest({ unionId, toRecycleBin }),
        H(Storage.DeleteDentryHeaders), runtime());
      return r.body;
    },
    async deleteDentries(spaceId, unionId, dentryIds, toRecycleBin) {
      const req = new Storage.DeleteDentriesRequest({ unionId, dentryIds });
      if (toRecycleBin !== undefined) {
        req.option = new Storage.DeleteDentriesRequestOption({ toRecycleBin });
      }
      const r = await client.deleteDentriesWithOptions(spaceId, req,
        H(Storage.DeleteDentriesHeaders), runtime());
      return r.body;
    },
    async getRecycleBin(unionId, recycleBinScope, scopeId) {
      const r = await client.getRecycleBinWithOptions(
        new Storage.GetRecycleBinRequest({ unionId, recycleBinScope, scopeId }),
        H(Storage.GetRecycleBinHeaders), runtime());
      return r.body.recycleBin;
    },
    async listRecycleItems(binId, unionId, query = {}) {
      const r = await client.listRecycleItemsWithOptions(binId,
        new Storage.ListRecycleItemsRequest({ unionId, ...query }),
        H(Storage.ListRecycleItemsHeaders), runtime());
      return r.body;
    },
    async getRecycleItem(binId, itemId, unionId) {
      const r = await client.getRecycleItemWithOptions(binId, itemId,
        new Storage.GetRecycleItemRequest({ unionId }),
        H(Storage.GetRecycleItemHeaders), runtime());
      return r.body.item;
    },
    async restoreRecycleItem(binId, itemId, unionId, conflictStrategy) {
      const req = new Storage.RestoreRecycleItemRequest({ unionId });
      if (conflictStrategy !== undefined) {
        req.option = new Storage.RestoreRecycleItemRequestOption({ conflictStrategy });
      }
      const r = await client.restoreRecycleItemWithOptions(binId, itemId, req,
        H(Storage.RestoreRecycleItemHeaders), runtime());
      return r.body;
    },
    async restoreRecycleItems(binId, unionId, recycleItemIds, conflictStrategy) {
      const req = new Storage.RestoreRecycleItemsRequest({ unionId, recycleItemIds });
      if (conflictStrategy !== undefined) {
        req.option = new Storage.RestoreRecycleItemsRequestOption({ conflictStrategy });
      }
      const r = await client.restoreRecycleItemsWithOptions(binId, req,
        H(Storage.RestoreRecycleItemsHeaders), runtime());
      return r.body;
    },
    async deleteRecycleItem(binId, itemId, unionId) {
      const r = await client.deleteRecycleItemWithOptions(binId, itemId,
        new Storage.DeleteRecycleItemRequest({ unionId }),
        H(Storage.DeleteRecycleItemHeaders), runtime());
      return r.body;
    },
    async deleteRecycleItems(binId, unionId, recycleItemIds) {
      const r = await client.deleteRecycleItemsWithOptions(binId,
        new Storage.DeleteRecycleItemsRequest({ unionId, recycleItemIds }),
        H(Storage.DeleteRecycleItemsHeaders), runtime());
      return r.body;
    },
    async clearRecycleBin(binId, unionId) {
      const r = await client.clearRecycleBinWithOptions(binId,
        new Storage.ClearRecycleBinRequest({ unionId }),
        H(Storage.ClearRecycleBinHeaders), runtime());
      return r.body;
    },
  };
}

module.exports = { recycle };
