import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../model/types.js';
import { parseFile, parseText, type Parsed } from '../../../test/helpers/parse.js';
import { gcpAssetInventoryFormat as gcp } from './gcp-format.js';

const FILE = fileURLToPath(new URL('../../../test/fixtures/gcp/assets.jsonl', import.meta.url));
const PREFIX = '//compute.googleapis.com/projects/pay-prod-7f3a/zones/europe-west1-b/instances/';
const SA = '//iam.googleapis.com/projects/pay-prod-7f3a/serviceAccounts/104729384756102938475';
const SA_EMAIL = 'ledger-runtime@pay-prod-7f3a.iam.gserviceaccount.com';

const bySource = (r: Parsed, id: string): Observation => {
  const found = r.observations.find((o) => o.sourceId === id);
  if (!found) throw new Error(`no observation ${id}`);
  return found;
};

describe('gcp-asset-inventory: instances and projects', () => {
  it('keys an instance by resource name, name, hostname and every IP', async () => {
    const r = await parseFile(gcp, FILE);
    const vm = bySource(r, `${PREFIX}ledger-api-1`);
    expect(vm.kind).toBe('asset');
    expect(vm.scope).toBe('gcp:pay-prod-7f3a/compute.googleapis.com/Instance');
    expect(vm.line).toBe(2);
    expect(vm.keys).toEqual([
      { type: 'gcp-resource', value: `${PREFIX}ledger-api-1` },
      { type: 'name', value: 'ledger-api-1' },
      { type: 'hostname', value: 'ledger-api-1.pay.internal.example' },
      { type: 'ip', value: '10.20.0.7' },
      { type: 'ip', value: '203.0.113.40' },
    ]);
    expect(vm.attributes).toMatchObject({
      class: 'gcp-compute-instance',
      runState: 'running',
      createdAt: '2024-11-05T11:12:44.501Z',
      updatedAt: '2025-02-03T10:00:00.000Z',
      location: 'europe-west1-b',
      environment: 'production',
      criticality: 'critical',
      owner: 'maria_okafor',
      'gcp.label.owner': 'maria_okafor',
      'gcp.machineType': 'e2-standard-4',
      'gcp.id': '6620155180935552021',
    });
  });

  it('says which service account runs on an instance and who owns it', async () => {
    const r = await parseFile(gcp, FILE);
    const vm = bySource(r, `${PREFIX}ledger-api-1`);
    expect(vm.relations).toEqual([
      { type: 'runs-on', target: { type: 'email', value: SA_EMAIL }, reverse: true },
      { type: 'owned-by', target: { type: 'owner', value: 'maria_okafor' } },
    ]);
    const owner = bySource(r, 'owner:maria_okafor');
    expect(owner.kind).toBe('owner');
  });

  it('reads TERMINATED as stopped and warns once about an unknown criticality', async () => {
    const r = await parseFile(gcp, FILE);
    const vm = bySource(r, `${PREFIX}batch-old`);
    expect(vm.attributes.runState).toBe('stopped');
    expect(vm.attributes.criticality).toBeUndefined();
    expect(vm.attributes['gcp.label.criticality']).toBe('tier1');
    const unknown = r.warnings.filter((w) => w.code === 'UNKNOWN_VALUE');
    expect(unknown).toEqual([expect.objectContaining({ line: 3, field: 'labels.criticality' })]);
  });

  it('makes a project an asset of class gcp-project and scopes by its id', async () => {
    const r = await parseFile(gcp, FILE);
    const p = bySource(r, '//cloudresourcemanager.googleapis.com/projects/482910376655');
    expect(p.scope).toBe('gcp:pay-prod-7f3a/cloudresourcemanager.googleapis.com/Project');
    expect(p.attributes).toMatchObject({
      class: 'gcp-project',
      name: 'Payments Prod',
      lifecycle: 'in-service',
      environment: 'production',
      'gcp.projectNumber': '482910376655',
    });
    const team = bySource(r, 'owner:payments');
    expect(team.attributes).toEqual({ name: 'payments', ownerType: 'team' });
    // One owner per listing that names it: each goes with its own type's complete list.
    const teams = r.observations.filter((o) => o.sourceId === 'owner:payments');
    expect(teams.map((o) => o.scope)).toEqual([
      'gcp:pay-prod-7f3a/cloudresourcemanager.googleapis.com/Project',
      'gcp:pay-prod-7f3a/storage.googleapis.com/Bucket',
    ]);
  });

  it('keeps any other asset type as a generic asset scoped by its project', async () => {
    const r = await parseFile(gcp, FILE);
    const bucket = bySource(r, '//storage.googleapis.com/pay-prod-7f3a-exports');
    expect(bucket.scope).toBe('gcp:pay-prod-7f3a/storage.googleapis.com/Bucket');
    expect(bucket.attributes).toMatchObject({
      class: 'storage.googleapis.com/Bucket',
      name: 'pay-prod-7f3a-exports',
      location: 'europe-west1',
      createdAt: '2023-02-02T02:02:02.000Z',
    });
    const topicName = '//pubsub.googleapis.com/projects/pay-prod-7f3a/topics/ledger-events';
    const topic = bySource(r, topicName);
    expect(topic.attributes.class).toBe('pubsub.googleapis.com/Topic');
    expect(topic.line).toBe(15);
  });
});

