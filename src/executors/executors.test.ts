import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIFECYCLE_CONFIG } from '../lifecycle/config.js';
import type { OutboxItem } from '../lifecycle/port.js';
import { SqliteLifecycleStore } from '../store/sqlite/lifecycle-store.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { commandDeliverer } from './command.js';
import type { Deliverer } from './deliverer.js';
import { backoffSeconds, drainOutbox } from './outbox.js';
import { sign, verifySignature } from './signature.js';
import { encodeHeaderValue, webhookDeliverer } from './webhook.js';

const event = { specversion: '1.0', id: 'act_1', source: '/roster/offboarding',
  type: 'dev.roster.offboarding.action', subject: 'crd_1', time: '2026-12-02T08:00:00.000Z',
  datacontenttype: 'application/json', data: { action: 'aws-access-key.deactivate-delete' } };
const item = (id = 'act_1:webhook:soar', target = 'webhook:soar'): OutboxItem => ({
  id, idempotencyKey: id.split(':')[0]!, kind: 'action', target, body: JSON.stringify(event),
  state: 'pending', attempts: 0, nextAttemptAt: '2026-12-02T08:00:00.000Z',
  createdAt: '2026-12-02T08:00:00.000Z', deliveredAt: null, lastError: null, planId: 'pln_1',
  actionId: id.split(':')[0]!,
});

