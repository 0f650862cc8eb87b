import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/model/types.js';
import { gcpAssetInventoryFormat as gcp } from '../../src/sources/gcp/index.js';
import { fileInput } from '../../src/sources/read-file.js';
import { detectFormat } from '../../src/sources/registry.js';
import { corpusFiles, corpusPath, hasCorpus } from '../helpers/corpus.js';
import { parseFile, type Parsed } from '../helpers/parse.js';

const DIR = 'gcp';
const parse = (name: string): Promise<Parsed> => parseFile(gcp, corpusPath(DIR, name));
const byId = (p: Parsed, id: string): Observation => {
  const o = p.observations.find((x) => x.sourceId === id);
  if (!o) throw new Error(`no observation ${id}`);
  return o;
};
const RESOURCES = 'forseti_mock_cai_resources.dump.jsonl';
const SA = '//iam.googleapis.com/projects/project2/serviceAccounts/09876543210987654321';

describe.skipIf(!hasCorpus)('gcp-asset-inventory over the corpus', () => {
  it('detects and ingests every export without a crash', async () => {
    for (const file of corpusFiles(DIR)) {
      expect(detectFormat(fileInput(file)).name).toBe('gcp-asset-inventory');
      const p = await parseFile(gcp, file);
      expect(p.rejections.filter((r) => r.code === 'BAD_JSON')).toEqual([]);
    }
  });

  it('keeps every resource line: instances, accounts, the key and 75 asset types', async () => {
    const p = await parse(RESOURCES);
    expect(p.observations.length + p.rejections.length).toBe(133);
    const classes = new Set(p.observations.map((o) => o.attributes.class));
    expect(classes.size).toBeGreaterThanOrEqual(70);
    expect(classes).toContain('k8s.io/Pod');
    expect(classes).toContain('cloudkms.googleapis.com/CryptoKey');
    // The GKE cluster's masterAuth.password is '[redacted]' in the export: a mask, not a secret.
    expect(p.rejections).toEqual([]);
  });

  it('reads the service accounts by e-mail and the key as system-managed and expired', async () => {
    const p = await parse(RESOURCES);
    const emails = p.observations
      .filter((o) => o.kind === 'identity')
      .map((o) => o.attributes.email);
    expect(emails).toEqual([
      '1041-compute@developer.gserviceaccount.com',
      '1042-compute@developer.gserviceaccount.com',
      '123-compute@developer.gserviceaccount.com',
    ]);
    expect(byId(p, SA).keys).toContainEqual({
      type: 'key-id',
      value: 'gcp-sa-unique:09876543210987654321',
    });
    const key = byId(p, `${SA}/keys/5555abcabcabc444444abcabc`);
    expect(key.attributes).toMatchObject({
      credentialType: 'service-account-key',
      'gcp.keyType': 'system-managed',
      createdAt: '2019-11-19T04:15:47.000Z',
      expiresAt: '2019-12-05T04:15:47.000Z',
    });
    const target = { type: 'gcp-resource', value: SA };
    expect(key.relations).toEqual([{ type: 'belongs-to', target }]);
    expect(key.scope).toBe('gcp:project2/iam.googleapis.com/ServiceAccountKey');
  });

  it('reads instances with IPs and run state, and projects as scopes', async () => {
    const p = await parse(RESOURCES);
    const vm = byId(
      p,
      '//compute.googleapis.com/projects/project1/zones/us-central1-c/instances/iap_instance1',
    );
    expect(vm.keys).toContainEqual({ type: 'ip', value: '10.138.0.2' });
    expect(vm.keys).toContainEqual({ type: 'ip', value: '192.168.1.2' });
    expect(vm.attributes).toMatchObject({ runState: 'running', 'gcp.machineType': 'f1-micro' });
    expect(p.meta.scopes).toEqual(expect.arrayContaining([
      'gcp:project1/compute.googleapis.com/Instance',
      'gcp:project2/iam.googleapis.com/ServiceAccount',
      'gcp:project3/cloudresourcemanager.googleapis.com/Project',
      'gcp:project4/cloudresourcemanager.googleapis.com/Project',
    ]));
    const project = byId(p, '//cloudresourcemanager.googleapis.com/projects/1043');
    expect(project.attributes).toMatchObject({ class: 'gcp-project', name: 'Project 3' });
    expect(project.scope).toBe('gcp:project3/cloudresourcemanager.googleapis.com/Project');
  });

  it('skips policy lines with one warning per content type', async () => {
    const iam = await parse('forseti_mock_cai_iam_policies.dump.jsonl');
    expect(iam.observations).toEqual([]);
    expect(iam.warnings.map((w) => w.field)).toEqual(['iam_policy']);
    const org = await parse('forseti_mock_cai_org_policies.dump.jsonl');
    expect(org.warnings.map((w) => w.field)).toEqual(['org_policy']);
  });

  it('keeps the very long spanner database name whole', async () => {
    const p = await parse('forseti_mock_cai_long_resource_name.dump.jsonl');
    const db = p.observations.find((o) => o.attributes.class === 'spanner.googleapis.com/Database');
    const prefix = '//spanner.googleapis.com/projects/project2/instances/test123/databases/';
    expect(db!.sourceId.startsWith(`${prefix}abcdefghij`)).toBe(true);
    expect(db!.sourceId.length).toBe(791);
    expect(db!.keys[0]!.value).toBe(db!.sourceId);
    expect(db!.scope).toBe('gcp:project2/spanner.googleapis.com/Database');
  });
});
