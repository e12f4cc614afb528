#!/usr/bin/env node
// Holds many connections open to a server, for the connections scenario of bench/run.sh: what
// a held connection costs the server while it sits there, and whether other clients are still
// answered meanwhile.
//
// Usage: node bench/hold.js HOST PORT COUNT MODE
// Opens COUNT connections, 500 at a time, prints `ready N` once all are in the state below, and
// holds them until SIGTERM.
//   MODE held:    a third of each kind:
//                   idle       connects and sends nothing;
//                   keepalive  sends one GET /livez, reads the answer, then stays (an idle
//                              keep-alive connection between requests);
//                   partial    sends half a request head and stops (a half-open request).
//                 Exits non-zero if the server closes one (its read timeout must be longer).
//   MODE closing: each sends GET /livez with `Connection: close`, reads the answer and the
//                 server's FIN, and never closes its own side, so the server lingers on each
//                 (its closing state, the drain of what the client might still send) until it
//                 gives up after a second.
// Exits non-zero if a connection fails.
'use strict';

const net = require('node:net');

const kBatch = 500;  // connections opened at once: a burst of thousands overflows the backlog
const kLivez = 'GET /livez HTTP/1.1\r\nHost: bench\r\n\r\n';
const kPartial = 'GET /livez HTTP/1.1\r\nHost: bench\r\nX-Half: ';
const kClosing = 'GET /livez HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n';

function Die(message) {
  process.stderr.write(`hold: ${message}\n`);
  process.exit(1);
}

// Opens one connection of `kind`; resolves once it is in the state the mode holds it in.
function Open(host, port, kind, sockets) {
  return new Promise((resolve, reject) => {
    // allowHalfOpen: the server's FIN must not make us close too (closing mode).
    const socket = net.connect({ host, port, allowHalfOpen: true });
    sockets.push(socket);
    let answered = false;
    let settled = false;
    const settle = (err) => {
      if (settled) return;
      settled = true;
      if (err) reject(err); else resolve(socket);
    };
    socket.on('error', (err) => settle(err));
    socket.on('connect', () => {
      if (kind === 'idle') settle();
      else if (kind === 'partial') socket.write(kPartial, () => settle());
      else if (kind === 'keepalive') socket.write(kLivez);
      else if (kind === 'closing') socket.write(kClosing);
    });
    socket.on('data', (data) => {
      if (kind === 'keepalive' && !answered && data.toString().startsWith('HTTP/1.1 200')) {
        answered = true;
        settle();
      }
    });
    socket.on('end', () => {
      if (kind === 'closing') settle();  // answered and half-closed: the server lingers now
    });
    socket.on('close', () => {
      if (kind !== 'closing' && !held.stopping) {
        Die(`the server closed a ${kind} connection (read timeout too short?)`);
      }
      settle(new Error(`closed before ready (${kind})`));
    });
  });
}

const held = { stopping: false };

async function Main() {
  const [host, portArg, countArg, mode] = process.argv.slice(2);
  const port = Number(portArg);
  const count = Number(countArg);
  if (!host || !(port > 0) || !(count > 0) || !['held', 'closing'].includes(mode)) {
    Die('usage: node bench/hold.js HOST PORT COUNT held|closing');
  }
  const kinds = mode === 'held' ? ['idle', 'keepalive', 'partial'] : ['closing'];
  const sockets = [];
  for (let i = 0; i < count; i += kBatch) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + kBatch); ++j) {
      batch.push(Open(host, port, kinds[j % kinds.length], sockets));
    }
    await Promise.all(batch).catch((err) => Die(err.message));
  }
  process.stdout.write(`ready ${sockets.length}\n`);
  process.on('SIGTERM', () => {
    held.stopping = true;
    for (const s of sockets) s.destroy();
    process.exit(0);
  });
  setInterval(() => {}, 1 << 30);  // keep running until SIGTERM
}

Main().catch((err) => Die(err.stack || String(err)));
