import { describe, expect, it } from 'vitest';
import { RosterError } from '../model/errors.js';
import { record } from '../../test/helpers/records.js';
import {
  checkDecision,
  checkDecisionText,
  decisionObservation,
  rosterFormat,
} from './decisions.js';

const instance = { type: 'aws-instance-id', value: 'i-0abc1234def567890' } as const;
const unknownHost = record('ast_1', 'asset', [instance, { type: 'hostname', value: 'web-1' }],
  { name: 'web-1', runState: 'running' });
const approvedHost = record('ast_2', 'asset', [instance],
  { name: 'web-2', admission: 'approved', lifecycle: 'in-service' },
  [{ source: 'cmdb', systemOfRecord: true }]);
const retiredHost = record('ast_3', 'asset', [instance],
  { name: 'web-3', admission: 'retired', lifecycle: 'retired' },
  [{ source: 'cmdb', systemOfRecord: true }]);
const actor = { by: 'alice', at: '2026-12-01T10:00:00.000Z', reason: 'ticket CHG-1' };

function refusal(fn: () => void): RosterError {
  try {
    fn();
  } catch (err) {
    if (err instanceof RosterError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('operator decisions', () => {
  it('refuses to admit what is already approved, with a clear error', () => {
    const admit = { type: 'admit', owner: 'a', purpose: 'b' } as const;
    const e = refusal(() => checkDecision(approvedHost, admit));
    expect(e.code).toBe('ILLEGAL_TRANSITION');
    expect(e.message).toBe('web-2 (ast_2): refused: it is already approved');
  });

  it('refuses to bring a retired thing back into service', () => {
    const e = refusal(() => checkDecision(retiredHost, { type: 'transition', to: 'in-service' }));
    expect(e.message).toBe(
      'web-3 (ast_3): refused: retired is final; a returning thing is admitted as a new one');
  });

  it('rejects only unknown things and asks for an owner and a purpose on admission', () => {
    expect(refusal(() => checkDecision(approvedHost, { type: 'reject' })).message)
      .toContain('only unknown things are rejected');
    const blank = { type: 'admit', owner: ' ', purpose: 'x' } as const;
    expect(refusal(() => checkDecision(unknownHost, blank)).code)
      .toBe('BAD_INPUT');
    expect(() => checkDecision(unknownHost, { type: 'reject' })).not.toThrow();
  });

  it('writes an admission as a roster observation keyed by strong keys, with its owner', () => {
    const [obs, owner] = decisionObservation(unknownHost,
      { type: 'admit', owner: 'Platform Team', purpose: 'web front end' }, actor);
    expect(obs).toMatchObject({
      kind: 'asset', sourceId: 'ast_1', scope: 'roster', keys: [instance],
      attributes: { admission: 'approved', owner: 'Platform Team', purpose: 'web front end',
        'roster.by': 'alice', 'roster.reason': 'ticket CHG-1', 'roster.decision': 'admit',
        'roster.admittedAt': '2026-12-01T10:00:00.000Z' },
      relations: [{ type: 'owned-by', target: { type: 'owner', value: 'platform team' } }],
    });
    expect(owner).toMatchObject({ kind: 'owner', keys: [{ type: 'owner', value: 'platform team' }],
      attributes: { ownerType: 'team' } });
  });

  it('keeps what earlier decisions said when a later one changes the stage', () => {
    const [obs] = decisionObservation(approvedHost, { type: 'transition', to: 'retired' },
      { by: 'bob', at: '2026-12-02T00:00:00.000Z' },
      { owner: 'Platform Team', purpose: 'web', admission: 'approved' });
    expect(obs!.attributes).toMatchObject({ owner: 'Platform Team', purpose: 'web',
      lifecycle: 'retired', admission: 'retired', 'roster.by': 'bob', 'roster.reason': null });
  });

  it('rejection starts decommissioning', () => {
    const [obs] = decisionObservation(unknownHost, { type: 'reject' }, actor);
    expect(obs!.attributes).toMatchObject({ admission: 'retired', lifecycle: 'decommissioning' });
  });

  it('cannot tie a decision to a record with weak keys only', () => {
    const weak = record('ast_9', 'asset', [{ type: 'hostname', value: 'x' }], { name: 'x' });
    expect(refusal(() => decisionObservation(weak, { type: 'reject' }, actor)).message)
      .toContain('has no strong key');
  });

  it('yields its observations as a partial run of the roster source', async () => {
    const [obs] = decisionObservation(unknownHost, { type: 'reject' }, actor);
    const f = rosterFormat('roster-admission', [obs!], actor.at);
    expect(f).toMatchObject({ source: 'roster', systemOfRecord: true });
    const events = [];
    const input = { path: 'x', head: '', open: () => process.stdin };
    for await (const ev of f.parse(input, {})) events.push(ev);
    expect(events[0]).toEqual({ type: 'meta',
      meta: { asOf: actor.at, scopes: ['roster'], complete: false } });
    expect(events[1]).toEqual({ type: 'observation', observation: obs });
  });

  it('refuses a decision whose owner, purpose, reason or actor holds a secret', () => {
    const k = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYEXAMPLEKEY'].join('/');
    const admit = (over: object) => ({ type: 'admit', owner: 'a', purpose: 'b', ...over }) as const;
    const cases: [() => void, string][] = [
      [() => checkDecisionText(admit({ purpose: `AWSSecretKey=${k}` }), actor), 'purpose'],
      [() => checkDecisionText(admit({ owner: 'svc:Hunter2Pass99@db' }), actor), 'owner'],
      [() => checkDecisionText(admit({ reason: 'token: 9f8e7d6c5b4a' }), actor), 'reason'],
      [() => checkDecisionText({ type: 'reject' },
        { ...actor, reason: `AKIAIOSFODNN7EXAMPLE/${k}` }), 'reason'],
      [() => checkDecisionText({ type: 'reject' }, { ...actor, by: 'password=Hunter2Pass99' }),
        'by'],
    ];
    for (const [fn, field] of cases) {
      const e = refusal(fn);
      expect(e.code).toBe('SECRET_REFUSED');
      expect(e.details).toEqual({ field });
      expect(e.message).toMatch(new RegExp(`^${field} looks like .*nothing is recorded`));
      expect(e.message).not.toMatch(/Hunter2|EXAMPLEKEY|9f8e7d6c5b4a/);
    }
    expect(() => checkDecisionText(admit({ reason: 'CHG-1' }), actor)).not.toThrow();
  });

  it('keeps a bulk row\'s own reason with its admission', () => {
    const [obs] = decisionObservation(unknownHost,
      { type: 'admit', owner: 'a', purpose: 'b', reason: 'CHG-9' }, actor);
    expect(obs?.attributes['roster.reason']).toBe('CHG-9');
  });
});
