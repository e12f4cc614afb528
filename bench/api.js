#!/usr/bin/env node
// The small API calls bench/run.sh makes around its load runs: the setup before a run and the
// checks that a run measures what it claims to. Results go to stdout as `key=value` lines (or a
// single value); diagnostics go to stderr. Exits non-zero on the first failure, printing the
// status and the start of the body.
//
// Usage: node bench/api.js BASE_URL COMMAND ARGS...
//   token                                   prints an access token
//   space TOKEN SCENE_ID                    AddSpace (no quota); prints the space id
//   getdentries TOKEN SPACE_ID BODY_FILE [UNION_ID [denied]]
//                                           GetDentries with the {"dentryIds":[...]} in BODY_FILE,
//                                           as UNION_ID (default: the bootstrap user); checks one
//                                           successful item per id, or with `denied` one
//                                           `permissionDenied` item per id; prints
//                                           `items=N bytes=B`
//   grant TOKEN SPACE_ID DENTRY_ID ROLE UNION_ID...
//                                           AddPermission of ROLE on DENTRY_ID to the USER members
//                                           (at most 30), as the bootstrap user; then lists the
//                                           dentry's grants and prints `grants=N`
//   uploadinfo TOKEN SPACE_ID               GetFileUploadInfo (HEADER_SIGNATURE, single part);
//                                           prints `key=K`, `url=U` and one `header=Name: value`
//                                           line per signed header
//   commit TOKEN SPACE_ID UPLOAD_KEY NAME   CommitFile into the root folder; prints the size
//   listtokens TOKEN SPACE_ID COUNT STRIDE OUT
//                                           walks the root folder 50 dentries a page and writes
//                                           the nextToken of every STRIDE-th page to OUT until it
//                                           has COUNT; checks every page is full and no id repeats;
//                                           prints `pages=P page_bytes=B`
//   tree TOKEN SPACE_ID ROOT_ID DEEP_ID ROUNDS OTHER_SPACE
//                                           renames folder ROOT_ID and moves it between two
//                                           folders ROUNDS times each; per operation, the time
//                                           until it is answered and until GetDentry of DEEP_ID
//                                           (a descendant) shows the new path; then moves it to
//                                           OTHER_SPACE and back once. Prints the medians (ms):
//                                           `rename_ms= rename_seen_ms= move_ms= move_seen_ms=
//                                           cross_ms=`
// Env: SPACESTORE_APP_KEY, SPACESTORE_APP_SECRET, SPACESTORE_UNION_ID (the bootstrap credentials).
'use strict';

const fs = require('node:fs');

function Die(message) {
  process.stderr.write(`api: ${message}\n`);
  process.exit(1);
}

function RequireEnv(name) {
  const value = process.env[name];
  if (!value) Die(`${name} is not set`);
  return value;
}

async function Call(method, url, token, body) {
  const init = { method, headers: {} };
  if (token) init.headers['x-acs-dingtalk-access-token'] = token;
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const res = await fetch(url, init);
  const text = await res.text();
  if (res.status < 200 || res.status > 299) {
    Die(`${method} ${url} -> HTTP ${res.status}: ${text.slice(0, 300)}`);
  }
  try {
    return { json: JSON.parse(text), bytes: Buffer.byteLength(text) };
  } catch (e) {
    return Die(`${method} ${url} -> body is not JSON: ${text.slice(0, 300)}`);
  }
}

function Usage() {
  Die('usage: node bench/api.js BASE_URL token | space TOKEN SCENE_ID | ' +
      'getdentries TOKEN SPACE_ID BODY_FILE [UNION_ID [denied]] | ' +
      'grant TOKEN SPACE_ID DENTRY_ID ROLE UNION_ID... | uploadinfo TOKEN SPACE_ID | ' +
      'commit TOKEN SPACE_ID UPLOAD_KEY NAME | listtokens TOKEN SPACE_ID COUNT STRIDE OUT | ' +
      'tree TOKEN SPACE_ID ROOT_ID DEEP_ID ROUNDS OTHER_SPACE');
}

