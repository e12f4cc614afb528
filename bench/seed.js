#!/usr/bin/env node
// Seeds a running spacestore for the benchmarks: gets an access token, creates COUNT spaces
// (one per sceneId, the way the DingTalk API makes a new space for each distinct sceneId) and
// writes their ids, one a line, to OUT. Prints `token=...` and `getspace_bytes=...` on stdout
// for bench/run.sh; everything else goes to stderr. Exits non-zero on the first failure.
//
// Usage: node bench/seed.js BASE_URL OUT [COUNT] [CONCURRENCY]
// Env: SPACESTORE_APP_KEY, SPACESTORE_APP_SECRET, SPACESTORE_UNION_ID (the bootstrap credentials).
//
// Node's global fetch (undici) keeps connections alive, so CONCURRENCY is also the number of
// sockets. The concurrency is modest on purpose: seeding is setup, not the measurement.
'use strict';

const fs = require('node:fs');

function Die(message) {
  process.stderr.write(`seed: ${message}\n`);
  process.exit(1);
}

function RequireEnv(name) {
  const value = process.env[name];
  if (!value) Die(`${name} is not set`);
  return value;
}

async function Call(method, url, headers, body) {
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(url, init);
  const text = await res.text();
  if (res.status < 200 || res.status > 299) {
    Die(`${method} ${url} -> HTTP ${res.status}: ${text.slice(0, 300)}`);
  }
  let json;
  try {
    json = JSON.parse(text);
  } catch (e) {
    Die(`${method} ${url} -> body is not JSON: ${text.slice(0, 300)}`);
  }
  return { json, bytes: Buffer.byteLength(text) };
}

async function Main() {
  const [base, out, countArg = '1000', concurrencyArg = '8'] = process.argv.slice(2);
  if (!base || !out) Die('usage: node bench/seed.js BASE_URL OUT [COUNT] [CONCURRENCY]');
  const count = Number.parseInt(countArg, 10);
  const concurrency = Number.parseInt(concurrencyArg, 10);
  if (!(count > 0) || !(concurrency > 0)) Die('COUNT and CONCURRENCY must be positive integers');
  const appKey = RequireEnv('SPACESTORE_APP_KEY');
  const appSecret = RequireEnv('SPACESTORE_APP_SECRET');
  const unionId = RequireEnv('SPACESTORE_UNION_ID');

  const { json: tokenJson } = await Call('POST', `${base}/v1.0/oauth2/accessToken`, {}, {
    appKey,
    appSecret,
  });
  const token = tokenJson.accessToken;
  if (typeof token !== 'string' || token === '') Die('accessToken missing from the token reply');
  const auth = { 'x-acs-dingtalk-access-token': token };
  const spacesUrl = `${base}/v1.0/storage/spaces?unionId=${encodeURIComponent(unionId)}`;

  const ids = new Array(count);
  let next = 0;
  const started = Date.now();
  async function Worker() {
    while (next < count) {
      const n = next++;
      const { json } = await Call('POST', spacesUrl, auth, {
        option: { name: `bench ${n}`, scene: 'bench', sceneId: String(n), quota: 1048576 },
      });
      const id = json && json.space && json.space.id;
      if (typeof id !== 'string' || id === '') Die(`AddSpace ${n}: no space.id in the reply`);
      ids[n] = id;
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, Worker));
  if (new Set(ids).size !== count) Die(`expected ${count} distinct space ids, got ${new Set(ids).size}`);
  fs.writeFileSync(out, ids.join('\n') + '\n');
  const seconds = (Date.now() - started) / 1000;
  process.stderr.write(`seed: created ${count} spaces in ${seconds.toFixed(1)} s\n`);

  // One GetSpace as a probe: it must succeed before wrk hammers it, and its size is reported
  // next to the nginx body size so the comparison is honest about bytes per response.
  const { bytes } = await Call(
    'GET', `${base}/v1.0/storage/spaces/${ids[0]}?unionId=${encodeURIComponent(unionId)}`, auth);
  process.stdout.write(`token=${token}\ngetspace_bytes=${bytes}\n`);
}

Main().catch((e) => Die(e && e.stack ? e.stack : String(e)));
