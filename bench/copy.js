#!/usr/bin/env node
// The copy scenario's measurement (bench/run.sh scenario_copy): copies one folder ROUNDS times
// into the root of another space and times each copy from the CopyDentry request until GetTask
// reports SUCCESS (polled every 5 ms), or until the answer for an inline copy. Prints, for the
// median round, `answer_ms=A done_ms=D async=0|1` plus `dentries=N` (the task's totalCount).
// Exits non-zero on any failure, a FAIL task included.
//
// Usage: node bench/copy.js BASE_URL TOKEN SPACE_ID FOLDER_ID TARGET_SPACE_ID ROUNDS
// Env: SPACESTORE_UNION_ID.
'use strict';

function Die(message) {
  process.stderr.write(`copy: ${message}\n`);
  process.exit(1);
}

async function Call(method, url, token, body) {
  const init = { method, headers: { 'x-acs-dingtalk-access-token': token } };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(url, init);
  const text = await res.text();
  if (res.status !== 200) Die(`${method} ${url} -> HTTP ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

async function Main() {
  const [base, token, space, folder, target, roundsText] = process.argv.slice(2);
  if (!roundsText) Die('usage: copy.js BASE_URL TOKEN SPACE_ID FOLDER_ID TARGET_SPACE_ID ROUNDS');
  const union = process.env.SPACESTORE_UNION_ID || Die('SPACESTORE_UNION_ID is not set');
  const storage = `${base}/v1.0/storage`;
  const rounds = [];
  for (let i = 0; i < Number(roundsText); ++i) {
    const started = process.hrtime.bigint();
    const copy = await Call('POST',
      `${storage}/spaces/${space}/dentries/${folder}/copy?unionId=${union}`, token,
      { targetSpaceId: target, targetFolderId: '0' });
    const answered = process.hrtime.bigint();
    let dentries = 0;
    if (copy.async) {
      for (;;) {
        const { task } = await Call('GET', `${storage}/tasks/${copy.taskId}?unionId=${union}`,
          token);
        if (task.status === 'FAIL') Die(`task ${copy.taskId} failed: ${task.failMessage}`);
        if (task.status === 'SUCCESS') {
          dentries = task.totalCount;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    const done = process.hrtime.bigint();
    const ms = (t) => Number(t - started) / 1e6;
    rounds.push({ answer: ms(answered), done: ms(done), async: copy.async ? 1 : 0, dentries });
    process.stderr.write(`copy: round ${i + 1}: answered in ${ms(answered).toFixed(1)} ms, ` +
      `done in ${ms(done).toFixed(1)} ms (${dentries} dentries)\n`);
  }
  rounds.sort((a, b) => a.done - b.done);
  const m = rounds[Math.floor(rounds.length / 2)];
  process.stdout.write(`answer_ms=${m.answer.toFixed(2)} done_ms=${m.done.toFixed(2)} ` +
    `async=${m.async} dentries=${m.dentries}\n`);
}

Main().catch((e) => Die(e.stack || String(e)));
