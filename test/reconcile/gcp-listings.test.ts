import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/model/time.js';
import { ingest, type IngestResult } from '../../src/reconcile/ingest.js';
import { DEFAULT_PRECEDENCE } from '../../src/reconcile/rules.js';
import { gcpAssetInventoryFormat as gcp } from '../../src/sources/gcp/index.js';
import { textInput } from '../../src/sources/read-file.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { inventoryAfter } from '../helpers/listings.js';

// DESIGN.md rule 3 for Cloud Asset Inventory exports filtered by --asset-types: a complete
// export covers the asset types it was asked for, never the project's other types, and the
// inventory does not depend on the order the exports are read in.

const P = 'pay-prod';
const SA = `//iam.googleapis.com/projects/${P}/serviceAccounts/1047`;
const INSTANCE = 'compute.googleapis.com/Instance';
const PROJECT_TYPE = 'cloudresourcemanager.googleapis.com/Project';
const ACCOUNT_TYPES = ['iam.googleapis.com/ServiceAccount', 'iam.googleapis.com/ServiceAccountKey'];

const project = {
  name: '//cloudresourcemanager.googleapis.com/projects/4829',
  asset_type: PROJECT_TYPE,
  resource: { data: { projectId: P, projectNumber: '4829', name: 'Payments' } },
};
const vm = (name: string) => ({
  name: `//compute.googleapis.com/projects/${P}/zones/europe-west1-b/instances/${name}`,
  asset_type: INSTANCE,
  resource: { data: { name, status: 'RUNNING', labels: { team: 'payments' } } },
});
const account = {
  name: SA,
  asset_type: 'iam.googleapis.com/ServiceAccount',
  resource: { data: { email: `ledger@${P}.iam.gserviceaccount.com`, uniqueId: '1047' } },
};
const key = {
  name: `${SA}/keys/ab12`,
  asset_type: 'iam.googleapis.com/ServiceAccountKey',
  resource: {
    parent: SA,
    data: { keyType: 'USER_MANAGED', validAfterTime: '2026-01-01T00:00:00Z' },
  },
};

interface Export {
  readonly file: string;
  readonly day: number;
  readonly assets: readonly object[];
  readonly types?: readonly string[];
}

const INSTANCES: Export = { file: 'instances.jsonl', day: 1, assets: [vm('vm-1'), vm('vm-2')],
  types: [INSTANCE] };
const ACCOUNTS: Export = { file: 'accounts.jsonl', day: 2, assets: [account, key],
  types: ACCOUNT_TYPES };

function put(store: SqliteStore, e: Export): Promise<IngestResult> {
  const text = e.assets.map((a) => JSON.stringify(a)).join('\n') + '\n';
  return ingest(store, gcp, textInput(e.file, text), {
    rules: DEFAULT_PRECEDENCE,
    clock: fixedClock('2026-12-10T00:00:00Z'),
    asOf: `2026-12-0${e.day}T00:00:00.000Z`,
    ...(e.types ? { types: e.types } : {}),
  });
}

const inventory = (runs: readonly Export[]) => inventoryAfter(runs, put);

const untyped = (e: Export): Export => ({ file: e.file, day: e.day, assets: e.assets });

