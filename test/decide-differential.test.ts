import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import type { PolicySet } from '../src/decide/cedar/policy-set.js';
import type { Decision } from '../src/decide/decision.js';
import { openDecideApp, type DecideApp } from '../src/decide-app.js';
import { ThreadedDecisionLog } from '../src/store/sqlite/decision-log-thread.js';
import {
  cmdb, cmdbRows, ingestRows, NOW, openEstate, request, WORKLOAD,
} from './helpers/decide-estate.js';

/*
 * The whole decision path (lookup, enrichment, cached views, explanation) with the compiled
 * evaluator against the same path with cedar-wasm evaluating every policy: same decisions,
 * same reasons, same deciding policies, same facts.
 */

let app: App;
let pdp: DecideApp;
let now = NOW;

beforeEach(async () => {
  app = await openEstate();
  now = NOW;
  pdp = await openDecideApp(app, { clock: { now: () => now } });
});
afterEach(async () => {
  pdp.close();
  await app.close();
});

const NAMES = ['web-1', 'db-1', 'vault-1', 'nocrit-1', 'orphan-1', 'bobs-1', 'dev-1',
  'i-0aaa1111bbbb2222c', 'i-0ddd1111bbbb2222c', 'web1', WORKLOAD, 'hostname:web-1',
  'spiffe://example.org/ns/prod/sa/other', 'nobody', 'WEB-1'];
const ACTIONS = ['read', 'write', 'delete', 'execute', 'connect', 'admin', 'rename'];

/** A decision without what differs by construction: id, time, engine, error wording. */
function comparable(d: Decision) {
  const { id: _id, at: _at, engine: _engine, errors, ...rest } = d;
  return { ...rest, errors: errors.map((e) => e.policyId) };
}

describe('decisions with the compiled evaluator and with cedar-wasm', () => {
  it('are the same for random requests over the example estate', async () => {
    const set = pdp.service.policies!;
    expect(set.compiled).toBeDefined();
    const reference: PolicySet = { ...set, compiled: undefined };
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...NAMES), fc.constantFrom(...NAMES), fc.constantFrom(...ACTIONS),
      fc.constantFrom('workload', 'host', 'user'),
      fc.option(fc.record({ environment: fc.constantFrom('production', 'dev'),
        criticality: fc.constantFrom('low', 'critical') }, { requiredKeys: [] }),
      { nil: undefined }),
      async (subject, resource, action, type, properties) => {
        const req = {
          subject: { type, id: subject, ...(properties ? { properties } : {}) },
          action: { name: action },
          resource: { type: 'host', id: resource, ...(properties ? { properties } : {}) },
        };
        pdp.service.usePolicies({ ok: true, set });
        const compiled = await pdp.service.decide(req);
        pdp.service.usePolicies({ ok: true, set: reference });
        const wasm = await pdp.service.decide(req);
        pdp.service.usePolicies({ ok: true, set });
        expect(compiled.engine).toBe('compiled');
        expect(wasm.engine).toBe('cedar-wasm');
        expect(comparable(compiled)).toEqual(comparable(wasm));
      }), { numRuns: 120 });
  });
});

describe('reused views and explanations', () => {
  it('never outlive the facts: a subject turns stale past its freshness window', async () => {
    expect((await pdp.service.decide(request('web-1', 'db-1'))).reason).toBe('allowed');
    now = '2026-12-04T12:00:00.000Z';
    const d = await pdp.service.decide(request('web-1', 'db-1'));
    expect(d.reason).toBe('subject-stale');
    expect(d.facts.find((f) => f.name === 'freshness')?.text).toMatch(/4 day\(s\) ago/);
  });

  it('never outlive the facts: a new owner status reaches the next decision', async () => {
    expect((await pdp.service.decide(request('web-1', 'db-1'))).decision).toBe(true);
    const rows = cmdbRows({ web1: { owner: 'Bob Old' } });
    await ingestRows(app, cmdb, rows, '2026-12-01T00:00:00.000Z');
    const d = await pdp.service.decide(request('web-1', 'db-1'));
    expect(d.reason).toBe('subject-owner-inactive');
    expect(d.facts.find((f) => f.name === 'ownerStatus')?.value).toBe('inactive');
  });

  it('differ by the name a request used: the match is explained per name', async () => {
    const byName = await pdp.service.decide(request('web-1', 'db-1'));
    const byId = await pdp.service.decide(request('i-0aaa1111bbbb2222c', 'db-1'));
    const known = (d: Decision) =>
      d.facts.find((f) => f.entity === 'subject' && f.name === 'known');
    expect(known(byName)?.text).toMatch(/matched by key hostname:web-1/);
    expect(known(byId)?.text).toMatch(/matched by key aws-instance-id:i-0aaa1111bbbb2222c/);
  });
});

describe('the threaded decision log', () => {
  it('keeps every decision with the body the caller got, readable at once', async () => {
    expect(pdp.log).toBeInstanceOf(ThreadedDecisionLog);
    const made: Decision[] = [];
    for (const name of NAMES) made.push(await pdp.service.decide(request(name, 'db-1')));
    const rows = pdp.log.list({ limit: 100 });
    expect(rows.map((r) => r.id)).toEqual(made.map((d) => d.id).reverse());
    for (const d of made) {
      const row = rows.find((r) => r.id === d.id)!;
      expect(row.body['decision']).toEqual(JSON.parse(JSON.stringify(d)));
      expect(row.body['request']).toMatchObject({ subject: { id: d.subject.id } });
    }
  });

  it('keeps text of any size and script as it was, across full batches', async () => {
    const long = 'a\u00e9\u2713\ud83d\udd11'.repeat(40_000); // 240,000 UTF-16 units, 400 kB
    const odd = await pdp.service.decide({ ...request('web-1', 'db-1'), context: { note: long },
      subject: { type: 'host', id: 'h\u00f6st-\u2713' } });
    const many: Decision[] = [];
    for (let i = 0; i < 1200; i++) many.push(await pdp.service.decide(request('web-1', `db-${i}`)));
    const row = pdp.log.list({ subject: 'h\u00f6st-\u2713', limit: 1 })[0]!;
    expect(row.id).toBe(odd.id);
    expect((row.body['request'] as { context: { note: string } }).context.note).toBe(long);
    expect(pdp.log.count()).toBe(1201);
    expect(pdp.log.list({ limit: 1 })[0]!.id).toBe(many.at(-1)!.id);
  });

  it('has written everything when the decision point closes', async () => {
    for (let i = 0; i < 50; i++) await pdp.service.decide(request('web-1', `db-${i}`));
    pdp.close();
    const db = new Database(app.dbPath, { readonly: true });
    const count = db.prepare('SELECT COUNT(*) FROM decisions').pluck().get();
    db.close();
    expect(count).toBe(50);
    pdp = await openDecideApp(app, { clock: { now: () => now } });
  });
});
