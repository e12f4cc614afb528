'use strict';
// Shared backends for the conformance suite on PostgreSQL + S3.
//
// `node lib/backends.js [node --test arguments]` starts one private PostgreSQL server and one
// s3rver for the whole run, then runs `node --test` with SPACESTORE_TEST_POSTGRES (the server's
// base URL) and SPACESTORE_TEST_S3 (the emulator's endpoint) set, and stops both when the run
// ends, also when it fails or is interrupted. lib/server.js reads these two variables: each
// test file's server then gets a fresh database and a fresh bucket on them (freshStores()).
//
// PostgreSQL as tests/support/postgres_server.cc starts it: initdb into a temporary directory
// (--no-sync: the cluster is thrown away; the server itself runs with fsync on), `postgres` on a
// free loopback port with its socket in that directory; as root both run as the `postgres` user
// (PostgreSQL refuses root). s3rver as tests/support/s3_server.cc starts it. Both are started
// through `setpriv --pdeathsig KILL`, so they die with this process even if it is killed.
//
// Environment:
//   SPACESTORE_PG_BIN   folder holding initdb and postgres (default: newest under
//                       /usr/lib/postgresql)

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');

const PG_USER = 'spacestore';
// s3rver's built-in credentials (tests/support/s3_server.h).
const S3_KEYS = Object.freeze({
  SPACESTORE_S3_ACCESS_KEY_ID: 'S3RVER',
  SPACESTORE_S3_SECRET_ACCESS_KEY: 'S3RVER',
});
const START_TIMEOUT_MS = 30000;
const S3RVER = path.join(__dirname, '..', 'node_modules', 's3rver', 'bin', 's3rver.js');

function pgBinDir() {
  if (process.env.SPACESTORE_PG_BIN) return process.env.SPACESTORE_PG_BIN;
  // The highest version installed (numeric order: 9.6 < 15).
  const versions = (fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql') : [])
    .filter((v) => ['postgres', 'initdb'].every((b) =>
      fs.existsSync(path.join('/usr/lib/postgresql', v, 'bin', b))))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const best = versions.length ? path.join('/usr/lib/postgresql', versions.at(-1), 'bin') : '';
  if (!best) throw new Error('PostgreSQL server binaries not found (Debian package postgresql)');
  return best;
}

// A port nothing listens on now (the kernel's pick for port 0).
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// argv prefixed so the child dies with this process and, as root, runs as `postgres`.
function guarded(argv, asPostgres) {
  const pre = ['setpriv', '--pdeathsig', 'KILL'];
  if (asPostgres && process.getuid() === 0) {
    pre.push('--reuid', 'postgres', '--regid', 'postgres', '--init-groups');
  }
  return [...pre, '--', ...argv];
}

const children = new Set();
function killAll() {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}
process.on('exit', killAll);

function track(child) {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

async function stopChild(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
  await exited;
  clearTimeout(timer);
}

/** Starts a private PostgreSQL; resolves {url, port, dir, stop}. */
async function startPostgres() {
  const bin = pgBinDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spacestore-conformance-pg-'));
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  if (process.getuid() === 0) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout);
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout);
    fs.chownSync(dir, uid, gid);
  }
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  const initArgv = guarded([path.join(bin, 'initdb'), '-D', data, '-U', PG_USER, '-A', 'trust',
    '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'], true);
  const init = spawnSync(initArgv[0], initArgv.slice(1),
    { encoding: 'utf8', timeout: START_TIMEOUT_MS });
  if (init.status !== 0) {
    remove();
    throw new Error(`initdb failed:\n${init.stdout}\n${init.stderr}`);
  }
  for (let attempt = 0; attempt < 3; ++attempt) {
    const port = await freePort();
    const argv = guarded([path.join(bin, 'postgres'), '-D', data, '-k', dir, '-p', String(port),
      '-h', '127.0.0.1', '-c', 'fsync=on', '-c', 'max_connections=300', '-c',
      'shared_buffers=32MB'], true);
    const out = fs.openSync(log, 'a');
    const child = track(spawn(argv[0], argv.slice(1), { stdio: ['ignore', out, out] }));
    fs.closeSync(out);
    const url = `postgresql://${PG_USER}@127.0.0.1:${port}`;
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
      const r = spawnSync('psql', [`${url}/postgres`, '-XAtqc', 'SELECT 1'],
        { encoding: 'utf8', timeout: 5000 });
      if (r.status === 0) {
        return {
          url,
          port,
          dir,
          async stop() {
            await stopChild(child, 'SIGINT');  // fast shutdown: clients are disconnected
            remove();
          },
        };
      }
      await new Promise((r2) => setTimeout(r2, 100));
    }
    await stopChild(child, 'SIGKILL');  // exited (port taken) or too slow: try another port
  }
  const text = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
  remove();
  throw new Error(`the PostgreSQL server did not start:\n${text.slice(-4000)}`);
}

