import { describe, expect, it } from 'vitest';
import type { InventoryRecord } from '../model/record.js';
import { record } from '../../test/helpers/records.js';
import { computePlan, refreshPlan, type PlanGraph } from './offboarding-plan.js';
import type { PlanTrigger } from './plan-types.js';

const NOW = '2026-12-02T08:00:00.000Z';
const trigger: PlanTrigger = { dimension: 'lifecycle', from: 'in-service', to: 'retired',
  source: 'cmdb', asOf: '2026-12-02T07:00:00.000Z', runId: 'run_1' };
const arn = (kind: string, name: string) =>
  ({ type: 'aws-arn', value: `arn:aws:iam::111122223333:${kind}/${name}` }) as const;

const web = record('ast_web', 'asset', [{ type: 'aws-instance-id', value: 'i-0aaa1111bbbb2222c' }],
  { name: 'web-1', lifecycle: 'retired' });
const api = record('ast_api', 'asset', [{ type: 'aws-instance-id', value: 'i-0ccc3333dddd4444e' }],
  { name: 'api-1', lifecycle: 'in-service' });
const old = record('ast_old', 'asset', [{ type: 'aws-instance-id', value: 'i-0eee5555ffff6666a' }],
  { name: 'old-1', lifecycle: 'retired' });
const deployer = record('idn_dep', 'identity', [arn('user', 'deployer')], { name: 'deployer' });
const shared = record('idn_shr', 'identity', [arn('role', 'shared')], { name: 'shared-role' });
const sa = record('idn_sa', 'identity', [{ type: 'k8s-ref', value: 'prod/web/ServiceAccount/web' }],
  { name: 'web', class: 'k8s-service-account' });
const key1 = record('crd_k1', 'credential', [{ type: 'aws-credential-slot', value: 'slot1' }],
  { name: 'deployer access key 1', credentialType: 'access-key', active: true });
const gone = record('crd_k2', 'credential', [{ type: 'aws-credential-slot', value: 'slot2' }],
  { name: 'deployer access key 2', credentialType: 'access-key', active: false },
  [{ status: 'missing', missingSince: '2026-11-01T00:00:00.000Z' }]);
const cert = record('crd_c1', 'credential', [{ type: 'x509-sha256', value: 'ab12' }],
  { name: 'CN=web-1', credentialType: 'x509-certificate', serialNumber: '0F' },
  [{ source: 'x509' }]);
const tokenRef = { type: 'k8s-ref', value: 'prod/web/Secret/web-token' } as const;
const token = record('crd_t1', 'credential', [tokenRef],
  { name: 'web-token', class: 'k8s-secret', credentialType: 'token' }, [{ source: 'k8s' }]);
const entry = record('crd_e1', 'credential', [{ type: 'key-id', value: 'entry-1' }],
  { name: 'spire entry 1', class: 'spire-entry' }, [{ source: 'spire' }]);
const lease = record('crd_v1', 'credential', [{ type: 'key-id', value: 'acc-9' }],
  { name: 'vault token', class: 'vault-token' }, [{ source: 'vault' }]);

/** A graph from lists of edges. */
function graph(records: InventoryRecord[], edges: {
  runsOn?: [string, string][]; belongs?: [string, string][]; names?: [string, string][];
}): PlanGraph {
  const byId = new Map(records.map((r) => [r.id, r] as const));
  const pick = (list: [string, string][] | undefined, i: 0 | 1, v: string, o: 0 | 1) =>
    (list ?? []).filter((e) => e[i] === v).map((e) => e[o]);
  return {
    record: (id) => byId.get(id),
    identitiesOn: (a) => pick(edges.runsOn, 1, a, 0),
    assetsOf: (i) => pick(edges.runsOn, 0, i, 1),
    credentialsOf: (i) => pick(edges.belongs, 1, i, 0),
    credentialsNaming: (x) => pick(edges.names, 1, x, 0),
  };
}

const all = [web, api, old, deployer, shared, sa, key1, gone, cert, token, entry, lease];
const options = { now: NOW, dueDays: 7 };

