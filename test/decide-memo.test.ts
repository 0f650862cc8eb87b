import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { openDecideApp, type DecideApp } from '../src/decide-app.js';
import { windowOf } from '../src/decide/memo.js';
import type { EvaluationRequest } from '../src/decide/request.js';
import { cmdb, cmdbRows, ingestRows, NOW, openEstate, request, WORKLOAD } from './helpers/decide-estate.js';

/**
 * decideText keeps a decision for the exact text of its request and reuses it only while
 * nothing it was made from has changed: these tests move each input in turn.
 */
let app: App;
let pdp: DecideApp;
let now = NOW;
let parsed = 0;

const parse = (text: string): EvaluationRequest => {
  parsed += 1;
  return JSON.parse(text) as EvaluationRequest;
};
const textOf = (subject: string, resource: string, context?: Record<string, unknown>) =>
  JSON.stringify(request(subject, resource, context));

beforeEach(async () => {
  now = NOW;
  parsed = 0;
  app = await openEstate();
  pdp = await openDecideApp(app, { clock: { now: () => now } });
});
afterEach(async () => {
  pdp.close();
  await app.close();
});

describe('decisions kept for the same request text', () => {
  it('answers the same text again from the memo, with its own id and time, and logs both', async () => {
    const text = textOf('web-1', 'db-1');
    const first = await pdp.service.decideText(text, parse);
    now = '2026-12-01T12:00:01.000Z';
    const again = await pdp.service.decideText(text, parse);
    expect(parsed).toBe(1);
    expect(pdp.service.memoHits).toBe(1);
    expect(again.decision.decision).toBe(true);
    expect(again.decision.reason).toBe('allowed');
    expect(again.decision.id).not.toBe(first.decision.id);
    expect(again.decision.id > first.decision.id).toBe(true);
    expect(again.decision.at).toBe('2026-12-01T12:00:01.000Z');
    expect(again.decision.facts).toEqual(first.decision.facts);
    expect(again.request).toEqual(request('web-1', 'db-1'));

    pdp.log.flush();
    const logged = pdp.log.get(again.decision.id);
    expect(logged?.at).toBe('2026-12-01T12:00:01.000Z');
    const body = logged?.body as { request: unknown; decision: { id: string; at: string;
      facts: unknown[]; reason: string } };
    expect(body.decision.id).toBe(again.decision.id);
    expect(body.decision.at).toBe('2026-12-01T12:00:01.000Z');
    expect(body.decision.reason).toBe('allowed');
    expect(body.decision.facts).toEqual(JSON.parse(JSON.stringify(first.decision.facts)));
    expect(body.request).toEqual(request('web-1', 'db-1'));
    expect(pdp.log.get(first.decision.id)?.at).toBe(NOW);
  });

  it('decides afresh on the very next request after the inventory changes', async () => {
    const text = textOf('web-1', 'db-1');
    expect((await pdp.service.decideText(text, parse)).decision.decision).toBe(true);
    await ingestRows(app, cmdb, cmdbRows({ web1: { admission: 'retired', lifecycle: 'retired' } }),
      '2026-12-01T00:00:00.000Z');
    const d = (await pdp.service.decideText(text, parse)).decision;
    expect(d.decision).toBe(false);
    expect(d.reason).toBe('subject-retired');
    expect(pdp.service.memoHits).toBe(0);
  });

  it('decides afresh once a sighting is a day older, and not before', async () => {
    // web-1 was last seen by aws at 2026-11-30T06:00Z: one whole day old at NOW, two at
    // 2026-12-02T06:00Z.
    const text = textOf('web-1', 'db-1');
    const ageOf = (d: { facts: readonly { entity: string; name: string; text: string }[] }) =>
      d.facts.find((f) => f.entity === 'subject' && f.name === 'freshness')?.text;
    const first = (await pdp.service.decideText(text, parse)).decision;
    expect(ageOf(first)).toMatch(/last seen 1 day\(s\) ago/);
    now = '2026-12-02T05:59:59.999Z';
    await pdp.service.decideText(text, parse);
    expect(pdp.service.memoHits).toBe(1);
    now = '2026-12-02T06:00:00.000Z';
    const later = (await pdp.service.decideText(text, parse)).decision;
    expect(pdp.service.memoHits).toBe(1);
    expect(ageOf(later)).toMatch(/last seen 2 day\(s\) ago/);
    // A clock that goes back before the window does not reuse the later decision either.
    now = '2026-12-02T05:00:00.000Z';
    const back = (await pdp.service.decideText(text, parse)).decision;
    expect(pdp.service.memoHits).toBe(1);
    expect(ageOf(back)).toMatch(/last seen 1 day\(s\) ago/);
  });

  it('keeps apart texts that differ, context included', async () => {
    await pdp.service.decideText(textOf('web-1', 'db-1'), parse);
    await pdp.service.decideText(textOf('web-1', 'db-1', { purpose: 'backup' }), parse);
    await pdp.service.decideText(textOf('dev-1', 'web-1'), parse);
    expect(parsed).toBe(3);
    expect(pdp.service.memoHits).toBe(0);
  });

  it('never keeps a decision made on a workload proof', async () => {
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJzcGlmZmU6Ly9leGFtcGxlLm9yZy94In0.c2ln';
    const text = JSON.stringify({ ...request(WORKLOAD, 'db-1'), context: { jwt_svid: jwt } });
    const a = (await pdp.service.decideText(text, parse)).decision;
    const b = (await pdp.service.decideText(text, parse)).decision;
    expect(a.reason).toBe('proof-untrusted');
    expect(b.reason).toBe(a.reason);
    // Kept by its fingerprint, even unverified, never as the token.
    expect(a.proof).toEqual({ kind: 'jwt-svid', ok: false, reason: 'proof-untrusted',
      spiffeId: 'spiffe://example.org/x',
      fingerprint: createHash('sha256').update(jwt).digest('hex') });
    expect(parsed).toBe(2);
    expect(pdp.service.memoHits).toBe(0);
  });

  it('never answers from the memo for an mTLS caller', async () => {
    const text = textOf('web-1', 'db-1');
    await pdp.service.decideText(text, parse);
    await pdp.service.decideText(text, parse, { mtlsChain: 'not a chain' });
    expect(parsed).toBe(2);
    expect(pdp.service.memoHits).toBe(0);
  });

  it('lets a malformed text fail to parse every time', async () => {
    const bad = '{"subject":';
    await expect(pdp.service.decideText(bad, parse)).rejects.toThrow(SyntaxError);
    await expect(pdp.service.decideText(bad, parse)).rejects.toThrow(SyntaxError);
    expect(parsed).toBe(2);
  });
});

describe('the window a kept decision holds in', () => {
  it('ends where the inventory turns stale, the limit itself still inside', () => {
    const status = { records: 3, newestRunAsOf: '2026-12-01T00:00:00.000Z' };
    const w = windowOf(Date.parse(NOW), [], status, 24);
    expect(w.untilMs).toBe(Date.parse('2026-12-02T00:00:00.000Z') + 1);
    expect(windowOf(Date.parse(NOW), [], status, 0).untilMs).toBe(Infinity);
  });
});
