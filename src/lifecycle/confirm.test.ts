import { describe, expect, it } from 'vitest';
import type { InventoryRecord } from '../model/record.js';
import { record } from '../../test/helpers/records.js';
import { advancePlan, confirmationOf } from './confirm.js';
import { computePlan } from './offboarding-plan.js';

const RETIRED_AT = '2026-12-02T07:00:00.000Z';
const user = (asOf: string, passwordEnabled: boolean) => record('idn_u', 'identity',
  [{ type: 'aws-arn', value: 'arn:aws:iam::111122223333:user/svc' }],
  { name: 'svc', passwordEnabled }, [{ asOf, format: 'aws-credential-report' }]);
const key = (asOf: string, active: boolean, status: 'present' | 'missing' = 'present') =>
  record('crd_k', 'credential', [{ type: 'aws-credential-slot', value: 's' }],
    { name: 'svc access key 1', credentialType: 'access-key', active },
    [{ asOf, format: 'aws-credential-report', status,
      missingSince: status === 'missing' ? asOf : undefined, runId: `run_${asOf.slice(0, 10)}` }]);
const host = record('ast_h', 'asset', [{ type: 'aws-instance-id', value: 'i-0aaa1111bbbb2222c' }],
  { name: 'h-1', lifecycle: 'retired' });

function planWith(records: InventoryRecord[]) {
  const byId = new Map(records.map((r) => [r.id, r] as const));
  const g = {
    record: (id: string) => byId.get(id),
    identitiesOn: () => ['idn_u'],
    assetsOf: () => ['ast_h'],
    credentialsOf: () => ['crd_k'],
    credentialsNaming: () => [],
  };
  return computePlan('ast_h', g, { dimension: 'lifecycle', from: 'in-service', to: 'retired',
    source: 'cmdb', asOf: RETIRED_AT }, { now: '2026-12-02T08:00:00.000Z', dueDays: 7 });
}

describe('confirming offboarding actions', () => {
  it('takes a later run showing the key inactive as confirmation, naming that run', () => {
    expect(confirmationOf(key('2026-12-03T06:00:00.000Z', false), RETIRED_AT)).toEqual({
      source: 'aws', format: 'aws-credential-report', runId: 'run_2026-12-03',
      asOf: '2026-12-03T06:00:00.000Z', field: 'active', value: false });
  });

  it('does not count a key that was already inactive before the retirement', () => {
    expect(confirmationOf(key('2026-11-30T06:00:00.000Z', false), RETIRED_AT)).toBeUndefined();
    expect(confirmationOf(key('2026-12-03T06:00:00.000Z', true), RETIRED_AT)).toBeUndefined();
  });

  it('takes a complete run that no longer lists the key as confirmation', () => {
    expect(confirmationOf(key('2026-12-03T06:00:00.000Z', true, 'missing'), RETIRED_AT))
      .toMatchObject({ field: 'sighting', value: 'missing', asOf: '2026-12-03T06:00:00.000Z' });
  });

  it('confirms the user once its keys are revoked and it has no console password', () => {
    const before = '2026-11-30T06:00:00.000Z';
    const plan = planWith([host, user(before, false), key(before, true)]);
    const later = new Map<string, InventoryRecord>([
      ['crd_k', key('2026-12-03T06:00:00.000Z', false)],
      ['idn_u', user('2026-12-03T06:00:00.000Z', false)],
    ]);
    const step = advancePlan(plan, (id) => later.get(id), '2026-12-03T07:00:00.000Z');
    expect(step.plan.state).toBe('completed');
    expect(step.plan.completedAt).toBe('2026-12-03T07:00:00.000Z');
    expect(step.changed.map((a) => [a.type, a.state, a.confirmation?.field])).toEqual([
      ['aws-access-key.deactivate-delete', 'confirmed', 'active'],
      ['aws-iam-user.disable', 'confirmed', 'passwordEnabled'],
    ]);
  });

  it('keeps the user open while it can still sign in, and marks it overdue when late', () => {
    const before = '2026-11-30T06:00:00.000Z';
    const plan = planWith([host, user(before, true), key(before, true)]);
    const later = new Map<string, InventoryRecord>([
      ['crd_k', key('2026-12-03T06:00:00.000Z', false)],
      ['idn_u', user('2026-12-03T06:00:00.000Z', true)],
    ]);
    const early = advancePlan(plan, (id) => later.get(id), '2026-12-03T07:00:00.000Z');
    expect(early.plan.state).toBe('open');
    expect(early.plan.actions.map((a) => a.state)).toEqual(['confirmed', 'planned']);
    const late = advancePlan(early.plan, (id) => later.get(id), '2026-12-10T00:00:00.000Z');
    expect(late.changed.map((a) => [a.type, a.state]))
      .toEqual([['aws-iam-user.disable', 'overdue']]);
    const again = advancePlan(late.plan, (id) => later.get(id), '2026-12-11T00:00:00.000Z');
    expect(again.changed).toEqual([]);
  });

  it('completes a plan with nothing to revoke at once', () => {
    const empty = { ...planWith([host]), actions: [] };
    const step = advancePlan(empty, () => undefined, '2026-12-02T09:00:00.000Z');
    expect(step.plan.state).toBe('completed');
  });
});
