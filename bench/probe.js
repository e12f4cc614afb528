#!/usr/bin/env node
// Sends one request before a wrk run so that a misconfigured target fails loudly with its status
// and body, instead of showing up as a fast run of errors. Prints `status bytes content-type` on
// stdout; exits non-zero unless the status is 2xx.
//
// Usage: node bench/probe.js [-X METHOD] [--body-file FILE] URL ["Name: value" ...]
// The method defaults to GET; --body-file sends FILE's bytes as the request body.
'use strict';

const fs = require('node:fs');

async function Main() {
  const argv = process.argv.slice(2);
  let method = 'GET';
  let requestBody;
  while (argv.length && argv[0].startsWith('-')) {
    const flag = argv.shift();
    if (flag === '-X' && argv.length) method = argv.shift();
    else if (flag === '--body-file' && argv.length) requestBody = fs.readFileSync(argv.shift());
    else throw new Error(`unknown option ${flag}`);
  }
  const [url, ...headerArgs] = argv;
  if (!url) {
    throw new Error('usage: node bench/probe.js [-X METHOD] [--body-file FILE] URL ["Name: value" ...]');
  }
  const headers = {};
  for (const h of headerArgs) {
    const colon = h.indexOf(':');
    if (colon <= 0) throw new Error(`bad header "${h}"`);
    headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
  }
  const res = await fetch(url, { method, headers, body: requestBody });
  const body = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type') || '-';
  process.stdout.write(`${res.status} ${body.length} ${type}\n`);
  if (res.status < 200 || res.status > 299) {
    process.stderr.write(`probe: ${method} ${url} -> HTTP ${res.status}: ${body.toString().slice(0, 300)}\n`);
    process.exit(1);
  }
}

Main().catch((e) => {
  process.stderr.write(`probe: ${e && e.message ? e.message : e}\n`);
  process.exit(1);
});
