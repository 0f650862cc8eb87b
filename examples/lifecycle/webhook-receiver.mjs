#!/usr/bin/env node
// A minimal receiver for Roster's webhook executor, for trying it out on 127.0.0.1.
// It checks X-Roster-Signature (HMAC-SHA256 of the raw body), drops a repeated
// Idempotency-Key, and with --fail-first answers 500 to the first delivery of each key.
//
//   ROSTER_WEBHOOK_SECRET=change-me node examples/lifecycle/webhook-receiver.mjs 8787 --fail-first
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 8787);
const failFirst = process.argv.includes('--fail-first');
const secret = process.env.ROSTER_WEBHOOK_SECRET;
if (!secret) {
  console.error('set ROSTER_WEBHOOK_SECRET to the secret Roster signs with');
  process.exit(2);
}
const tried = new Set();
const accepted = new Set();

function validSignature(body, header) {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const given = Buffer.from(String(header ?? ''));
  return expected.length === given.length && timingSafeEqual(expected, given);
}

createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const key = String(req.headers['idempotency-key'] ?? '');
    let status = 200;
    let note = 'accepted';
    const signature = req.headers['x-roster-signature'];
    if (!validSignature(body, signature)) [status, note] = [401, 'bad signature'];
    else if (failFirst && !tried.has(key)) [status, note] = [500, 'forced failure'];
    else if (accepted.has(key)) note = 'duplicate, dropped';
    tried.add(key);
    if (status === 200) accepted.add(key);
    const event = status === 401 ? {} : JSON.parse(body.toString('utf8'));
    const what = event.data?.action ?? event.type ?? '?';
    const at = new Date().toISOString();
    console.log(`${at} ${status} ${key} ${what} ${event.subject ?? ''}: ${note}`);
    res.statusCode = status;
    res.end();
  });
}).listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}/`));
