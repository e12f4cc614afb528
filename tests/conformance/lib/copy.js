'use strict';
// SDK helpers for copies and tasks (CopyDentry, CopyDentries, GetTask), shared by
// dingtalk_v1/copy.test.js and dingtalk_v1/tasks.test.js. Each call goes through the official
// SDK's own request, option and header models and returns the cast response body.

const { Storage, storageClient, runtime } = require('./dingtalk');

function copyClient(endpoint, token) {
  const client = storageClient(endpoint);
  const H = (Cls) => new Cls({ xAcsDingtalkAccessToken: token });
  return {
    /** target: {targetSpaceId, targetFolderId}; conflictStrategy optional. */
    async copyDentry(spaceId, dentryId, unionId, target, conflictStrategy) {
      const req = new Storage.CopyDentryRequest({ unionId, ...target });
      if (conflictStrategy !== undefined) {
        req.option = new Storage.CopyDentryRequestOption({ conflictStrategy });
      }
      const r = await client.copyDentryWithOptions(spaceId, dentryId, req,
        H(Storage.CopyDentryHeaders), runtime());
      return r.body;
    },
    async copyDentries(spaceId, unionId, dentryIds, target, conflictStrategy) {
      const req = new Storage.CopyDentriesRequest({ unionId, dentryIds, ...target });
      if (conflictStrategy !== undefined) {
        req.option = new Storage.CopyDentriesRequestOption({ conflictStrategy });
      }
      const r = await client.copyDentriesWithOptions(spaceId, req,
        H(Storage.CopyDentriesHeaders), runtime());
      return r.body;
    },
    async getTask(taskId, unionId) {
      const r = await client.getTaskWithOptions(taskId, new Storage.GetTaskRequest({ unionId }),
        H(Storage.GetTaskHeaders), runtime());
      return r.body.task;
    },
    /** Polls GetTask every 50 ms until SUCCESS or FAIL (or `ms` pass); returns the task. */
    async waitTask(taskId, unionId, ms = 60000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const task = await this.getTask(taskId, unionId);
        if (task.status === 'SUCCESS' || task.status === 'FAIL') return task;
        if (Date.now() > deadline) throw new Error(`task ${taskId} still ${task.status}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

/**
 * Creates folder `name` under `parentId` holding `count` empty folders (count + 1 dentries),
 * eight AddFolder calls at a time. Returns the folder.
 */
async function seedFolder(dt, spaceId, parentId, unionId, name, count) {
  const root = await dt.addFolder(spaceId, parentId, unionId, name);
  for (let i = 0; i < count; i += 8) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + 8); ++j) {
      batch.push(dt.addFolder(spaceId, root.id, unionId, `f${j}`));
    }
    await Promise.all(batch);
  }
  return root;
}

module.exports = { copyClient, seedFolder };