describe('gcp-asset-inventory: service accounts and keys', () => {
  it('maps a service account to an identity keyed by name, e-mail and unique id', async () => {
    const r = await parseFile(gcp, FILE);
    const sa = bySource(r, SA);
    expect(sa.kind).toBe('identity');
    expect(sa.keys).toEqual([
      { type: 'gcp-resource', value: SA },
      { type: 'email', value: SA_EMAIL },
      { type: 'key-id', value: 'gcp-sa-unique:104729384756102938475' },
    ]);
    expect(sa.attributes).toMatchObject({
      identityType: 'service',
      name: 'Ledger runtime',
      active: true,
    });
    const old = r.observations.find((o) => o.attributes.email?.toString().startsWith('old-etl'));
    expect(old?.attributes.active).toBe(false);
  });

  it('reads a user-managed key that never expires and ties it to its account', async () => {
    const r = await parseFile(gcp, FILE);
    const keyName = `${SA}/keys/a1b2c3d4e5f60718293a4b5c6d7e8f9012345678`;
    const key = bySource(r, keyName);
    expect(key.kind).toBe('credential');
    expect(key.keys).toContainEqual({
      type: 'key-id',
      value: 'gcp-sa-key:a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    });
    expect(key.attributes).toMatchObject({
      credentialType: 'service-account-key',
      'gcp.keyType': 'user-managed',
      createdAt: '2023-07-01T12:00:00.000Z',
    });
    expect(key.attributes.expiresAt).toBeUndefined();
    expect(key.relations).toEqual([
      { type: 'belongs-to', target: { type: 'gcp-resource', value: SA } },
    ]);
  });

  it('refuses a key line that carries privateKeyData, naming the field only', async () => {
    const r = await parseFile(gcp, FILE);
    expect(r.rejections).toContainEqual(
      expect.objectContaining({
        line: 7,
        field: 'resource.data.privateKeyData',
        code: 'SECRET_REFUSED',
      }),
    );
    expect(JSON.stringify(r)).not.toContain('bWFkZS11cCBwcml2YXRl');
  });
});

describe('gcp-asset-inventory: other content and bad lines', () => {
  it('warns once per policy content type and makes nothing of policy lines', async () => {
    const r = await parseFile(gcp, FILE);
    const skipped = r.warnings.filter((w) => w.code === 'CONTENT_SKIPPED');
    expect(skipped.map((w) => [w.field, w.line])).toEqual([
      ['iam_policy', 9],
      ['org_policy', 11],
    ]);
    const projects = r.observations.filter((o) => o.attributes.class === 'gcp-project');
    expect(projects).toHaveLength(1);
  });

  it('rejects a broken line and a line without asset type, and reads on', async () => {
    const r = await parseFile(gcp, FILE);
    expect(r.rejections).toContainEqual(expect.objectContaining({ line: 12, code: 'BAD_JSON' }));
    expect(r.rejections).toContainEqual(
      expect.objectContaining({ line: 13, field: 'asset_type', code: 'MISSING_FIELD' }),
    );
    expect(r.meta.scopes).toContain('gcp:pay-prod-7f3a/compute.googleapis.com/Instance');
    expect(r.meta.complete).toBe(true);
  });

  it('refuses an asset type that is not one, so that it names no listing of the run', async () => {
    const lines = ['*', 'compute.googleapis.com/*', '../x', 'compute.googleapis.com/Instance']
      .map((t, i) => JSON.stringify({
        name: `//compute.googleapis.com/projects/tp/zones/z/instances/vm-${i}`,
        asset_type: t, resource: { data: { name: `vm-${i}` } },
      }));
    const r = await parseText(gcp, 'types.jsonl', `${lines.join('\n')}\n`);
    expect(r.rejections.map((x) => [x.line, x.field, x.code])).toEqual([
      [1, 'asset_type', 'INVALID_VALUE'], [2, 'asset_type', 'INVALID_VALUE'],
      [3, 'asset_type', 'INVALID_VALUE'],
    ]);
    expect(r.rejections[0]!.message)
      .toBe("'*' is not an asset type (<service>/<Kind>, as compute.googleapis.com/Instance)");
    expect(r.meta.scopes).toEqual(['gcp:tp/compute.googleapis.com/Instance']);
  });

  it('keeps a very long resource name whole', async () => {
    const long = `//spanner.googleapis.com/projects/p1/instances/i/databases/${'x0'.repeat(3000)}`;
    const line = JSON.stringify({
      name: long,
      asset_type: 'spanner.googleapis.com/Database',
      resource: { data: { name: long.slice(2), state: 'READY' } },
    });
    const r = await parseText(gcp, 'long.jsonl', `${line}\n`);
    expect(r.observations[0]!.keys).toEqual([{ type: 'gcp-resource', value: long }]);
    expect(r.observations[0]!.scope).toBe('gcp:p1/spanner.googleapis.com/Database');
  });

  it('reads a gcloud asset list JSON array in camelCase', async () => {
    const text = JSON.stringify(
      [
        {
          name: '//iam.googleapis.com/projects/p9/serviceAccounts/42',
          assetType: 'iam.googleapis.com/ServiceAccount',
          resource: { data: { email: 'svc@p9.iam.gserviceaccount.com', uniqueId: '42' } },
          updateTime: '2025-03-01T00:00:00Z',
        },
      ],
      null,
      2,
    );
    const r = await parseText(gcp, 'list.json', text);
    expect(r.observations).toHaveLength(1);
    expect(r.observations[0]!.attributes).toMatchObject({
      email: 'svc@p9.iam.gserviceaccount.com',
      updatedAt: '2025-03-01T00:00:00.000Z',
    });
  });

  it('detects CAI lines and arrays, not other JSON', () => {
    const d = (head: string): number => gcp.detect({ path: 'x', head });
    const line = '{"name":"//compute.googleapis.com/projects/p/zones/z/instances/i",' +
      '"asset_type":"compute.googleapis.com/Instance"}';
    expect(d(line)).toBe(0.9);
    const array = '[\n  {\n    "assetType": "k8s.io/Pod",\n' +
      '    "name": "//container.googleapis.com/x"';
    expect(d(array)).toBe(0.9);
    expect(d('{"name":"x","asset_type":"thing"}')).toBe(0);
  });
});
