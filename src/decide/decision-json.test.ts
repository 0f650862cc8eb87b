import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, NOW, openEstate } from '../../test/helpers/decide-estate.js';
import type { App } from '../app.js';
import { openDecideApp, type DecideApp } from '../decide-app.js';
import { fixedClock } from '../model/time.js';
import { answerJson, answerText, decisionAnswer } from '../server/authzen/answer.js';
import { decisionJson } from './decision-json.js';
import { failed, type Decision } from './decision.js';
import { logBodyJson, redactRequest } from './redact.js';

let app: App;
let pdp: DecideApp;

beforeAll(async () => {
  app = await openEstate();
  pdp = await openDecideApp(app, { clock: fixedClock(NOW) });
});
afterAll(async () => {
  pdp.close();
  await app.close();
});

/** One decision of each kind the service gives, each decided twice (the second from caches). */
async function decisions(): Promise<Decision[]> {
  const reqs = [
    request('i-0aaa1111bbbb2222c', 'db-1'), // allowed
    request('i-0fff1111bbbb2222c', 'db-1'), // subject-unknown: policy errors
    request('orphan-1', 'web-1'), // denied by a forbid
    request('dev-1', 'web-1'), // environment-mismatch
    request('web-1', 'nocrit-1'), // missing-attribute
    { ...request('web-1', 'db-1'), // claims the inventory decides, ignored
      subject: { type: 'host', id: 'web-1', properties: { trustTier: 3, env: 'prod' } } },
  ];
  const out: Decision[] = [];
  for (let round = 0; round < 2; round++) {
    for (const r of reqs) out.push(await pdp.service.decide(r));
  }
  // An unreadable proof (no trust bundle configured): a fail-closed deny that carries it.
  out.push(await pdp.service.decide(request('web-1', 'db-1'), { mtlsChain: 'not a PEM' }));
  out.push(failed(request('a', 'b'), '01J0000000000000000000000', NOW, 'no-policies', 'none'));
  return out;
}

describe('decisionJson', () => {
  it('gives exactly the bytes JSON.stringify gives, for every kind of decision', async () => {
    const all = await decisions();
    const reasons = new Set(all.map((d) => d.reason));
    expect([...reasons].sort()).toEqual(['allowed', 'environment-mismatch', 'missing-attribute',
      'no-policies', 'proof-invalid', 'subject-unknown', 'subject-unowned']);
    expect(all.some((d) => d.proof !== undefined)).toBe(true);
    expect(all.some((d) => d.errors.length > 0)).toBe(true);
    for (const d of all) expect(decisionJson(d)).toBe(JSON.stringify(d));
  });

  it('answers over HTTP with exactly the bytes of the AuthZEN answer, in both forms', async () => {
    const all = await decisions();
    expect(all.some((d) => d.facts.some((f) => f.name.startsWith('claimed.')))).toBe(true);
    for (const d of all) {
      for (const form of ['compact', 'full'] as const) {
        expect(answerJson(d, form)).toBe(JSON.stringify(decisionAnswer(d, form)));
      }
    }
  });

  it('reuses the shared parts of repeated decisions without changing them', async () => {
    const all = await decisions();
    // Two rounds of the same requests, then two fail-closed denies.
    const [first, again] = [all[0], all[(all.length - 2) / 2]];
    expect(again!.id).not.toBe(first!.id);
    expect(again!.policies).toBe(first!.policies);
    expect(again!.facts[0]).toBe(first!.facts[0]);
    expect(decisionJson(again!)).toBe(JSON.stringify(again));
  });

  it('answers a reused decision from its kept text, and only while every part is the same',
    async () => {
      const text = JSON.stringify(request('web-1', 'db-1'));
      const parse = (t: string) => JSON.parse(t) as ReturnType<typeof request>;
      const first = (await pdp.service.decideText(text, parse)).decision;
      const again = (await pdp.service.decideText(text, parse)).decision;
      expect(again.facts).toBe(first.facts);
      expect(again.id).not.toBe(first.id);
      for (const form of ['compact', 'full'] as const) {
        for (const d of [first, again]) {
          const expected = JSON.stringify(decisionAnswer(d, form));
          expect(answerText(d, form)).toEqual({ text: expected,
            bytes: Buffer.byteLength(expected) });
        }
      }
      // Same facts list, another message or outcome: not the kept text.
      const other: Decision = { ...again, message: `${again.message} ü`, decision: false,
        reason: 'no-permit' };
      expect(answerJson(other, 'compact'))
        .toBe(JSON.stringify(decisionAnswer(other, 'compact')));
      expect(answerJson(again, 'compact')).toBe(JSON.stringify(decisionAnswer(again, 'compact')));
    });

  it('makes the log body as the log reader parses it', async () => {
    const req = request('web-1', 'db-1');
    const d = await pdp.service.decide(req);
    const body = JSON.parse(logBodyJson(redactRequest(req), d)) as Record<string, unknown>;
    expect(body).toEqual(JSON.parse(JSON.stringify({ request: req, decision: d })));
  });
});
