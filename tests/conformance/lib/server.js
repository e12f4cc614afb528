'use strict';
// Harness that runs the real spacestore binary as a black box.
//
// startServer() creates a temporary data directory, spawns
//   spacestore serve --listen 127.0.0.1:0 --data-dir DIR [extra args]
// waits for the line "spacestore listening on http://HOST:PORT" on stdout and hands back
// the address, an admin() helper that runs `spacestore admin --data-dir DIR ...` and parses
// its one-object JSON output, and stop(), which sends SIGTERM, requires exit code 0 and
// removes the data directory. Everything the server printed is kept for failure messages.
//
// Environment:
//   SPACESTORE_BIN             path of the binary (default <repo>/build/dev/bin/spacestore)
//   SPACESTORE_KEEP_DATA=1     keep the temporary data directories (for debugging)
//   SPACESTORE_ECHO_OUTPUT=1   echo the server's stdout/stderr to this process's stderr
//   SPACESTORE_NODES=N         N >= 2: start N nodes on the data directory together, behind a
//                              forwarder sending each connection to a random node (lib/forwarder.js)
//   SPACESTORE_TEST_POSTGRES, SPACESTORE_TEST_S3
//                              set by lib/backends.js: the server's store is then a fresh database
//                              on that PostgreSQL server and a fresh bucket on that s3rver, and
//                              each node has its own data directory (its local thumbnail cache)

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { startForwarder } = require('./forwarder');
const { freshStores } = require('./backends');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const DEFAULT_BIN = path.join(REPO_ROOT, 'build', 'dev', 'bin', 'spacestore');

// The identity every test file can rely on: the bootstrap org, app and user that a fresh
// data directory gets from these environment variables.
const DEFAULTS = Object.freeze({
  corpId: 'dingcorp1',
  appKey: 'conformance-key',
  appSecret: 'conformance-secret',
  unionId: 'union1',
});

const READY_TIMEOUT_MS = 20000;
const STOP_TIMEOUT_MS = 10000;
const ADMIN_TIMEOUT_MS = 15000;
const MAX_LOG_CHARS = 200000;

// Children still running when this process exits are killed, so a crashed test file never
// leaves a server behind.
const live = new Set();
process.on('exit', () => {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

function binaryPath() {
  return process.env.SPACESTORE_BIN || DEFAULT_BIN;
}

// The inherited environment minus any SPACESTORE_* setting of the developer's shell, so a
// stray SPACESTORE_TOKEN_TTL cannot change what a test sees.
function cleanEnv() {
  const out = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('SPACESTORE_') && k !== 'SPACESTORE_BIN') continue;
    out[k] = v;
  }
  return out;
}

function tail(text, max = 4000) {
  return text.length > max ? '…' + text.slice(-max) : text;
}

// SPACESTORE_NODES=N (N >= 2) runs every test file against N nodes on one data dir behind a
// random forwarder (lib/forwarder.js); unset or 1: one server.
function clusterSize() {
  const n = Number(process.env.SPACESTORE_NODES || '1');
  return Number.isInteger(n) && n > 1 ? n : 1;
}

/**
 * Spawns one `spacestore serve` and waits until it listens.
 * @returns {Promise<{address:{host:string,port:number}, stdout:()=>string, stderr:()=>string,
 *   describe:()=>string, stop:()=>Promise<{code:number|null, signal:string|null}|null>,
 *   kill:()=>Promise<void>}>}  stop() resolves null when the process outlived the SIGTERM wait
 */