describe('signature', () => {
  it('is an HMAC-SHA256 of the exact body, checked in constant time', () => {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    expect(sign('what do ya want for nothing?', 'Jefe')).toBe(
      'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    const s = sign('{"a":1}', 'k');
    expect(verifySignature('{"a":1}', 'k', s)).toBe(true);
    expect(verifySignature('{"a":2}', 'k', s)).toBe(false);
    expect(verifySignature('{"a":1}', 'k', 'sha256=00')).toBe(false);
  });

  it('percent-encodes header values as the CloudEvents HTTP binding says', () => {
    expect(encodeHeaderValue('Euro € 😀')).toBe('Euro%20%E2%82%AC%20%F0%9F%98%80');
    expect(encodeHeaderValue('/roster/offboarding')).toBe('/roster/offboarding');
  });
});

describe('webhook executor', () => {
  let server: Server;
  let url: string;
  let status = 200;
  const seen: { headers: IncomingHttpHeaders; body: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ headers: req.headers, body });
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?token=abc`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  const hook = (): Deliverer => webhookDeliverer(
    { name: 'soar', url, secretEnv: 'HOOK_SECRET', deliver: ['actions'], timeoutSeconds: 5 },
    { HOOK_SECRET: 's3cret' });

  it('posts the CloudEvent as structured JSON, signed, with the idempotency key', async () => {
    status = 202;
    expect(await hook().deliver(item())).toEqual({ ok: true, detail: 'HTTP 202' });
    const got = seen[seen.length - 1]!;
    expect(got.body).toBe(JSON.stringify(event));
    expect(got.headers).toMatchObject({
      'content-type': 'application/cloudevents+json; charset=utf-8',
      'idempotency-key': 'act_1',
      'x-roster-signature': sign(JSON.stringify(event), 's3cret'),
      'ce-id': 'act_1', 'ce-specversion': '1.0', 'ce-type': 'dev.roster.offboarding.action',
      'ce-source': '/roster/offboarding',
    });
  });

  it('retries server errors and throttling, gives up on other refusals, never names the URL',
    async () => {
      status = 503;
      expect(await hook().deliver(item())).toEqual({ ok: false, retry: true, error: 'HTTP 503' });
      status = 429;
      expect(await hook().deliver(item())).toMatchObject({ ok: false, retry: true });
      status = 400;
      const refused = await hook().deliver(item());
      expect(refused).toEqual({ ok: false, retry: false, error: 'HTTP 400' });
    });

  it('retries when nobody answers', async () => {
    const down = webhookDeliverer({ name: 'down', url: 'http://127.0.0.1:9/x', secretEnv: 'S',
      deliver: ['actions'], timeoutSeconds: 2 }, { S: 'x' });
    expect(await down.deliver(item())).toMatchObject({ ok: false, retry: true });
  });

  it('refuses to start without its secret, naming the variable and not a value', () => {
    expect(() => webhookDeliverer({ name: 'soar', url, secretEnv: 'NOT_SET_ANYWHERE',
      deliver: ['actions'], timeoutSeconds: 5 }, {})).toThrow(
      'webhook soar: environment variable NOT_SET_ANYWHERE (its HMAC secret) is not set');
  });
});

describe('command executor', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'roster-cmd-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the program with the action JSON on stdin and the key in the environment', async () => {
    const script = join(dir, 'revoke.mjs');
    const out = join(dir, 'got.json');
    writeFileSync(script, [
      "import { writeFileSync } from 'node:fs';",
      "let s = '';",
      'process.stdin.on("data", (c) => (s += c)).on("end", () => writeFileSync(',
      `  ${JSON.stringify(out)},`,
      '  JSON.stringify({ stdin: JSON.parse(s), key: process.env.ROSTER_IDEMPOTENCY_KEY,',
      '    type: process.env.CE_TYPE })));',
    ].join('\n'));
    const d = commandDeliverer({ path: process.execPath, args: [script], timeoutSeconds: 20 });
    const delivered = await d.deliver(item('act_1:command', 'command'));
    expect(delivered).toEqual({ ok: true, detail: 'exit 0' });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ stdin: event.data, key: 'act_1',
      type: 'dev.roster.offboarding.action' });
  });

  it('tries again after a failing exit, with the last line it wrote to stderr', async () => {
    const failing = 'process.stdin.resume();' +
      'process.stdin.on("end",()=>{console.error("no creds");process.exit(3)})';
    const d = commandDeliverer({ path: process.execPath, args: ['-e', failing],
      timeoutSeconds: 20 });
    expect(await d.deliver(item('act_1:command', 'command'))).toEqual({ ok: false, retry: true,
      error: `${process.execPath}: exit 3: no creds` });
  });
});

describe('outbox', () => {
  let store: SqliteStore;
  let lc: SqliteLifecycleStore;
  beforeEach(async () => {
    store = new SqliteStore({ path: ':memory:' });
    await store.migrate();
    lc = new SqliteLifecycleStore(store.connection);
  });
  afterEach(() => store.close());

  const delivery = { ...DEFAULT_LIFECYCLE_CONFIG.delivery, backoffSeconds: 30, maxAttempts: 3 };
  const flaky = (results: boolean[]): Deliverer & { calls: number } => {
    const d = { target: 'webhook:soar', calls: 0,
      deliver: async () => (results[d.calls++] ? { ok: true as const }
        : { ok: false as const, retry: true, error: 'HTTP 500' }) };
    return d;
  };

  it('backs off exponentially up to a cap', () => {
    expect([1, 2, 3, 4].map((n) => backoffSeconds(n, delivery))).toEqual([30, 60, 120, 240]);
    expect(backoffSeconds(20, delivery)).toBe(3600);
  });

  it('queues once, retries after the backoff, delivers, and never resends a delivered item',
    async () => {
      expect(await lc.enqueue([item()])).toBe(1);
      expect(await lc.enqueue([item()])).toBe(0);
      const d = flaky([false, true]);
      const map = new Map([[d.target, d]]);
      const drainAt = (now: string) => drainOutbox(lc, map, delivery, { now });
      const first = await drainAt('2026-12-02T08:00:00.000Z');
      expect(first.retrying.map((r) => [r.attempts, r.nextAttemptAt]))
        .toEqual([[1, '2026-12-02T08:00:30.000Z']]);
      expect((await drainAt('2026-12-02T08:00:10.000Z')).delivered).toEqual([]);
      const second = await drainAt('2026-12-02T08:00:30.000Z');
      expect(second.delivered.map((x) => x.id)).toEqual(['act_1:webhook:soar']);
      await drainAt('2026-12-02T09:00:00.000Z');
      expect(d.calls).toBe(2);
      expect((await lc.listOutbox())[0]).toMatchObject({ state: 'delivered', attempts: 2,
        deliveredAt: '2026-12-02T08:00:30.000Z', lastError: null });
    });

  it('gives up after the last attempt and keeps the error', async () => {
    await lc.enqueue([item()]);
    const d = flaky([false, false, false]);
    const map = new Map([[d.target, d]]);
    const attempts = ['2026-12-02T08:00:00.000Z', '2026-12-02T08:01:00.000Z',
      '2026-12-02T08:03:00.000Z'];
    for (const now of attempts) await drainOutbox(lc, map, delivery, { now });
    expect((await lc.listOutbox())[0])
      .toMatchObject({ state: 'failed', attempts: 3, lastError: 'HTTP 500' });
  });

  it('lets only one drainer claim an item while its lease holds', async () => {
    await lc.enqueue([item()]);
    const now = '2026-12-02T08:00:00.000Z';
    const lease = (at: string) => ({ at, seconds: 300 });
    expect(await lc.claimDue(now, lease(now), 10)).toHaveLength(1);
    expect(await lc.claimDue(now, lease(now), 10)).toHaveLength(0);
    // The lease is on the wall clock: a later chosen instant does not end it.
    expect(await lc.claimDue('2026-12-09T00:00:00.000Z', lease(now), 10)).toHaveLength(0);
    expect(await lc.claimDue(now, lease('2026-12-02T08:05:00.000Z'), 10)).toHaveLength(1);
  });

  it('delivers an item once when two processes drain it at the same time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-outbox-'));
    const open = async () => {
      const s = new SqliteStore({ path: join(dir, 'roster.db') });
      await s.migrate();
      return s;
    };
    const [a, b] = [await open(), await open()];
    try {
      await new SqliteLifecycleStore(a.connection).enqueue([item()]);
      let release = (): void => undefined;
      const held = new Promise<void>((done) => { release = done; });
      let calls = 0;
      const slow: Deliverer = { target: 'webhook:soar', deliver: async () => {
        calls++;
        await held; // the receiver has not answered yet
        return { ok: true };
      } };
      const map = new Map([[slow.target, slow]]);
      // Each process judges at its own --now; only the wall clock decides the lease.
      const first = drainOutbox(new SqliteLifecycleStore(a.connection), map, delivery,
        { now: '2026-12-02T08:00:00.000Z' });
      const second = await drainOutbox(new SqliteLifecycleStore(b.connection), map, delivery,
        { now: '2026-12-02T08:10:00.000Z' });
      release();
      expect(second.delivered).toEqual([]);
      expect((await first).delivered.map((x) => x.id)).toEqual(['act_1:webhook:soar']);
      expect(calls).toBe(1);
    } finally {
      a.close();
      b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