describe('offboarding plans', () => {
  it('revokes what acts only from the retired asset and flags what still serves a live one', () => {
    const g = graph(all, {
      runsOn: [['idn_dep', 'ast_web'], ['idn_shr', 'ast_web'], ['idn_shr', 'ast_api'],
        ['idn_sa', 'ast_web'], ['idn_sa', 'ast_old']],
      belongs: [['crd_k1', 'idn_dep'], ['crd_k2', 'idn_dep'], ['crd_t1', 'idn_sa']],
      names: [['crd_c1', 'ast_web'], ['crd_e1', 'ast_web'], ['crd_v1', 'ast_web']],
    });
    const plan = computePlan('ast_web', g, trigger, options);
    expect(plan.actions.map((a) => [a.type, a.target.name])).toEqual([
      ['aws-access-key.deactivate-delete', 'deployer access key 1'],
      ['aws-iam-user.disable', 'deployer'],
      ['k8s-token.delete', 'web-token'],
      ['k8s-service-account.delete', 'web'],
      ['certificate.revoke', 'CN=web-1'],
      ['spire-entry.delete', 'spire entry 1'],
      ['vault-lease.revoke-by-accessor', 'vault token'],
    ]);
    // The shared role also runs on api-1, which is live; old-1 is retired too, so the SA goes.
    expect(plan.shared).toEqual([{ recordId: 'idn_shr', name: 'shared-role',
      alsoServes: [{ id: 'ast_api', name: 'api-1' }] }]);
    const due = '2026-12-09T08:00:00.000Z';
    expect(plan.actions.every((a) => a.state === 'planned' && a.dueAt === due)).toBe(true);
    const sent = plan.actions[0]!;
    expect(sent.via).toBe('idn_dep');
    expect(sent.target.details).toMatchObject({ credentialSlot: 'slot1', userName: 'deployer',
      userArn: 'arn:aws:iam::111122223333:user/deployer' });
    expect(plan.actions[3]!.target.details).toMatchObject({ cluster: 'prod', namespace: 'web',
      k8sKind: 'ServiceAccount', k8sName: 'web' });
    expect(plan.actions[6]!.target.details).toMatchObject({ accessor: 'acc-9' });
  });

  it('gives stable ids: the same move planned twice has the same plan and action keys', () => {
    const g = graph(all, { runsOn: [['idn_dep', 'ast_web']], belongs: [['crd_k1', 'idn_dep']] });
    const a = computePlan('ast_web', g, trigger, options);
    const b = computePlan('ast_web', g, trigger, { now: '2026-12-05T00:00:00.000Z', dueDays: 1 });
    expect(b.id).toBe(a.id);
    expect(b.actions.map((x) => x.id)).toEqual(a.actions.map((x) => x.id));
  });

  it('plans an identity of its own: its credentials, then the identity', () => {
    const g = graph(all, { belongs: [['crd_k1', 'idn_dep']] });
    const plan = computePlan('idn_dep', g, { ...trigger, to: 'decommissioning' }, options);
    expect(plan.actions.map((a) => a.type)).toEqual(
      ['aws-access-key.deactivate-delete', 'aws-iam-user.disable']);
    expect(plan.actions[1]!.reason).toBe('deployer is leaving');
  });

  it('adds what a later run finds and keeps the state of what it had', () => {
    const before = graph(all, { runsOn: [['idn_dep', 'ast_web']] });
    const plan = computePlan('ast_web', before, trigger, options);
    const done = plan.actions.map((a) => ({ ...a, state: 'confirmed' as const }));
    const confirmed = { ...plan, actions: done };
    const after = graph(all, {
      runsOn: [['idn_dep', 'ast_web']],
      belongs: [['crd_k1', 'idn_dep']],
    });
    const next = refreshPlan(confirmed, after, { now: '2026-12-03T00:00:00.000Z', dueDays: 7 });
    expect(next.actions.map((a) => [a.type, a.state])).toEqual([
      ['aws-iam-user.disable', 'confirmed'],
      ['aws-access-key.deactivate-delete', 'planned'],
    ]);
    expect(refreshPlan(next, after, options)).toBe(next);
  });
});
