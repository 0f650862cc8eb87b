import { describe, expect, it } from 'vitest';
import { changeEvent } from './cloudevents.js';
import { evidenceOf } from './evidence.js';
import type { OffboardingPlan } from './plan-types.js';

describe('CloudEvents and evidence', () => {
  it('maps a change event to a CloudEvents 1.0 structured event', () => {
    const ce = changeEvent({ seq: 7, at: '2026-12-02T07:00:00.000Z', type: 'record.changed',
      subjectId: 'ast_1', runId: 'run_1', data: { fields: ['lifecycle'] } }, '/roster');
    expect(ce).toEqual({ specversion: '1.0', id: 'evt-7', source: '/roster',
      type: 'dev.roster.record.changed', subject: 'ast_1', time: '2026-12-02T07:00:00.000Z',
      datacontenttype: 'application/json', rosterseq: 7,
      data: { fields: ['lifecycle'], runId: 'run_1' } });
    // Extension attribute names: lower-case letters and digits only (CloudEvents 1.0, 3.1.1).
    for (const k of Object.keys(ce)) expect(k).toMatch(/^[a-z0-9]+$/);
  });

  it('says only what it found when nothing was found to revoke', () => {
    const plan: OffboardingPlan = { id: 'pln_1', subject: { id: 'ast_1', kind: 'asset',
      name: 'ftp-1', keys: [] }, trigger: { dimension: 'lifecycle', from: 'in-service',
      to: 'retired', source: 'roster', asOf: '2026-12-01T14:00:00.000Z', by: 'bob',
      reason: 'unused' }, state: 'completed', createdAt: '2026-12-01T14:00:00.000Z',
      completedAt: '2026-12-01T14:00:00.000Z', actions: [], shared: [] };
    const e = evidenceOf(plan, '2026-12-01T15:00:00.000Z');
    // Never "nothing was left behind": an export read later may reveal a key (and reopen it).
    expect(e.summary).toBe('ftp-1 went retired per roster by bob as of 2026-12-01T14:00:00.000Z; ' +
      'no identity, credential, certificate or SPIRE entry of it was found as of ' +
      '2026-12-01T14:00:00.000Z');
    expect(e.retired).toMatchObject({ by: 'bob', reason: 'unused',
      transition: 'lifecycle in-service → retired' });
  });
});
