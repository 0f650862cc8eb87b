import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, type App } from '../../src/app.js';
import type { Observation } from '../../src/model/types.js';
import { fixedClock } from '../../src/model/time.js';
import { ingest } from '../../src/reconcile/ingest.js';
import { fakeFormat, fakeInput } from './fake-format.js';

/** Made-up sources for decision tests: a CMDB (system of record), AWS and SPIRE discovery. */
export const cmdb = fakeFormat('fake-cmdb', 'cmdb', true);
export const aws = fakeFormat('fake-ec2', 'aws', false);
export const directory = fakeFormat('fake-directory', 'directory', false);

export const NOW = '2026-12-01T12:00:00.000Z';
export const WORKLOAD = 'spiffe://example.org/ns/prod/sa/payments';

function asset(id: string, attrs: Observation['attributes'], extra: Observation['keys'] = []): Observation {
  return {
    kind: 'asset',
    sourceId: id,
    scope: 'cmdb:cmdb_ci',
    keys: [{ type: 'cmdb-sys-id', value: id }, { type: 'hostname', value: String(attrs['name']) }, ...extra],
    attributes: { class: 'aws-ec2-instance', admission: 'approved', lifecycle: 'in-service', ...attrs },
    relations: typeof attrs['owner'] === 'string'
      ? [{ type: 'owned-by', target: { type: 'owner', value: String(attrs['owner']).toLowerCase() } }]
      : [],
  };
}

/** The CMDB rows of the small estate; tests change one and ingest again. */
export function cmdbRows(over: Record<string, Observation['attributes']> = {}): Observation[] {
  const row = (id: string, a: Observation['attributes'], keys: Observation['keys'] = []) =>
    asset(id, { ...a, ...(over[id] ?? {}) }, keys);
  return [
    row('web1', { name: 'web-1', owner: 'Alice Ng', environment: 'production', criticality: 'medium' },
      [{ type: 'aws-instance-id', value: 'i-0aaa1111bbbb2222c' }]),
    row('db1', { name: 'db-1', owner: 'Alice Ng', environment: 'production', criticality: 'high' }),
    row('vault1', { name: 'vault-1', owner: 'Alice Ng', environment: 'production', criticality: 'critical' }),
    row('nocrit', { name: 'nocrit-1', owner: 'Alice Ng', environment: 'production' }),
    row('orphan', { name: 'orphan-1', environment: 'production', criticality: 'low' },
      [{ type: 'aws-instance-id', value: 'i-0bbb1111bbbb2222c' }]),
    row('bobs', { name: 'bobs-1', owner: 'Bob Old', environment: 'production', criticality: 'low' },
      [{ type: 'aws-instance-id', value: 'i-0ccc1111bbbb2222c' }]),
    row('dev1', { name: 'dev-1', owner: 'Alice Ng', environment: 'development', criticality: 'low' },
      [{ type: 'aws-instance-id', value: 'i-0ddd1111bbbb2222c' }]),
    {
      kind: 'identity', sourceId: 'wl1', scope: 'cmdb:cmdb_ci',
      keys: [{ type: 'cmdb-sys-id', value: 'wl1' }, { type: 'spiffe-id', value: WORKLOAD }],
      attributes: { name: 'payments workload', identityType: 'workload', admission: 'approved',
        lifecycle: 'in-service', owner: 'Alice Ng', environment: 'production', criticality: 'high',
        ...(over['wl1'] ?? {}) },
      relations: [{ type: 'owned-by', target: { type: 'owner', value: 'alice ng' } }],
    },
  ];
}

function discovered(instanceId: string, name: string): Observation {
  return {
    kind: 'asset', sourceId: instanceId, scope: 'aws:111122223333:eu-west-1',
    keys: [{ type: 'aws-instance-id', value: instanceId }], attributes: { name, runState: 'running' },
  };
}

export const awsRows = (): Observation[] => [
  discovered('i-0aaa1111bbbb2222c', 'web-1'),
  discovered('i-0bbb1111bbbb2222c', 'orphan-1'),
  discovered('i-0ccc1111bbbb2222c', 'bobs-1'),
  discovered('i-0ddd1111bbbb2222c', 'dev-1'),
];

const owners: Observation[] = [
  { kind: 'owner', sourceId: 'alice', scope: 'dir', keys: [{ type: 'owner', value: 'alice ng' }],
    attributes: { name: 'Alice Ng', active: true } },
  { kind: 'owner', sourceId: 'bob', scope: 'dir', keys: [{ type: 'owner', value: 'bob old' }],
    attributes: { name: 'Bob Old', active: false } },
];

/** A SPIRE-like discovery of the workload identity, so that it is fresh. */
export const spire = fakeFormat('fake-spire', 'spire', false);
const workloadSeen: Observation = {
  kind: 'identity', sourceId: 'entry-1', scope: 'spire:example.org',
  keys: [{ type: 'spiffe-id', value: WORKLOAD }], attributes: { identityType: 'workload' },
};

export async function ingestRows(app: App, format = cmdb, rows: Observation[], asOf: string) {
  return ingest(app.store, format, fakeInput({ meta: { asOf }, observations: rows }), {
    rules: app.config.precedence,
    clock: fixedClock(asOf),
  });
}

/** A file database with the small estate as of 2026-11-30. */
export async function openEstate(): Promise<App> {
  const dir = mkdtempSync(join(tmpdir(), 'roster-decide-'));
  writeFileSync(join(dir, 'roster.config.yaml'), '');
  const app = await openApp({ db: join(dir, 'roster.db'), config: join(dir, 'roster.config.yaml') });
  await ingestRows(app, directory, owners, '2026-11-30T00:00:00.000Z');
  await ingestRows(app, cmdb, cmdbRows(), '2026-11-30T00:00:00.000Z');
  await ingestRows(app, aws, awsRows(), '2026-11-30T06:00:00.000Z');
  await ingestRows(app, spire, [workloadSeen], '2026-11-30T06:00:00.000Z');
  return app;
}

export const request = (subject: string, resource: string, context?: Record<string, unknown>) => ({
  subject: { type: 'workload', id: subject },
  action: { name: 'read' },
  resource: { type: 'host', id: resource },
  ...(context ? { context } : {}),
});
