import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../app.js';
import { advancePlan } from '../../lifecycle/confirm.js';
import { computePlan } from '../../lifecycle/offboarding-plan.js';
import { HostTagIndex, loadPlanGraph } from '../../lifecycle/plan-graph.js';
import type { InventoryRecord } from '../../model/record.js';
import { fixedClock } from '../../model/time.js';
import { ingest } from '../../reconcile/ingest.js';
import { textInput } from '../read-file.js';
import { awsIamCli } from './iam-cli.js';

const ACCOUNT = '210987654321';
const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/svc-billing`;
const BEFORE = '2026-11-30T06:00:00.000Z';
const RETIRED = '2026-12-01T09:00:00.000Z';
const LATER = '2026-12-02T06:00:00.000Z';
const KEY_A = 'AKIAEXAMPLEBILL0000A';
const KEY_B = 'AKIAEXAMPLEBILL0000B';

const users = { Users: [{ UserName: 'svc-billing', Path: '/', UserId: 'AIDAEXAMPLEBILL00001',
  Arn: USER_ARN, CreateDate: '2025-01-05T09:00:00Z' }] };
const keys = (user: string, list: readonly (readonly [string, string])[]) => ({
  AccessKeyMetadata: list.map(([id, status]) => ({ UserName: user, AccessKeyId: id,
    Status: status, CreateDate: '2025-02-01T00:00:00Z' })),
  IsTruncated: false,
});

let app: App;

async function run(doc: unknown, asOf: string, name = 'out.json') {
  return ingest(app.store, awsIamCli, textInput(name, JSON.stringify(doc)), {
    asOf, scope: `aws:${ACCOUNT}`, rules: app.config.precedence, clock: fixedClock(asOf),
  });
}

async function planForUser() {
  const [user] = await app.store.findByKey({ type: 'aws-arn', value: USER_ARN }, 'identity');
  if (!user) throw new Error('no user record');
  const graph = await loadPlanGraph(app.store, user.id, new HostTagIndex(app.store, []));
  return computePlan(user.id, graph, { dimension: 'lifecycle', from: 'in-service',
    to: 'retired', source: 'cmdb', asOf: RETIRED }, { now: RETIRED, dueDays: 7 });
}

async function advance(plan: Awaited<ReturnType<typeof planForUser>>) {
  const records = new Map<string, InventoryRecord>();
  for (const a of plan.actions) {
    const r = await app.store.getRecord(a.target.recordId);
    if (r) records.set(r.id, r);
  }
  return advancePlan(plan, (id) => records.get(id), LATER);
}

beforeEach(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-iam-cli-'));
  writeFileSync(join(dir, 'roster.config.yaml'), '');
  app = await openApp({ db: join(dir, 'roster.db'), config: join(dir, 'roster.config.yaml') });
  await run(users, BEFORE, 'users.json');
  await run(keys('svc-billing', [[KEY_A, 'Active'], [KEY_B, 'Active']]), BEFORE, 'keys.json');
});

afterEach(async () => app.close());

describe('offboarding confirmed by a later list-access-keys run', () => {
  it('plans both keys of the user, found through the user name', async () => {
    const plan = await planForUser();
    expect(plan.actions.map((a) => [a.type, a.target.name]).sort()).toEqual([
      ['aws-access-key.deactivate-delete', `svc-billing access key ${KEY_A}`],
      ['aws-access-key.deactivate-delete', `svc-billing access key ${KEY_B}`],
      ['aws-iam-user.disable', 'svc-billing'],
    ]);
  });

  it('confirms a key shown Inactive and a key no longer listed, then the user', async () => {
    const plan = await planForUser();
    const result = await run(keys('svc-billing', [[KEY_A, 'Inactive']]), LATER, 'keys-2.json');
    expect(result.counts).toMatchObject({ missing: 1 });
    const step = await advance(plan);
    const by = (name: string) => step.plan.actions.find((a) => a.target.name.endsWith(name));
    expect(by(KEY_A)).toMatchObject({ state: 'confirmed', confirmation: { format: 'aws-iam-cli',
      field: 'active', value: false, asOf: LATER } });
    expect(by(KEY_B)).toMatchObject({ state: 'confirmed', confirmation: { field: 'sighting',
      value: 'missing', asOf: LATER } });
    expect(by('svc-billing')).toMatchObject({ state: 'confirmed',
      confirmation: { field: 'credentials', value: 'all revoked' } });
    expect(step.plan.state).toBe('completed');
  });

  it('confirms nothing from a listing of another user, which is complete only for that user',
    async () => {
      const plan = await planForUser();
      await run(keys('svc-reports', [['AKIAEXAMPLEREPO00001', 'Active']]), LATER, 'other.json');
      const step = await advance(plan);
      expect(step.changed).toEqual([]);
      expect(step.plan.actions.every((a) => a.state === 'planned')).toBe(true);
    });
});
