#!/usr/bin/env node
// Start to ready: starts a server ROUNDS times, one after another, and measures the time from
// its exec to the first `GET /readyz` answered 200, and its resident memory once it has been
// idle for a second after that.
//
// Usage: node bench/startup.js ROUNDS PORT LOG_FILE BIN ARG...
//   BIN ARG... must make the server listen on 127.0.0.1:PORT; its stderr goes to LOG_FILE.
// Prints one line a round, `round=R ready_ms=T rss_kib=K probe_ms=P`, then the medians:
//   `ready_ms=T rss_kib=K probe_ms=P`
// Exits non-zero if a server exits early, is not ready within 60 s, or /readyz answers other
// than 200 or 503.
//
// The clock starts just before spawn() (so it includes fork and exec) and stops when the 200's
// status line arrives. The probe is a raw TCP connect and a 60-byte GET, retried 1 ms after
// each refused connection or 503, so the measurement overshoots by at most that 1 ms plus one
// probe's round trip; `probe_ms` is that round trip measured on the ready server.
'use strict';

const fs = require('node:fs');
const net = require('node:net');
const { spawn } = require('node:child_process');

const kRequest = 'GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n';

function Die(message) {
  process.stderr.write(`startup: ${message}\n`);
  process.exit(1);
}

// One GET /readyz: resolves with the status (a number), or null when the connection is refused
// or closed before a status line arrives (the server is not listening yet).
function Probe(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let head = '';
    const done = (status) => {
      socket.destroy();
      resolve(status);
    };
    socket.setNoDelay(true);
    socket.on('connect', () => socket.write(kRequest));
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      if (m) done(Number(m[1]));
      else if (head.length > 64) done(-1);
    });
    socket.on('error', () => done(null));
    socket.on('close', () => done(null));
  });
}

const Sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const NowMs = () => Number(process.hrtime.bigint()) / 1e6;

function RssKib(pid) {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) Die(`no VmRSS in /proc/${pid}/status`);
  return Number(m[1]);
}

function Median(values) {
  const v = [...values].sort((a, b) => a - b);
  const n = v.length;
  return n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

async function Stop(child, exited) {
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
  await exited;
  clearTimeout(timer);
}

async function Round(round, port, log, bin, args) {
  const err = fs.openSync(log, 'a');
  const started = NowMs();
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', err] });
  fs.closeSync(err);
  let exitCode = null;
  const exited = new Promise((r) => child.on('exit', (code, signal) => {
    exitCode = code ?? signal;
    r();
  }));
  let readyMs = null;
  while (readyMs === null) {
    const status = await Probe(port);
    if (status === 200) {
      readyMs = NowMs() - started;
      break;
    }
    if (exitCode !== null) {
      Die(`round ${round}: the server exited (${exitCode}) before it was ready; see ${log}`);
    }
    if (status !== null && status !== 503) Die(`round ${round}: /readyz answered ${status}`);
    if (NowMs() - started > 60000) {
      await Stop(child, exited);
      Die(`round ${round}: not ready within 60 s`);
    }
    await Sleep(1);
  }
  await Sleep(1000);
  const rss = RssKib(child.pid);
  const probeStarted = NowMs();
  if ((await Probe(port)) !== 200) Die(`round ${round}: /readyz stopped answering 200`);
  const probeMs = NowMs() - probeStarted;
  await Stop(child, exited);
  return { readyMs, rss, probeMs };
}

async function Main() {
  const [roundsArg, portArg, log, bin, ...args] = process.argv.slice(2);
  const rounds = Number(roundsArg);
  const port = Number(portArg);
  if (!(rounds >= 1) || !(port > 0) || !log || !bin) {
    Die('usage: node bench/startup.js ROUNDS PORT LOG_FILE BIN ARG...');
  }
  const results = [];
  for (let r = 1; r <= rounds; r++) {
    const x = await Round(r, port, log, bin, args);
    results.push(x);
    console.log(`round=${r} ready_ms=${x.readyMs.toFixed(2)} rss_kib=${x.rss} ` +
                `probe_ms=${x.probeMs.toFixed(3)}`);
  }
  console.log(`ready_ms=${Median(results.map((x) => x.readyMs)).toFixed(2)} ` +
              `rss_kib=${Median(results.map((x) => x.rss))} ` +
              `probe_ms=${Median(results.map((x) => x.probeMs)).toFixed(3)}`);
}

Main().catch((e) => Die(e && e.message ? e.message : String(e)));
