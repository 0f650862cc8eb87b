import { decodeTime } from 'ulid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { openDecideApp, type DecideApp } from '../src/decide-app.js';
import { fixedClock } from '../src/model/time.js';
import { aws, cmdb, cmdbRows, ingestRows, NOW, openEstate, request } from './helpers/decide-estate.js';
import { fakeFormat } from './helpers/fake-format.js';

let app: App;
let pdp: DecideApp;

beforeEach(async () => {
  app = await openEstate();
  pdp = await openDecideApp(app, { clock: fixedClock(NOW) });
});
afterEach(async () => {
  pdp.close();
  await app.close();
});

describe('decisions on a small estate', () => {
  it('allows an admitted, owned, fresh subject with a sufficient trust tier', async () => {
    const d = await pdp.service.decide(request('i-0aaa1111bbbb2222c', 'db-1'));
    expect(d.reason).toBe('allowed');
    expect(d.decision).toBe(true);
    expect(d.policies.map((p) => p.id)).toEqual(['allow-sufficient-trust-tier']);
    const tier = d.facts.find((f) => f.entity === 'subject' && f.name === 'trustTier');
    expect(tier?.value).toBe(2);
    const fresh = d.facts.find((f) => f.entity === 'subject' && f.name === 'freshness');
    expect(fresh).toMatchObject({ value: 'fresh', source: 'aws', asOf: '2026-11-30T06:00:00.000Z' });
  });

  it('denies a subject Roster has never seen', async () => {
    const d = await pdp.service.decide(request('i-0fff1111bbbb2222c', 'db-1'));
    expect(d.decision).toBe(false);
    expect(d.reason).toBe('subject-unknown');
  });

  it('denies a retired subject on the very next decision after the CMDB says so', async () => {
    expect((await pdp.service.decide(request('web-1', 'db-1'))).decision).toBe(true);
    await ingestRows(app, cmdb, cmdbRows({ web1: { admission: 'retired', lifecycle: 'retired' } }),
      '2026-12-01T00:00:00.000Z');
    const d = await pdp.service.decide(request('web-1', 'db-1'));
    expect(d.decision).toBe(false);
    expect(d.reason).toBe('subject-retired');
  });

  it('denies unowned and inactive-owner subjects', async () => {
    expect((await pdp.service.decide(request('orphan-1', 'web-1'))).reason).toBe('subject-unowned');
    expect((await pdp.service.decide(request('bobs-1', 'web-1'))).reason).toBe('subject-owner-inactive');
  });

  it('keeps production resources from non-production subjects', async () => {
    const d = await pdp.service.decide(request('dev-1', 'web-1'));
    expect(d.reasons).toContain('environment-mismatch');
  });

  it('denies with missing-attribute when the resource has no criticality', async () => {
    const d = await pdp.service.decide(request('web-1', 'nocrit-1'));
    expect(d.reason).toBe('missing-attribute');
    expect(d.facts[0]?.text).toMatch(/no criticality/);
  });

  it('never lets a claimed property fill a fact the inventory lacks (DESIGN rule 6)', async () => {
    const claim = { ...request('web-1', 'nocrit-1'),
      resource: { type: 'host', id: 'nocrit-1', properties: { criticality: 'low' } } };
    const d = await pdp.service.decide(claim);
    expect(d.decision).toBe(false);
    expect(d.reason).toBe('missing-attribute');
    const ignored = d.facts.find((f) => f.name === 'claimed.criticality');
    expect(ignored).toMatchObject({ entity: 'resource', value: 'low', source: 'request',
      field: 'resource.properties.criticality' });
    expect(d.message).toMatch(/ignored the request's claim resource\.properties\.criticality = low/);
  });

  it('gives an unknown party no trust from what the request claims of it', async () => {
    const claim = { ...request('i-0fff1111bbbb2222c', 'db-1'),
      subject: { type: 'host', id: 'i-0fff1111bbbb2222c',
        properties: { admission: 'approved', trustTier: 3, environment: 'production' } } };
    const d = await pdp.service.decide(claim);
    expect(d.decision).toBe(false);
    expect(d.reason).toBe('subject-unknown');
    expect(d.facts.find((f) => f.entity === 'subject' && f.name === 'trustTier')?.value).toBe(0);
    expect(d.facts.filter((f) => f.source === 'request').map((f) => f.name))
      .toEqual(['claimed.admission', 'claimed.trustTier', 'claimed.environment']);
  });

  it('logs every decision with a sortable id', async () => {
    const a = await pdp.service.decide(request('web-1', 'db-1'));
    const b = await pdp.service.decide(request('nobody', 'db-1'));
    expect(b.id > a.id).toBe(true);
    const rows = pdp.log.list();
    expect(rows.map((r) => r.id)).toEqual([b.id, a.id]);
    expect(rows[1]).toMatchObject({ decision: true, reason: 'allowed', subjectId: 'web-1' });
  });
});

describe('stale subjects', () => {
  it('denies a subject whose newest discovery sighting is older than its class window', async () => {
    const later = await openDecideApp(app, { clock: fixedClock('2026-12-04T12:00:00.000Z') });
    const d = await later.service.decide(request('web-1', 'db-1'));
    later.close();
    expect(d.reason).toBe('subject-stale');
    expect(d.facts.find((f) => f.name === 'freshness')?.text).toMatch(/4 day\(s\) ago/);
  });
});

describe('an inventory older than decide.maxStalenessHours', () => {
  // The estate's newest source runs are as of 2026-11-30T06:00Z: 30 hours before NOW.
  const staleAfter = (app: App, hours: number): App =>
    ({ ...app, config: { ...app.config, decide: { ...app.config.decide, maxStalenessHours: hours } } });

  it('is denied until a source lists records again; Roster\'s own runs and empty ones do not count', async () => {
    pdp.close();
    pdp = await openDecideApp(staleAfter(app, 24), { clock: fixedClock(NOW) });
    const ask = () => pdp.service.decide(request('web-1', 'db-1'));
    expect((await ask()).reason).toBe('inventory-stale');
    // An admission Roster records itself, dated now: it says nothing of the estate.
    const admission = fakeFormat('roster-admission', 'roster', true);
    await ingestRows(app, admission, cmdbRows().slice(0, 1), NOW);
    expect((await ask()).reason).toBe('inventory-stale');
    // A source run that lists nothing (an empty export) does not make the estate fresh either.
    await ingestRows(app, aws, [], NOW);
    expect((await ask()).reason).toBe('inventory-stale');
    await ingestRows(app, cmdb, cmdbRows(), '2026-12-01T06:00:00.000Z');
    const d = await ask();
    expect(d.reason).toBe('allowed');
    expect(pdp.service.status.newestRunAsOf).toBe('2026-12-01T06:00:00.000Z');
  });
});

describe('decision ids', () => {
  it('sort by when the decision was made, whatever instant it was decided at', async () => {
    const before = Date.now();
    const d = await pdp.service.decide(request('web-1', 'db-1'));
    expect(d.at).toBe(NOW);
    const made = decodeTime(d.id);
    expect(made).toBeGreaterThanOrEqual(before);
    expect(made).toBeLessThanOrEqual(Date.now());
  });
});