/** Starts s3rver on a free port; resolves {endpoint, stop}. */
async function startS3() {
  if (!fs.existsSync(S3RVER)) {
    throw new Error(`s3rver is not installed at ${S3RVER}; run \`make conformance-deps\``);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spacestore-conformance-s3-'));
  const argv = guarded([process.execPath, S3RVER, '--directory', dir, '--address', '127.0.0.1',
    '--port', '0', '--silent', '--no-vhost-buckets'], false);
  const child = track(spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] }));
  let seen = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`s3rver did not start: ${seen}`)),
      START_TIMEOUT_MS);
    const onData = (c) => {
      seen += c.toString('utf8');
      const m = /S3rver listening on [0-9.]+:(\d+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited (${code}) before it listened: ${seen}`));
    });
  }).catch(async (e) => {
    await stopChild(child, 'SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  child.stdout.resume();
  child.stderr.resume();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      await stopChild(child, 'SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A name unique across the parallel test-file processes of one run.
function uniqueName(prefix) {
  return `${prefix}${process.pid}x${crypto.randomBytes(4).toString('hex')}`;
}

/**
 * With SPACESTORE_TEST_POSTGRES and SPACESTORE_TEST_S3 set (by this file's runner): a fresh
 * database and a fresh bucket for one test file's server. Resolves null otherwise.
 * @returns {Promise<null|{metadata:string, blobs:string, env:Record<string,string>}>}
 */
async function freshStores() {
  const pg = process.env.SPACESTORE_TEST_POSTGRES;
  const s3 = process.env.SPACESTORE_TEST_S3;
  if (!pg || !s3) return null;
  const db = uniqueName('conf');
  const r = spawnSync('psql', [`${pg}/postgres`, '-XAtqc', `CREATE DATABASE ${db}`],
    { encoding: 'utf8', timeout: 30000 });
  if (r.status !== 0) throw new Error(`CREATE DATABASE ${db} failed: ${r.stderr}${r.error || ''}`);
  const bucket = uniqueName('conf-').toLowerCase();
  await new Promise((resolve, reject) => {
    // s3rver accepts an anonymous bucket creation (tests/support/s3_server.cc).
    const req = http.request(`${s3}/${bucket}`, { method: 'PUT', agent: false }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() :
        reject(new Error(`s3rver refused bucket ${bucket}: ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
  return {
    metadata: `${pg}/${db}`,
    blobs: `s3://${bucket}?endpoint=${s3}&region=us-east-1`,
    env: { ...S3_KEYS },
  };
}

async function main() {
  const started = [];
  let code = 1;
  const stopAll = async () => {
    for (const s of started.reverse()) {
      try {
        await s.stop();
      } catch (e) {
        process.stderr.write(`stopping a backend: ${e.message}\n`);
      }
    }
    started.length = 0;
  };
  let run = null;
  // Interrupted (CTest's timeout, ^C): the test files stop their servers first, then the
  // backends go; the 'exit' handler SIGKILLs whatever is left.
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      if (run) run.kill('SIGTERM');
      else stopAll().then(() => process.exit(1));
    });
  }
  try {
    const pg = await startPostgres();
    started.push(pg);
    const s3 = await startS3();
    started.push(s3);
    const args = process.argv.slice(2);
    run = track(spawn(process.execPath, ['--test', ...args], {
      stdio: 'inherit',
      env: { ...process.env, SPACESTORE_TEST_POSTGRES: pg.url, SPACESTORE_TEST_S3: s3.endpoint },
    }));
    code = await new Promise((resolve) => run.on('exit', (c, s) => resolve(s ? 1 : c)));
  } catch (e) {
    process.stderr.write(`${e.stack || e}\n`);
  } finally {
    await stopAll();
  }
  process.exit(code);
}

if (require.main === module) main();

module.exports = { freshStores, startPostgres, startS3 };
