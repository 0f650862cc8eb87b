import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../helpers/decide-estate.js';
import { startDecideServer, type DecideHarness } from '../decide/harness.js';

interface Fact {
  entity: string; name: string; value: unknown; source: string; field: string;
  asOf: string | null; text?: string;
}
interface Answer { decision: boolean; context: { id: string; reason: string; facts: Fact[] } }

let h: DecideHarness;
beforeAll(async () => {
  h = await startDecideServer();
});
afterAll(async () => h.close());

const FRESHNESS = {
  entity: 'subject', name: 'freshness', value: 'fresh', source: 'aws',
  field: 'sighting in aws:111122223333:eu-west-1 (fake-ec2)', asOf: '2026-11-30T06:00:00.000Z',
};

describe('the evaluation answer', () => {
  it('is compact by default: every fact with source, field and as-of time, no sentence',
    async () => {
      const res = await h.rs.server.inject({ method: 'POST', url: '/access/v1/evaluation',
        payload: request('web-1', 'db-1'), headers: h.auth('decide') });
      const body = res.json() as Answer;
      expect(body.decision).toBe(true);
      expect(body.context.facts.find((f) => f.name === 'freshness')).toEqual(FRESHNESS);
      expect(body.context.facts.every((f) => f.text === undefined)).toBe(true);
      expect(body.context).toMatchObject({ reason: 'allowed', reasons: ['allowed'],
        reason_admin: { en: expect.stringMatching(/^allowed by allow-sufficient-trust-tier/) },
        policies: [{ id: 'allow-sufficient-trust-tier', effect: 'permit', reason: 'allowed' }] });
      expect(res.payload.length).toBeLessThan(2200);
    });

  it('gives each fact in words with context.explain "full", deciding the same', async () => {
    const { json } = await h.post('/access/v1/evaluation',
      { ...request('web-1', 'db-1'), context: { explain: 'full' } });
    const body = json as unknown as Answer;
    expect(body.decision).toBe(true);
    expect(body.context.facts.find((f) => f.name === 'freshness')).toEqual({ ...FRESHNESS,
      text: 'subject web-1 was last seen 1 day(s) ago by aws; its class allows 2 (fresh)' });
    expect(body.context.facts.every((f) => typeof f.text === 'string')).toBe(true);
  });

  it('keeps the full explanation in the decision log, found by the answer id', async () => {
    const { json } = await h.post('/access/v1/evaluation', request('orphan-1', 'web-1'));
    const body = json as unknown as Answer;
    expect(body.context.reason).toBe('subject-unowned');
    const logged = await h.rs.server.inject({
      url: `/api/v1/decisions/${body.context.id}`, headers: h.auth('read') });
    const facts = (logged.json() as { facts: Fact[] }).facts;
    expect(facts.map((f) => f.text)).toContain(
      'subject orphan-1 has no accountable owner in any source per roster');
  });

  it('in evaluations, takes explain from the defaults or the item', async () => {
    const { json } = await h.post('/access/v1/evaluations', {
      context: { explain: 'full' },
      evaluations: [request('web-1', 'db-1'), { ...request('web-1', 'db-1'), context: {} }],
    });
    const items = (json as { evaluations: Answer[] }).evaluations;
    expect(items.map((i) => i.context.facts.every((f) => typeof f.text === 'string')))
      .toEqual([true, false]);
  });
});