describe('gcp exports filtered by asset type', () => {
  it('a later export of service accounts marks no instance missing, in either order', async () => {
    const expected = [
      'ab12 present',
      'ledger@pay-prod.iam.gserviceaccount.com present',
      'payments present',
      'vm-1 present',
      'vm-2 present',
    ];
    for (const pair of [[INSTANCES, ACCOUNTS], [ACCOUNTS, INSTANCES]]) {
      // Whether the user names the types or not: an export covers the types it lists.
      for (const runs of [pair, pair.map(untyped)]) {
        const { records, results } = await inventory(runs);
        expect(records).toEqual(expected);
        expect(results.map((r) => [r.run.complete, r.counts.missing])).toEqual([
          [true, 0], [true, 0],
        ]);
      }
    }
  });

  it('scopes each run by project and asset type', async () => {
    const { results } = await inventory([INSTANCES, ACCOUNTS]);
    expect(results.map((r) => r.run.scopes)).toEqual([
      [`gcp:${P}/${INSTANCE}`],
      ACCOUNT_TYPES.map((t) => `gcp:${P}/${t}`),
    ]);
  });

  it('a complete export of instances that no longer lists one marks it missing, any order',
    async () => {
      const later: Export = { ...INSTANCES, file: 'later.jsonl', day: 3, assets: [vm('vm-1')] };
      const expected = [
        'ab12 present',
        'ledger@pay-prod.iam.gserviceaccount.com present',
        'payments present',
        'vm-1 present',
        'vm-2 missing',
      ];
      const orders = [[INSTANCES, ACCOUNTS, later], [later, ACCOUNTS, INSTANCES],
        [ACCOUNTS, later, INSTANCES]];
      for (const order of orders) {
        const { records, results } = await inventory(order);
        expect(records).toEqual(expected);
        // Counted once, by whichever run found it gone.
        expect(results.reduce((n, r) => n + r.counts.missing, 0)).toBe(1);
      }
    });

  it('an export asked for instances covers them in each project it names, rows or none',
    async () => {
      // gcloud asset export --asset-types=compute.googleapis.com/Instance,
      //   cloudresourcemanager.googleapis.com/Project: the project row names the project.
      const none: Export = { file: 'none.jsonl', day: 3, assets: [project],
        types: [INSTANCE, PROJECT_TYPE] };
      const { records, results } = await inventory([INSTANCES, ACCOUNTS, none]);
      expect(records.filter((r) => r.startsWith('vm-'))).toEqual(['vm-1 missing', 'vm-2 missing']);
      expect(results[2]!.run.scopes).toEqual([`gcp:${P}/${PROJECT_TYPE}`, `gcp:${P}/${INSTANCE}`]);
      // Without the types, the same file covers only the type it lists: nothing else goes.
      const quiet = await inventory([INSTANCES, ACCOUNTS, untyped(none)]);
      expect(quiet.records.filter((r) => r.startsWith('vm-')))
        .toEqual(['vm-1 present', 'vm-2 present']);
    });

  it("a full export (types '*') that holds no instance any more marks them missing", async () => {
    const full = (day: number, assets: readonly object[]): Export =>
      ({ file: `full-${day}.jsonl`, day, assets, types: ['*'] });
    const before = full(1, [project, vm('vm-1'), account, key]);
    const after = full(3, [project, account, key]);
    for (const order of [[before, after], [after, before]]) {
      const { records, results } = await inventory(order);
      expect(records).toContain('vm-1 missing');
      expect(records).toContain('ledger@pay-prod.iam.gserviceaccount.com present');
      expect(records).toContain('ab12 present');
      expect(results.map((r) => r.run.scopes[0])).toEqual([`gcp:${P}/*`, `gcp:${P}/*`]);
    }
    // Unless told it was a full export, a run does not cover a type it lists no row of.
    const { records } = await inventory([before, after].map(untyped));
    expect(records).toContain('vm-1 present');
  });

  it('finds a family by bytes as in memory: characters outside the BMP, any order', async () => {
    // SQLite counts characters where JavaScript counts UTF-16 units: a family's prefix must
    // select the same scopes in the store as in a run's own look-ups, or order would matter.
    const odd = '\u{1F680}proj';
    const vmIn = (name: string) => ({ ...vm(name),
      name: `//compute.googleapis.com/projects/${odd}/zones/z/instances/${name}` });
    const before: Export = { file: 'a.jsonl', day: 1, assets: [vmIn('vm-a'), vmIn('vm-b')] };
    const after: Export = { file: 'b.jsonl', day: 3, assets: [vmIn('vm-a')], types: ['*'] };
    for (const order of [[before, after], [after, before]]) {
      const { records } = await inventory(order);
      expect(records).toEqual(['payments present', 'vm-a present', 'vm-b missing']);
    }
  });

  it("a project named 'organizations' covers none of an organization's own assets", async () => {
    const folder = { name: '//cloudresourcemanager.googleapis.com/folders/31',
      asset_type: 'cloudresourcemanager.googleapis.com/Folder',
      resource: { parent: '//cloudresourcemanager.googleapis.com/organizations/999',
        data: { displayName: 'payments' } } };
    const orgLevel: Export = { file: 'org.jsonl', day: 1, assets: [folder] };
    const named = { ...vm('vm-o'),
      name: '//compute.googleapis.com/projects/organizations/zones/z/instances/vm-o' };
    const full: Export = { file: 'p.jsonl', day: 3, assets: [named], types: ['*'] };
    for (const order of [[orgLevel, full], [full, orgLevel]]) {
      const { records, results } = await inventory(order);
      expect(records).toEqual(['payments present', 'payments present', 'vm-o present']);
      const scopes = results.find((r) => r.run.file === 'p.jsonl')!.run.scopes;
      expect(scopes).toEqual(['gcp:projects/organizations/*']);
    }
  });
});