async function launch(bin, serveArgs, childEnv) {
  const child = spawn(bin, serveArgs, { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);

  let stdout = '';
  let stderr = '';
  const echo = process.env.SPACESTORE_ECHO_OUTPUT === '1';
  const append = (which, chunk) => {
    const s = chunk.toString('utf8');
    if (echo) process.stderr.write(`[spacestore ${which}] ${s}`);
    if (which === 'stdout') stdout = (stdout + s).slice(-MAX_LOG_CHARS);
    else stderr = (stderr + s).slice(-MAX_LOG_CHARS);
  };
  child.stderr.on('data', (c) => append('stderr', c));

  // A child that could not be spawned (the binary being relinked, say) gets 'error' and never
  // 'exit': count that as its end too, or kill() below would wait for ever.
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
    child.on('error', () => {
      if (child.pid !== undefined) return;
      live.delete(child);
      resolve({ code: null, signal: null });
    });
  });
  let exitInfo = null;
  exited.then((info) => {
    exitInfo = info;
  });

  const describe = () =>
    `command: ${bin} ${serveArgs.join(' ')}\n--- stdout ---\n${tail(stdout)}\n` +
    `--- stderr ---\n${tail(stderr)}`;

  async function kill() {
    if (!exitInfo) {
      child.kill('SIGKILL');
      await exited;
    }
  }

  const address = await new Promise((resolve, reject) => {
    let lineBuf = '';
    const timer = setTimeout(() => {
      reject(new Error(`server did not report readiness within ${READY_TIMEOUT_MS} ms\n` +
        describe()));
    }, READY_TIMEOUT_MS);
    child.stdout.on('data', (c) => {
      append('stdout', c);
      lineBuf += c.toString('utf8');
      let nl;
      while ((nl = lineBuf.indexOf('\n')) >= 0) {
        const line = lineBuf.slice(0, nl);
        lineBuf = lineBuf.slice(nl + 1);
        const m = /listening on http:\/\/([\d.]+):(\d+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve({ host: m[1], port: Number(m[2]) });
        }
      }
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${bin}: ${e.message}`));
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited before it was ready (code ${code}, signal ${signal})\n` +
        describe()));
    });
  }).catch(async (e) => {
    await kill();
    throw e;
  });

  async function stop() {
    if (!exitInfo) child.kill('SIGTERM');
    let timer;
    const info = await Promise.race([
      exited,
      new Promise((resolve) => {
        timer = setTimeout(() => resolve(null), STOP_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (info === null) await kill();
    return info;
  }

  return { address, stdout: () => stdout, stderr: () => stderr, describe, stop, kill };
}

/**
 * Starts a server: one process, or with SPACESTORE_NODES=N several on one data dir behind a
 * forwarder that sends each connection to a random node (their signed URLs point at it too).
 * @param {object} [opts]
 * @param {Record<string,string>} [opts.env]  extra or overriding environment variables
 * @param {string[]} [opts.args]              extra arguments after `serve ...`
 * @returns {Promise<{host:string, port:number, endpoint:string, baseUrl:string,
 *   dataDir:string, corpId:string, appKey:string, appSecret:string, unionId:string,
 *   admin:(args:string[], opts?:{input?:string})=>any, output:()=>{stdout:string, stderr:string},
 *   stop:()=>Promise<{code:number|null, signal:string|null}>}>}
 */
async function startServer({ env = {}, args = [] } = {}) {
  const bin = binaryPath();
  if (!fs.existsSync(bin)) {
    throw new Error(
      `spacestore binary not found at ${bin}; build it first or set SPACESTORE_BIN`);
  }
  const n = clusterSize();
  // With shared backends each node gets its own data dir, as on separate machines.
  const shared = await freshStores();
  const dataDirs = Array.from({ length: shared ? n : 1 },
    () => fs.mkdtempSync(path.join(os.tmpdir(), 'spacestore-conformance-')));
  const dataDir = dataDirs[0];
  const storeArgs = shared ? ['--metadata', shared.metadata, '--blobs', shared.blobs] : [];
  const childEnv = {
    ...cleanEnv(),
    SPACESTORE_CORP_ID: DEFAULTS.corpId,
    SPACESTORE_APP_KEY: DEFAULTS.appKey,
    SPACESTORE_APP_SECRET: DEFAULTS.appSecret,
    SPACESTORE_UNION_ID: DEFAULTS.unionId,
    ...(shared ? shared.env : {}),
    ...env,
  };
  const cleanup = () => {
    if (process.env.SPACESTORE_KEEP_DATA === '1') return;
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  };
  const serveArgs = (i) => ['serve', '--listen', '127.0.0.1:0', '--data-dir',
    dataDirs[i % dataDirs.length], ...storeArgs, ...args];
  let forwarder = null;
  let nodes = [];
  let address;
  try {
    if (n === 1) {
      nodes = [await launch(bin, serveArgs(0), childEnv)];
      address = nodes[0].address;
    } else {
      // Every call on a new connection, so that each goes to a random node (the SDK's calls:
      // lib/dingtalk.js).
      http.globalAgent = new http.Agent({ keepAlive: false });
      forwarder = await startForwarder();
      address = { host: '127.0.0.1', port: forwarder.port };
      const nodeArgs = (i) => (args.includes('--public-url')
        ? serveArgs(i)
        : [...serveArgs(i), '--public-url', `http://${address.host}:${address.port}`]);
      // Started together on the fresh store, as an orchestrator starts a deployment.
      const started = await Promise.allSettled(
        Array.from({ length: n }, (_, i) => launch(bin, nodeArgs(i), childEnv)));
      nodes = started.filter((r) => r.status === 'fulfilled').map((r) => r.value);
      const failed = started.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      forwarder.setTargets(nodes.map((node) => node.address));
    }
  } catch (e) {
    await Promise.all(nodes.map((node) => node.kill()));
    if (forwarder) await forwarder.close();
    cleanup();
    throw e;
  }

  const endpoint = `${address.host}:${address.port}`;
  const describe = () => nodes.map((node, i) =>
    (n > 1 ? `=== node ${i} ===\n` : '') + node.describe()).join('\n');
  let stopped = false;
  let stopResult = null;

  // `input`: the command's standard input (e.g. a password for `admin user password`).
  function admin(adminArgs, { input } = {}) {
    const full = ['admin', '--data-dir', dataDir,
      ...(shared ? ['--metadata', shared.metadata] : []), ...adminArgs];
    const r = spawnSync(bin, full, {
      env: childEnv,
      encoding: 'utf8',
      timeout: ADMIN_TIMEOUT_MS,
      input,
    });
    if (r.error) throw new Error(`admin ${adminArgs.join(' ')}: ${r.error.message}`);
    if (r.status !== 0) {
      throw new Error(`admin ${adminArgs.join(' ')} exited with ${r.status}\n` +
        `--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`);
    }
    try {
      return JSON.parse(r.stdout);
    } catch (e) {
      throw new Error(`admin ${adminArgs.join(' ')} did not print one JSON object: ` +
        `${e.message}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`);
    }
  }

  async function stop() {
    if (stopped) return stopResult;
    stopped = true;
    const infos = await Promise.all(nodes.map((node) => node.stop()));
    if (forwarder) await forwarder.close();
    cleanup();
    for (let i = 0; i < infos.length; ++i) {
      const which = n > 1 ? `node ${i} ` : '';
      if (infos[i] === null) {
        throw new Error(`server ${which}did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM\n` +
          nodes[i].describe());
      }
      if (infos[i].code !== 0) {
        throw new Error(`server ${which}exited with code ${infos[i].code} ` +
          `(signal ${infos[i].signal}) after SIGTERM, expected 0\n` + nodes[i].describe());
      }
    }
    stopResult = infos[0];
    return stopResult;
  }

  return {
    host: address.host,
    port: address.port,
    endpoint,
    baseUrl: `http://${endpoint}`,
    dataDir,
    ...DEFAULTS,
    ...(env.SPACESTORE_CORP_ID ? { corpId: env.SPACESTORE_CORP_ID } : {}),
    ...(env.SPACESTORE_APP_KEY ? { appKey: env.SPACESTORE_APP_KEY } : {}),
    ...(env.SPACESTORE_APP_SECRET ? { appSecret: env.SPACESTORE_APP_SECRET } : {}),
    ...(env.SPACESTORE_UNION_ID ? { unionId: env.SPACESTORE_UNION_ID } : {}),
    admin,
    output: () => ({
      stdout: nodes.map((node) => node.stdout()).join(''),
      stderr: nodes.map((node) => node.stderr()).join(''),
    }),
    describe,
    nodeCount: n,
    forwardedCounts: () => (forwarder ? forwarder.counts() : [0]),
    stop,
  };
}

module.exports = { startServer, binaryPath, DEFAULTS, REPO_ROOT };
