import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cmdb, cmdbRows, ingestRows, request } from '../helpers/decide-estate.js';
import { startDecideServer, type DecideHarness } from './harness.js';

/**
 * The evaluation lane (src/server/authzen/evaluation-lane.ts) answers evaluation calls on the
 * server's socket before Fastify's router; `inject` goes straight to Fastify. Each call here
 * is made both ways and must get the same answer: status, headers and body.
 */
const EVAL = '/access/v1/evaluation';

let h: DecideHarness;
let base: string;
beforeAll(async () => {
  h = await startDecideServer();
  await h.rs.server.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(h.rs.server.server.address() as AddressInfo).port}`;
});
afterAll(async () => h.close());

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Headers that differ between any two answers, and the transport's own. */
const VARYING = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

function comparable(a: Answer): Answer {
  const headers = Object.fromEntries(Object.entries(a.headers)
    .filter(([k]) => !VARYING.has(k)).sort(([x], [y]) => x.localeCompare(y)));
  // Decision ids are unique; the rest of the answer is the same.
  const body = a.body.replace(/"id":"[0-9A-HJKMNP-TV-Z]{26}"/, '"id":"ULID"');
  return { status: a.status, headers, body };
}

async function overSocket(payload: string, headers: Record<string, string>): Promise<Answer> {
  const res = await fetch(base + EVAL, { method: 'POST', headers, body: payload });
  return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
}

async function throughFastify(payload: string, headers: Record<string, string>) {
  const res = await h.rs.server.inject({ method: 'POST', url: EVAL, headers, payload });
  const flat = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)]));
  return { status: res.statusCode, headers: flat, body: res.body } satisfies Answer;
}

/** Sends the call over the socket and through Fastify; returns the socket's answer. */
async function both(payload: string, extra: Record<string, string> = {}) {
  const headers = { 'content-type': 'application/json', 'x-request-id': 'pep-7', ...extra };
  const taken = h.rs.evaluationLane.taken;
  const lane = await overSocket(payload, headers);
  const fastify = await throughFastify(payload, headers);
  expect(comparable(lane)).toEqual(comparable(fastify));
  return { ...lane, byLane: h.rs.evaluationLane.taken - taken };
}

const call = (subject: string, resource: string, context?: Record<string, unknown>) =>
  JSON.stringify(request(subject, resource, context));

describe('the evaluation lane', () => {
  it('answers a token verified before, with the route\'s headers and bytes', async () => {
    const auth = h.auth('decide');
    const first = await both(call('web-1', 'db-1'), auth);
    const again = await both(call('web-1', 'db-1'), auth);
    expect([first.byLane, again.byLane]).toEqual([0, 1]);
    expect(again.status).toBe(200);
    expect(again.headers['x-request-id']).toBe('pep-7');
    expect(again.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(JSON.parse(again.body)).toMatchObject({ decision: true,
      context: { reason: 'allowed' } });
    const full = await both(call('web-1', 'db-1', { explain: 'full' }), auth);
    expect(full.byLane).toBe(1);
    expect(full.body).toContain('"text":');
  });

  it('answers denials, and errors in the body, as the route does', async () => {
    const auth = h.auth('decide');
    await both(call('web-1', 'db-1'), auth);
    const deny = await both(call('orphan-1', 'web-1'), auth);
    expect(JSON.parse(deny.body)).toMatchObject({ decision: false,
      context: { reason: 'subject-unowned' } });
    for (const bad of ['{"subject":', '', '{"action":{"name":"read"}}', '[1]',
      '{"subject":{"type":"w","id":"x","__proto__":{"admin":true}},' +
        '"action":{"name":"read"},"resource":{"type":"host","id":"db-1"}}']) {
      const r = await both(bad, auth);
      expect([r.status, r.byLane]).toEqual([400, 1]);
      expect(JSON.parse(r.body)).toMatchObject({ error: { requestId: 'pep-7' } });
    }
  });

  it('leaves to Fastify what it must check itself: tokens, scopes, types, CORS', async () => {
    await both(call('web-1', 'db-1'), h.auth('read'));
    const cases: [Record<string, string>, number][] = [
      [{}, 401],
      [{ authorization: 'Bearer rst_nope' }, 401],
      [h.auth('read'), 403],
      [{ ...h.auth('decide'), 'content-type': 'text/plain' }, 415],
      [{ ...h.auth('decide'), origin: 'https://console.example' }, 200],
    ];
    for (const [headers, status] of cases) {
      const r = await both(call('web-1', 'db-1'), headers);
      expect([r.status, r.byLane]).toEqual([status, 0]);
    }
  });

  it('refuses a token revoked through the server on its next call', async () => {
    const created = await h.rs.server.inject({ method: 'POST', url: '/api/v1/tokens',
      headers: h.auth('admin'), payload: { name: 'pep-lane', scopes: ['decide'] } });
    const auth = { authorization: `Bearer ${(created.json() as { token: string }).token}` };
    await both(call('web-1', 'db-1'), auth);
    expect((await both(call('web-1', 'db-1'), auth)).byLane).toBe(1);
    await h.rs.server.inject({ method: 'DELETE', url: '/api/v1/tokens/pep-lane',
      headers: h.auth('admin') });
    const after = await both(call('web-1', 'db-1'), auth);
    expect([after.status, after.byLane]).toEqual([401, 0]);
  });

  it('denies a retired asset on the very next call', async () => {
    const auth = { 'content-type': 'application/json', ...h.auth('decide') };
    await overSocket(call('web-1', 'db-1'), auth);
    const taken = h.rs.evaluationLane.taken;
    await ingestRows(h.app, cmdb, cmdbRows({ web1: { admission: 'retired',
      lifecycle: 'retired' } }), '2026-12-01T00:00:00.000Z');
    const retired = JSON.parse((await overSocket(call('web-1', 'db-1'), auth)).body);
    expect(retired).toMatchObject({ decision: false, context: { reason: 'subject-retired' } });
    await ingestRows(h.app, cmdb, cmdbRows(), '2026-12-01T01:00:00.000Z');
    const back = JSON.parse((await overSocket(call('web-1', 'db-1'), auth)).body);
    expect(back).toMatchObject({ decision: true });
    expect(h.rs.evaluationLane.taken - taken).toBe(2);
  });
});

describe('a server with CORS origins', () => {
  it('answers every evaluation through Fastify, with its Vary header', async () => {
    const cors = await startDecideServer({ server: { corsOrigins: ['https://console.example'] } });
    try {
      await cors.rs.server.listen({ host: '127.0.0.1', port: 0 });
      const url = `http://127.0.0.1:${(cors.rs.server.server.address() as AddressInfo).port}`;
      const headers = { 'content-type': 'application/json', ...cors.auth('decide') };
      for (let i = 0; i < 2; i++) {
        const body = call('web-1', 'db-1');
        const res = await fetch(url + EVAL, { method: 'POST', headers, body });
        expect(res.status).toBe(200);
        expect(res.headers.get('vary')).toMatch(/origin/i);
      }
      expect(cors.rs.evaluationLane.taken).toBe(0);
    } finally {
      await cors.close();
    }
  });
});
