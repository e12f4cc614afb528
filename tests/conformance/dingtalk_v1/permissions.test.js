'use strict';
// AddPermission, UpdatePermission, DeletePermission, ListPermissions and BatchQueryRoles
// (reference §4.9) through the official SDK against the real binary: a grant round trip and
// what it lets the grantee do (GetDentry 403 before the grant, 200 with it, 403 after the
// revoke), a temporary grant on an APP space listed with its duration, the exact JSON types of
// the replies, and each bad input the issue names answered 400 paramError with nothing
// applied (docs/permissions.md, docs/api/dingtalk-v1.md "Permissions").

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const { getToken, dingtalk, expectError } = require('../lib/dingtalk');
const { permissions } = require('../lib/permissions');
const { request } = require('../lib/http');
const { assertIsoTime } = require('../lib/checks');

describe('permissions', { timeout: 120000 }, () => {
  let srv;
  let token;
  let U; // owner of the USER space, creator of the APP space
  let dt;
  let pm;
  let userSpace;
  let appSpace;
  let folder; // in userSpace
  let child; // in folder
  let appFolder; // in appSpace
  const B = 'perm-grantee';
  const C = 'perm-bystander';
  const user = (id) => ({ type: 'USER', id });

  // The users of the org that the 30- and 31-member calls name (besides B).
  const crowd = Array.from({ length: 30 }, (_, i) => `perm-crowd-${i}`);

  before(async () => {
    srv = await startServer();
    U = srv.unionId;
    for (const id of [B, C, ...crowd]) {
      srv.admin(['user', 'create', '--corp-id', srv.corpId, '--union-id', id]);
    }
    token = (await getToken(srv.endpoint, srv.appKey, srv.appSecret)).accessToken;
    dt = dingtalk(srv.endpoint, token);
    pm = permissions(srv.endpoint, token);
    userSpace = await dt.addSpace(U, { scene: 'perm', sceneId: 'user' });
    appSpace = await dt.addSpace(U, { scene: 'perm', sceneId: 'app', ownerType: 'APP' });
    folder = await dt.addFolder(userSpace.id, '0', U, 'shared');
    child = await dt.addFolder(userSpace.id, folder.id, U, 'inside');
    appFolder = await dt.addFolder(appSpace.id, '0', U, 'app-shared');
  });
  after(async () => {
    await srv?.stop();
  });

  // The SDK answers its response model: {success: true} read through it.
  const succeeds = async (call) => assert.equal((await call).success, true);
  const list = async (spaceId, dentryId, option) =>
    (await pm.listPermissions(spaceId, dentryId, U, option)).permissions ?? [];

  it('round-trips a grant: add, list, update, batchQueryRoles, delete', async () => {
    await expectError(dt.getDentry(userSpace.id, folder.id, B), 403, 'permissionDenied');
    assert.deepEqual(await list(userSpace.id, folder.id), []);

    await succeeds(pm.addPermission(userSpace.id, folder.id, U, 'EDITOR', [user(B)]));
    const [p, ...rest] = await list(userSpace.id, folder.id);
    assert.equal(rest.length, 0);
    assert.equal(p.spaceId, userSpace.id);
    assert.equal(p.dentryId, folder.id);
    assert.deepEqual({ ...p.member }, { type: 'USER', id: B });
    assert.deepEqual({ ...p.role }, { id: 'EDITOR', name: 'Editor' });
    assert.equal(p.duration, undefined, 'a permanent grant has no duration');
    assertIsoTime(p.createTime, 'createTime');
    assertIsoTime(p.modifiedTime, 'modifiedTime');
    assert.equal(p.operatorId, U);

    // The grant reaches the folder and what is below it.
    assert.equal((await dt.getDentry(userSpace.id, folder.id, B)).id, folder.id);
    assert.equal((await dt.getDentry(userSpace.id, child.id, B)).id, child.id);
    await expectError(dt.getDentry(userSpace.id, folder.id, C), 403, 'permissionDenied');

    await succeeds(pm.updatePermission(userSpace.id, folder.id, U, 'READER', [user(B)]));
    const [updated] = await list(userSpace.id, folder.id);
    assert.deepEqual({ ...updated.role }, { id: 'READER', name: 'Reader' });
    assert.equal(updated.createTime, p.createTime);

    const roles = (await pm.batchQueryRoles(userSpace.id, B,
      [folder.id, child.id, '404040404040'])).roleMap;
    assert.deepEqual(Object.keys(roles).sort(), [folder.id, child.id, '404040404040'].sort());
    assert.deepEqual(roles[folder.id].map((r) => ({ ...r })), [{ id: 'READER', name: 'Reader' }]);
    assert.deepEqual(roles[child.id].map((r) => ({ ...r })), [{ id: 'READER', name: 'Reader' }],
      'inherited from the folder');
    assert.deepEqual(roles['404040404040'], []);
    const own = (await pm.batchQueryRoles(userSpace.id, U, [folder.id])).roleMap;
    assert.deepEqual(own[folder.id].map((r) => r.id), ['OWNER']);

    await succeeds(pm.deletePermission(userSpace.id, folder.id, U, 'READER', [user(B)]));
    assert.deepEqual(await list(userSpace.id, folder.id), []);
    await expectError(dt.getDentry(userSpace.id, folder.id, B), 403, 'permissionDenied');
    await expectError(dt.getDentry(userSpace.id, child.id, B), 403, 'permissionDenied');
    assert.deepEqual((await pm.batchQueryRoles(userSpace.id, B, [folder.id])).roleMap,
      { [folder.id]: [] });
    // Revoking again succeeds and changes nothing.
    await succeeds(pm.deletePermission(userSpace.id, folder.id, U, 'READER', [user(B)]));
  });

  it('answers the exact JSON types on the wire', async () => {
    await pm.addPermission(appSpace.id, appFolder.id, U, 'DOWNLOADER', [user(B)], 60);
    const call = (method, path) => request(srv, {
      method,
      path: `/v1.0/storage/spaces/${appSpace.id}${path}`,
      headers: { 'x-acs-dingtalk-access-token': token },
    });
    const listed = await call('POST', `/dentries/${appFolder.id}/permissions/query?unionId=${U}`);
    assert.equal(listed.status, 200, listed.text);
    assert.ok(!listed.text.includes('null'), 'absent fields are omitted, never null');
    assert.equal(listed.json.nextToken, undefined, 'no nextToken on the last page');
    const [p] = listed.json.permissions;
    for (const key of ['spaceId', 'dentryId', 'createTime', 'modifiedTime', 'operatorId']) {
      assert.equal(typeof p[key], 'string', key);
    }
    assert.deepEqual(p.member, { type: 'USER', id: B });
    assert.deepEqual(p.role, { id: 'DOWNLOADER', name: 'Downloader' });
    assert.equal(p.duration, 60, 'duration is a JSON number');
    const ids = encodeURIComponent(JSON.stringify([appFolder.id]));
    const roles = await call('POST',
      `/dentries/permissions/roles/batchQuery?unionId=${B}&dentryIdList=${ids}`);
    assert.equal(roles.status, 200, roles.text);
    assert.deepEqual(roles.json, {
      roleMap: { [appFolder.id]: [{ id: 'DOWNLOADER', name: 'Downloader' }] },
    });
    await pm.deletePermission(appSpace.id, appFolder.id, U, 'DOWNLOADER', [user(B)]);
  });

  it('lists a temporary grant on an APP space with its duration', async () => {
    await expectError(dt.getDentry(appSpace.id, appFolder.id, B), 403, 'permissionDenied');
    await succeeds(pm.addPermission(appSpace.id, appFolder.id, U, 'READER', [user(B)], 60));
    const [p, ...rest] = await list(appSpace.id, appFolder.id);
    assert.equal(rest.length, 0);
    assert.deepEqual({ ...p.member }, { type: 'USER', id: B });
    assert.equal(p.role.id, 'READER');
    assert.equal(p.duration, 60);
    assert.equal((await dt.getDentry(appSpace.id, appFolder.id, B)).id, appFolder.id);
    await succeeds(pm.updatePermission(appSpace.id, appFolder.id, U, 'EDITOR', [user(B)],
      3600));
    const [renewed] = await list(appSpace.id, appFolder.id);
    assert.equal(renewed.role.id, 'EDITOR');
    assert.equal(renewed.duration, 3600);
    await pm.deletePermission(appSpace.id, appFolder.id, U, 'EDITOR', [user(B)]);
    await expectError(dt.getDentry(appSpace.id, appFolder.id, B), 403, 'permissionDenied');
  });

  // docs/permissions.md, Grant rules: on an APP space "any user acting through the app that
  // owns the space" grants, without a role of its own (reference §4.1).
  it('lets a user of the owning app without a role grant on an APP space', async () => {
    await succeeds(pm.addPermission(appSpace.id, appFolder.id, C, 'READER', [user(B)], 60));
    await succeeds(pm.deletePermission(appSpace.id, appFolder.id, C, 'READER', [user(B)]));
  });

  it('pages ListPermissions and filters it by role', async () => {
    const ids = crowd.slice(0, 5);
    await pm.addPermission(userSpace.id, child.id, U, 'READER', ids.slice(0, 3).map(user));
    await pm.addPermission(userSpace.id, child.id, U, 'EDITOR', ids.slice(3).map(user));
    const seen = [];
    let nextToken;
    for (let page = 0; page < 10; ++page) {
      const r = await pm.listPermissions(userSpace.id, child.id, U,
        { maxResults: 2, ...(nextToken ? { nextToken } : {}) });
      assert.ok(r.permissions.length <= 2);
      seen.push(...r.permissions.map((p) => p.member.id));
      nextToken = r.nextToken;
      if (!nextToken) break;
    }
    assert.deepEqual(seen.sort(), [...ids].sort());
    const editors = await list(userSpace.id, child.id, { filterRoleIds: ['EDITOR'] });
    assert.deepEqual(editors.map((p) => p.member.id).sort(), ids.slice(3).sort());
    await pm.deletePermission(userSpace.id, child.id, U, 'READER', ids.slice(0, 3).map(user));
    await pm.deletePermission(userSpace.id, child.id, U, 'EDITOR', ids.slice(3).map(user));
    assert.deepEqual(await list(userSpace.id, child.id), []);
  });

  it('takes 30 members in one call', async () => {
    await succeeds(pm.addPermission(userSpace.id, child.id, U, 'READER', crowd.map(user)));
    assert.equal((await list(userSpace.id, child.id, { maxResults: 50 })).length, 30);
    await pm.deletePermission(userSpace.id, child.id, U, 'READER', crowd.map(user));
    assert.deepEqual(await list(userSpace.id, child.id), []);
  });

  describe('refuses bad input with 400 paramError and applies nothing', () => {
    const refused = async (call) => {
      const err = await expectError(call, 400, 'paramError');
      assert.ok(err.data.message.length > 0, 'the message says why');
      assert.deepEqual(await list(userSpace.id, folder.id), []);
      assert.deepEqual(await list(appSpace.id, appFolder.id), []);
      await expectError(dt.getDentry(userSpace.id, folder.id, B), 403, 'permissionDenied');
    };
    const addUser = (roleId, members, duration) =>
      pm.addPermission(userSpace.id, folder.id, U, roleId, members, duration);
    const addApp = (roleId, members, duration) =>
      pm.addPermission(appSpace.id, appFolder.id, U, roleId, members, duration);

    it('an unknown role, and OWNER', async () => {
      await refused(addUser('WRITER', [user(B)]));
      await refused(addUser('OWNER', [user(B)]));
      await refused(addApp('editor', [user(B)], 60));
      await refused(pm.updatePermission(userSpace.id, folder.id, U, 'WRITER', [user(B)]));
      await refused(pm.deletePermission(userSpace.id, folder.id, U, 'WRITER', [user(B)]));
    });

    it('31 members, and none', async () => {
      await refused(addUser('READER', [...crowd, B].map(user)));
      await refused(addApp('READER', [...crowd, B].map(user), 60));
      await refused(addUser('READER', []));
      await refused(addUser('READER', undefined));
    });

    it('a duration of 0 or 3601 seconds on an APP space', async () => {
      await refused(addApp('READER', [user(B)], 0));
      await refused(addApp('READER', [user(B)], 3601));
      await refused(addApp('READER', [user(B)], -1));
    });

    it('a permanent grant on an APP space', async () => {
      await refused(addApp('READER', [user(B)]));
    });

    it('a temporary grant on a USER space', async () => {
      await refused(addUser('READER', [user(B)], 60));
    });

    it('a DEPT member without corpId', async () => {
      await refused(addUser('READER', [{ type: 'DEPT', id: 'dept1' }]));
      // One bad member refuses the whole call.
      await refused(addUser('READER', [user(B), { type: 'DEPT', id: 'dept1' }]));
    });

    it('TAG, CONVERSATION and GG members', async () => {
      for (const type of ['TAG', 'CONVERSATION', 'GG']) {
        await refused(addUser('READER', [{ type, id: 'group1', corpId: srv.corpId }]));
      }
    });

    it('an unknown user', async () => {
      await refused(addUser('READER', [user('nobody-here')]));
    });

    it('a malformed dentryIdList', async () => {
      for (const text of ['["a",', 'a,b', '{"a":1}', `"${folder.id}"`, '[1,2]',
        `[["${folder.id}"]]`, '[]', '']) {
        await expectError(pm.batchQueryRolesText(userSpace.id, U, text), 400, 'paramError');
      }
      await expectError(pm.batchQueryRoles(userSpace.id, U, [1, 2]), 400, 'paramError');
      await expectError(pm.batchQueryRoles(userSpace.id, U, undefined), 400, 'paramError');
    });
  });

  describe('DEPT, ORG and ALL_USERS members', () => {
    const D = 'perm-sales';
    before(() => {
      srv.admin(['dept', 'create', '--corp-id', srv.corpId, '--dept-id', D]);
      srv.admin(['dept', 'add-member', '--corp-id', srv.corpId, '--dept-id', D, '--union-id', B]);
    });

    it('a DEPT grant reaches the department\'s users, and leaves with a member', async () => {
      const dept = { type: 'DEPT', id: D, corpId: srv.corpId };
      await succeeds(pm.addPermission(userSpace.id, folder.id, U, 'READER', [dept]));
      const [p, ...rest] = await list(userSpace.id, folder.id);
      assert.equal(rest.length, 0);
      assert.deepEqual({ ...p.member }, dept);
      assert.equal((await dt.getDentry(userSpace.id, child.id, B)).id, child.id);
      await expectError(dt.getDentry(userSpace.id, folder.id, C), 403, 'permissionDenied');
      srv.admin(['dept', 'remove-member', '--corp-id', srv.corpId, '--dept-id', D,
        '--union-id', B]);
      await expectError(dt.getDentry(userSpace.id, folder.id, B), 403, 'permissionDenied');
      srv.admin(['dept', 'add-member', '--corp-id', srv.corpId, '--dept-id', D, '--union-id', B]);
      assert.equal((await dt.getDentry(userSpace.id, folder.id, B)).id, folder.id);
      await succeeds(pm.deletePermission(userSpace.id, folder.id, U, 'READER', [dept]));
      await expectError(dt.getDentry(userSpace.id, folder.id, B), 403, 'permissionDenied');
    });

    it('refuses a DEPT of another org or an unknown one', async () => {
      for (const member of [{ type: 'DEPT', id: D, corpId: 'dingcorp-other' },
        { type: 'DEPT', id: 'perm-nowhere', corpId: srv.corpId }]) {
        await expectError(pm.addPermission(userSpace.id, folder.id, U, 'READER', [member]),
          400, 'paramError');
      }
      assert.deepEqual(await list(userSpace.id, folder.id), []);
    });

    it('ORG and ALL_USERS grants reach every user of the org', async () => {
      for (const member of [{ type: 'ORG', id: srv.corpId }, { type: 'ALL_USERS', id: 'all' }]) {
        await expectError(dt.getDentry(userSpace.id, folder.id, C), 403, 'permissionDenied');
        await succeeds(pm.addPermission(userSpace.id, folder.id, U, 'READER', [member]));
        const [p] = await list(userSpace.id, folder.id);
        assert.equal(p.member.type, member.type);
        // ALL_USERS names nobody in particular: its id is stored empty.
        assert.equal(p.member.id, member.type === 'ORG' ? srv.corpId : '');
        assert.equal((await dt.getDentry(userSpace.id, folder.id, C)).id, folder.id);
        await succeeds(pm.deletePermission(userSpace.id, folder.id, U, 'READER', [member]));
      }
      await expectError(dt.getDentry(userSpace.id, folder.id, C), 403, 'permissionDenied');
      await expectError(pm.addPermission(userSpace.id, folder.id, U, 'READER',
        [{ type: 'ORG', id: 'dingcorp-other' }]), 400, 'paramError');
    });
  });

  it('drops the grants of a user removed from the org', async () => {
    const gone = 'perm-leaver';
    srv.admin(['user', 'create', '--corp-id', srv.corpId, '--union-id', gone]);
    await succeeds(pm.addPermission(userSpace.id, folder.id, U, 'EDITOR', [user(gone)]));
    assert.equal((await dt.getDentry(userSpace.id, folder.id, gone)).id, folder.id);
    srv.admin(['user', 'remove', '--corp-id', srv.corpId, '--union-id', gone]);
    assert.deepEqual(await list(userSpace.id, folder.id), []);
    await expectError(dt.getDentry(userSpace.id, folder.id, gone), 403, 'permissionDenied');
  });

  it('refuses grants from a user without MANAGER on a USER space', async () => {
    await expectError(pm.addPermission(userSpace.id, folder.id, B, 'READER', [user(C)]),
      403, 'permissionDenied');
    // A MANAGER may grant, but no more than its own role.
    await pm.addPermission(userSpace.id, folder.id, U, 'MANAGER', [user(B)]);
    await succeeds(pm.addPermission(userSpace.id, child.id, B, 'EDITOR', [user(C)]));
    assert.equal((await dt.getDentry(userSpace.id, child.id, C)).id, child.id);
    await pm.deletePermission(userSpace.id, child.id, B, 'EDITOR', [user(C)]);
    await pm.deletePermission(userSpace.id, folder.id, U, 'MANAGER', [user(B)]);
    await expectError(dt.getDentry(userSpace.id, child.id, C), 403, 'permissionDenied');
  });

  it('answers 404 for a member without a grant, an unknown dentry or space', async () => {
    await expectError(pm.updatePermission(userSpace.id, folder.id, U, 'READER', [user(C)]),
      404, 'permissionNotExist');
    await expectError(pm.addPermission(userSpace.id, '404040404040', U, 'READER', [user(B)]),
      404, 'dentryNotExist');
    await expectError(pm.listPermissions(userSpace.id, '404040404040', U), 404,
      'dentryNotExist');
    await expectError(pm.addPermission('99999999', '0', U, 'READER', [user(B)]), 404,
      'spaceNotExist');
  });
});