async function Main() {
  const [base, command, ...args] = process.argv.slice(2);
  if (!base || !command) Usage();
  const union = encodeURIComponent(RequireEnv('SPACESTORE_UNION_ID'));
  const storage = `${base}/v1.0/storage`;

  switch (command) {
    case 'token': {
      const { json } = await Call('POST', `${base}/v1.0/oauth2/accessToken`, null, {
        appKey: RequireEnv('SPACESTORE_APP_KEY'),
        appSecret: RequireEnv('SPACESTORE_APP_SECRET'),
      });
      if (typeof json.accessToken !== 'string' || !json.accessToken) Die('no accessToken');
      console.log(json.accessToken);
      break;
    }
    case 'space': {
      const [token, sceneId] = args;
      if (!sceneId) Usage();
      const { json } = await Call('POST', `${storage}/spaces?unionId=${union}`, token, {
        option: { name: `bench ${sceneId}`, scene: 'bench', sceneId },
      });
      const id = json.space && json.space.id;
      if (typeof id !== 'string' || !id) Die('AddSpace: no space.id in the reply');
      console.log(id);
      break;
    }
    case 'getdentries': {
      const [token, space, bodyFile, asUser, expect] = args;
      if (!bodyFile || (expect !== undefined && expect !== 'denied')) Usage();
      const who = asUser ? encodeURIComponent(asUser) : union;
      const body = fs.readFileSync(bodyFile, 'utf8');
      const ids = JSON.parse(body).dentryIds;
      const { json, bytes } = await Call(
        'POST', `${storage}/spaces/${space}/dentries/query?unionId=${who}`, token, body);
      const items = json.resultItems;
      if (!Array.isArray(items) || items.length !== ids.length) {
        Die(`GetDentries: expected ${ids.length} resultItems, got ${JSON.stringify(json).slice(0, 300)}`);
      }
      items.forEach((item, i) => {
        // A refused item must say so, so that a run never measures errors it took for answers.
        const ok = expect === 'denied'
          ? item.success === false && item.errorCode === 'permissionDenied' && !item.dentry
          : item.success === true && item.dentry && ids.includes(item.dentry.id);
        if (!ok) {
          Die(`GetDentries: item ${i} is not ${expect === 'denied' ? 'permissionDenied' : 'a success'}: ${
            JSON.stringify(item).slice(0, 300)}`);
        }
      });
      console.log(`items=${items.length} bytes=${bytes}`);
      break;
    }
    case 'grant': {
      const [token, space, dentry, roleId, ...users] = args;
      if (!users.length) Usage();
      const url = `${storage}/spaces/${space}/dentries/${dentry}/permissions`;
      await Call('POST', `${url}?unionId=${union}`, token,
        { roleId, members: users.map((id) => ({ type: 'USER', id })) });
      const { json } = await Call('POST', `${url}/query?unionId=${union}`, token,
        { option: { maxResults: 500 } });
      if (!Array.isArray(json.permissions) || json.nextToken) {
        Die(`ListPermissions: unexpected reply ${JSON.stringify(json).slice(0, 300)}`);
      }
      console.log(`grants=${json.permissions.length}`);
      break;
    }
    case 'uploadinfo': {
      const [token, space] = args;
      if (!space) Usage();
      const { json } = await Call(
        'POST', `${storage}/spaces/${space}/files/uploadInfos/query?unionId=${union}`, token,
        { protocol: 'HEADER_SIGNATURE', multipart: false });
      const info = json.headerSignatureInfo;
      const url = info && Array.isArray(info.resourceUrls) && info.resourceUrls[0];
      if (typeof json.uploadKey !== 'string' || !url || !info.headers) {
        Die(`GetFileUploadInfo: unexpected reply ${JSON.stringify(json).slice(0, 300)}`);
      }
      const lines = [`key=${json.uploadKey}`, `url=${url}`];
      for (const [name, value] of Object.entries(info.headers)) {
        if (/[\r\n]/.test(name + value)) Die(`header ${name} has a line break`);
        lines.push(`header=${name}: ${value}`);
      }
      console.log(lines.join('\n'));
      break;
    }
    case 'commit': {
      const [token, space, uploadKey, name] = args;
      if (!name) Usage();
      const { json } = await Call(
        'POST', `${storage}/spaces/${space}/files/commit?unionId=${union}`, token,
        { uploadKey, name, parentId: '0' });
      if (!json.dentry || typeof json.dentry.size !== 'number') {
        Die(`CommitFile: unexpected reply ${JSON.stringify(json).slice(0, 300)}`);
      }
      console.log(json.dentry.size);
      break;
    }
    case 'tree': {
      const [token, space, root, deep, roundsText, otherSpace] = args;
      if (!otherSpace) Usage();
      const rounds = Number(roundsText);
      const dentries = `${storage}/spaces/${space}/dentries`;
      const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
      const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      // Time until the operation is answered, then until the deep descendant's path has
      // `prefix` (polled with GetDentry, which the server answers from its cache when it can).
      async function Timed(op, prefix) {
        const t0 = process.hrtime.bigint();
        await op();
        const answered = ms(t0);
        for (;;) {
          const { json } = await Call('POST', `${dentries}/${deep}/query?unionId=${union}`, token);
          if (json.dentry.path.startsWith(prefix)) return [answered, ms(t0)];
          if (ms(t0) > 60000) Die(`the deep path never showed ${prefix}: ${json.dentry.path}`);
        }
      }
      const folder = async (name) => (await Call('POST', `${dentries}/0/folders?unionId=${union}`,
        token, { name })).json.dentry.id;
      const dest = [await folder(`dest-a-${root}`), await folder(`dest-b-${root}`)];
      const renamed = [[], []];
      const moved = [[], []];
      let name = '';
      let parentPath = '';
      for (let i = 0; i < rounds; ++i) {
        name = `renamed-${root}-${i}`;
        const [a, seen] = await Timed(() => Call('POST',
          `${dentries}/${root}/rename?unionId=${union}`, token, { newName: name }),
        `${parentPath}/${name}/`);
        renamed[0].push(a);
        renamed[1].push(seen);
      }
      for (let i = 0; i < rounds; ++i) {
        const target = dest[i % 2];
        parentPath = `/dest-${i % 2 ? 'b' : 'a'}-${root}`;
        const [a, seen] = await Timed(() => Call('POST',
          `${dentries}/${root}/move?unionId=${union}`, token,
          { targetSpaceId: space, targetFolderId: target }), `${parentPath}/${name}/`);
        moved[0].push(a);
        moved[1].push(seen);
      }
      // Across spaces (one row per dentry of the subtree; a task above 1,000): there and back,
      // each until done (answered, or its task finished), reported only.
      async function Done(reply) {
        if (!reply.json.async) return;
        for (;;) {
          const { json } = await Call('GET', `${storage}/tasks/${reply.json.taskId}?unionId=${union}`,
            token);
          if (json.task.status === 'SUCCESS') return;
          if (json.task.status === 'FAIL') Die(`move task failed: ${json.task.failMessage}`);
          await new Promise((r) => setTimeout(r, 5));
        }
      }
      let t0 = process.hrtime.bigint();
      await Done(await Call('POST', `${dentries}/${root}/move?unionId=${union}`, token,
        { targetSpaceId: otherSpace, targetFolderId: '0' }));
      const cross = ms(t0);
      t0 = process.hrtime.bigint();
      await Done(await Call('POST',
        `${storage}/spaces/${otherSpace}/dentries/${root}/move?unionId=${union}`,
        token, { targetSpaceId: space, targetFolderId: '0' }));
      const back = ms(t0);
      console.log(`rename_ms=${median(renamed[0]).toFixed(2)} ` +
        `rename_seen_ms=${median(renamed[1]).toFixed(2)} move_ms=${median(moved[0]).toFixed(2)} ` +
        `move_seen_ms=${median(moved[1]).toFixed(2)} cross_ms=${((cross + back) / 2).toFixed(2)}`);
      break;
    }
    case 'listtokens': {
      const [token, space, countArg, strideArg, out] = args;
      if (!out) Usage();
      const count = Number.parseInt(countArg, 10);
      const stride = Number.parseInt(strideArg, 10);
      if (!(count > 0) || !(stride > 0)) Die('COUNT and STRIDE must be positive integers');
      const first = `${storage}/spaces/${space}/dentries?unionId=${union}&parentId=0&maxResults=50`;
      const tokens = [];
      const seen = new Set();
      let next = '';
      let pages = 0;
      let pageBytes = 0;
      while (tokens.length < count) {
        const url = next ? `${first}&nextToken=${encodeURIComponent(next)}` : first;
        const { json, bytes } = await Call('GET', url, token);
        pages++;
        if (pages === 1) pageBytes = bytes;
        const dentries = json.dentries;
        if (!Array.isArray(dentries) || dentries.length !== 50) {
          Die(`ListDentries page ${pages}: expected 50 dentries, got ${
            Array.isArray(dentries) ? dentries.length : typeof dentries}`);
        }
        for (const d of dentries) {
          if (seen.has(d.id)) Die(`ListDentries page ${pages}: dentry ${d.id} listed twice`);
          seen.add(d.id);
        }
        next = json.nextToken;
        if (typeof next !== 'string' || !next) Die(`ListDentries page ${pages}: no nextToken`);
        if (pages % stride === 0) tokens.push(next);
      }
      fs.writeFileSync(out, tokens.join('\n') + '\n');
      console.log(`pages=${pages} page_bytes=${pageBytes}`);
      break;
    }
    default:
      Usage();
  }
}

Main().catch((e) => Die(e && e.stack ? e.stack : String(e)));
