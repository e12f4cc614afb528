'use strict';
// Raw HTTP helpers for the checks the SDK cannot make: exact JSON types on the wire, bodies
// the SDK never sends (malformed, oversized, chunked by hand), headers, status codes of
// routes the SDK does not know. Every request uses a fresh connection (agent: false) so one
// misbehaving case cannot poison the next through a kept-alive socket.

const http = require('node:http');
const net = require('node:net');

const TIMEOUT_MS = 10000;

/**
 * @param {{port:number}} server
 * @param {object} req
 * @param {string} req.method
 * @param {string} req.path        path and query string
 * @param {Record<string,string>} [req.headers]
 * @param {string|Buffer|object} [req.body]  objects are sent as JSON
 * @param {boolean} [req.chunked]  send the body with Transfer-Encoding: chunked
 * @returns {Promise<{status:number, headers:Record<string,string|string[]>, text:string,
 *   json:any}>}  json is undefined when the body is not JSON
 */
function request(server, { method, path, headers = {}, body, chunked = false }) {
  return new Promise((resolve, reject) => {
    let payload;
    const hdrs = { ...headers };
    if (body !== undefined) {
      if (Buffer.isBuffer(body) || typeof body === 'string') payload = Buffer.from(body);
      else payload = Buffer.from(JSON.stringify(body));
      if (!Object.keys(hdrs).some((k) => k.toLowerCase() === 'content-type')) {
        hdrs['content-type'] = 'application/json; charset=utf-8';
      }
      if (!chunked) hdrs['content-length'] = String(payload.length);
    }
    const req = http.request({
      host: '127.0.0.1',
      port: server.port,
      method,
      path,
      headers: hdrs,
      agent: false,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.setTimeout(TIMEOUT_MS, () => {
      req.destroy(new Error(`${method} ${path}: no response within ${TIMEOUT_MS} ms`));
    });
    req.on('error', reject);
    if (payload !== undefined) {
      if (chunked) {
        // Two chunks, so the server really has to reassemble a chunked body.
        const mid = Math.floor(payload.length / 2);
        req.write(payload.subarray(0, mid));
        req.write(payload.subarray(mid));
      } else {
        req.write(payload);
      }
    }
    req.end();
  });
}

/**
 * Opens a raw TCP connection, writes `data` and collects whatever comes back until the peer
 * closes or `waitMs` passes. Resolves {received: string, closed: boolean, elapsedMs}.
 */
function rawExchange(server, data, waitMs) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const sock = net.connect({ host: '127.0.0.1', port: server.port });
    let received = '';
    let done = false;
    const finish = (closed) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ received, closed, elapsedMs: Date.now() - started });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    sock.on('connect', () => sock.write(data));
    sock.on('data', (c) => {
      received += c.toString('latin1');
    });
    sock.on('end', () => finish(true));
    sock.on('close', () => finish(true));
    sock.on('error', (e) => {
      if (done) return;
      // A reset after we sent a partial request is a legitimate way to drop it.
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') finish(true);
      else {
        done = true;
        clearTimeout(timer);
        reject(e);
      }
    });
  });
}

/**
 * One request to an absolute URL (a signed upload or download URL the server handed out),
 * with the headers exactly as given and a raw byte body. Nothing is added except what Node
 * itself adds (Host, Connection, and Content-Length unless `chunked`).
 *
 * @param {string} url
 * @param {object} req
 * @param {string} req.method
 * @param {Record<string,string>} [req.headers]
 * @param {Buffer|string} [req.body]
 * @param {boolean} [req.chunked]  send the body with Transfer-Encoding: chunked, in pieces
 * @returns {Promise<{status:number, headers:Record<string,string|string[]>, body:Buffer,
 *   text:string, json:any}>}
 */
function transfer(url, { method, headers = {}, body, chunked = false }) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    if (u.protocol !== 'http:') {
      reject(new Error(`transfer: only http: URLs are expected, got ${url}`));
      return;
    }
    const hdrs = { ...headers };
    const payload = body === undefined ? undefined : Buffer.from(body);
    if (payload !== undefined && !chunked) hdrs['content-length'] = String(payload.length);
    const req = http.request({
      host: u.hostname,
      port: u.port || 80,
      method,
      path: u.pathname + u.search,
      headers: hdrs,
      agent: false,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        const text = buf.toString('utf8');
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, headers: res.headers, body: buf, text, json });
      });
      res.on('error', reject);
    });
    req.setTimeout(TIMEOUT_MS, () => {
      req.destroy(new Error(`${method} ${url}: no response within ${TIMEOUT_MS} ms`));
    });
    req.on('error', reject);
    if (payload !== undefined) {
      if (chunked) {
        // Several chunks of uneven size, so the server really reassembles the stream.
        const step = Math.max(1, Math.ceil(payload.length / 3));
        for (let i = 0; i < payload.length; i += step) req.write(payload.subarray(i, i + step));
      } else {
        req.write(payload);
      }
    }
    req.end();
  });
}

module.exports = { request, rawExchange, transfer, TIMEOUT_MS };
