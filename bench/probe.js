#!/usr/bin/env node
// Sends one GET before a wrk run so that a misconfigured target fails loudly with its status and
// body, instead of showing up as a fast run of errors. Prints `status bytes content-type` on
// stdout; exits non-zero unless the status is 2xx.
//
// Usage: node bench/probe.js URL ["Name: value" ...]
'use strict';

async function Main() {
  const [url, ...headerArgs] = process.argv.slice(2);
  if (!url) throw new Error('usage: node bench/probe.js URL ["Name: value" ...]');
  const headers = {};
  for (const h of headerArgs) {
    const colon = h.indexOf(':');
    if (colon <= 0) throw new Error(`bad header "${h}"`);
    headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
  }
  const res = await fetch(url, { headers });
  const body = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type') || '-';
  process.stdout.write(`${res.status} ${body.length} ${type}\n`);
  if (res.status < 200 || res.status > 299) {
    process.stderr.write(`probe: GET ${url} -> HTTP ${res.status}: ${body.toString().slice(0, 300)}\n`);
    process.exit(1);
  }
}

Main().catch((e) => {
  process.stderr.write(`probe: ${e && e.message ? e.message : e}\n`);
  process.exit(1);
});
