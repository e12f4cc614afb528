'use strict';
// A TCP forwarder that sends each connection to a random node of a cluster, for running the
// conformance suite against several spacestore nodes on one store (SPACESTORE_NODES, see
// server.js). It forwards bytes, not parsed HTTP, so the raw-socket cases (malformed requests,
// half-closed connections, slow bodies) reach a node exactly as they were sent. One HTTP call
// per connection makes every call land on a random node: the raw helpers never reuse a
// connection, and in cluster mode lib/dingtalk.js turns keep-alive off for the SDK too.

const net = require('node:net');

/**
 * Starts the forwarder on 127.0.0.1, an ephemeral port. Targets are set later (the nodes need
 * the forwarder's address as their public URL before they start).
 * @returns {Promise<{port:number, setTargets:(targets:{host:string,port:number}[])=>void,
 *   counts:()=>number[], close:()=>Promise<void>}>}
 */
function startForwarder() {
  let targets = [];
  let counts = [];
  const sockets = new Set();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (targets.length === 0) {
      client.destroy();
      return;
    }
    const i = Math.floor(Math.random() * targets.length);
    counts[i] += 1;
    const upstream = net.connect(targets[i].port, targets[i].host);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    // pipe() passes each side's end (FIN) on to the other, so half-closes behave as direct.
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: server.address().port,
        setTargets(list) {
          targets = list;
          counts = list.map(() => 0);
        },
        counts: () => counts.slice(),
        close() {
          for (const s of sockets) s.destroy();
          return new Promise((done) => server.close(() => done()));
        },
      });
    });
  });
}

module.exports = { startForwarder };
