import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../model/time.js';
import { ingest } from '../../reconcile/ingest.js';
import { DEFAULT_PRECEDENCE } from '../../reconcile/rules.js';
import { gcpAssetInventoryFormat } from '../../sources/gcp/index.js';
import { textInput } from '../../sources/read-file.js';
import { inTempDir } from '../../../test/helpers/temp-dir.js';
import { rewindTo, scopesAfterTwice } from '../../../test/helpers/old-database.js';
import { SqliteStore } from './sqlite-store.js';
import { scopeGcpByAssetType } from './typed-scopes.js';

const P = 'pay-prod';
const SA = `//iam.googleapis.com/projects/${P}/serviceAccounts/1047`;
const vm = (name: string) => JSON.stringify({
  name: `//compute.googleapis.com/projects/${P}/zones/europe-west1-b/instances/${name}`,
  asset_type: 'compute.googleapis.com/Instance',
  resource: { data: { name, status: 'RUNNING', labels: { team: 'payments' } } },
});
const account = JSON.stringify({
  name: SA,
  asset_type: 'iam.googleapis.com/ServiceAccount',
  resource: { data: { email: `ledger@${P}.iam.gserviceaccount.com`, uniqueId: '1047' } },
});

async function put(store: SqliteStore, lines: readonly string[], day: number) {
  return ingest(store, gcpAssetInventoryFormat, textInput(`day-${day}.jsonl`, lines.join('\n')), {
    rules: DEFAULT_PRECEDENCE,
    clock: fixedClock('2026-12-10T00:00:00Z'),
    asOf: `2026-12-0${day}T00:00:00.000Z`,
  });
}

/** `<source id> <scope> <status>` of every stored observation, the names shortened. */
function rows(store: SqliteStore): string[] {
  return (store.connection.prepare(`SELECT source_id || ' ' || scope || ' ' || status
    FROM observations ORDER BY source_id`).pluck().all() as string[])
    .map((r) => r.replace(/\/\/[a-z.]+\/projects\/pay-prod\/(zones\/[^/]+\/)?/, ''));
}

describe('migration 15: CAI observations scoped by project and asset type', () => {
  it('moves each stored observation to its listing; the next export of its type decides',
    () => inTempDir('roster-migrate-', async (dir) => {
      const path = join(dir, 'v14.db');
      // A database as the older Roster left it: one scope per project, and the instances
      // marked missing by a later export of service accounts alone (the defect).
      const old = new SqliteStore({ path });
      await old.migrate();
      await put(old, [vm('vm-1'), vm('vm-2')], 1);
      await put(old, [account], 2);
      rewindTo(old.connection, 15, [
        ...['observations', 'edges'].map((table) =>
          `UPDATE ${table} SET scope = substr(scope, 1, instr(scope, '/') - 1)`),
        `UPDATE observations SET status = 'missing' WHERE source_id LIKE '%vm-%'`,
      ]);
      await old.close();

      const store = new SqliteStore({ path });
      await store.migrate();
      expect(rows(store)).toEqual([
        `instances/vm-1 gcp:${P}/compute.googleapis.com/Instance missing`,
        `instances/vm-2 gcp:${P}/compute.googleapis.com/Instance missing`,
        `serviceAccounts/1047 gcp:${P}/iam.googleapis.com/ServiceAccount present`,
        `owner:payments gcp:${P}/compute.googleapis.com/Instance present`,
      ]);
      const edgeScopes = store.connection.prepare('SELECT DISTINCT scope FROM edges').pluck();
      expect(edgeScopes.all()).toEqual([`gcp:${P}/compute.googleapis.com/Instance`]);

      // The next complete export of instances lists vm-1 (present again) and not vm-2
      // (still missing); the service account is not touched.
      const next = await put(store, [vm('vm-1')], 3);
      expect(next.counts).toMatchObject({ added: 0, missing: 0 });
      expect(rows(store).map((r) => r.split(' ').pop())).toEqual([
        'present', 'missing', 'present', 'present',
      ]);
      await store.close();
    }));

  it('puts an owner in the listing of a row naming it, else in the project\'s', async () => {
    const store = new SqliteStore({ path: ':memory:' });
    await store.migrate();
    const db = store.connection;
    const insert = db.prepare(`INSERT INTO observations (format, scope, source_id, record_id,
      run_id, seen_run, as_of, status, body) VALUES ('gcp-asset-inventory', ?, ?, 'r', ?, ?,
      'x', 'present', ?)`);
    const owned = (team: string) =>
      [{ type: 'owned-by', target: { type: 'owner', value: team } }];
    const put = (scope: string, id: string, run: string, body: object) =>
      insert.run(scope, id, run, run, JSON.stringify(body));
    put('gcp:p', 'vm', 'a', { kind: 'asset', attributes: { class: 'gcp-compute-instance' },
      relations: owned('ops') });
    put('gcp:p', 'bucket', 'b', { kind: 'asset',
      attributes: { class: 'storage.googleapis.com/Bucket' }, relations: owned('ops') });
    put('gcp:p', 'owner:ops', 'b', { kind: 'owner', keys: [{ type: 'owner', value: 'ops' }] });
    put('gcp:p', 'owner:gone', 'c', { kind: 'owner', keys: [{ type: 'owner', value: 'gone' }] });
    put('gcp:organizations/7', 'key', 'c', { kind: 'credential', attributes: {} });
    put('gcp:q/iam.googleapis.com/ServiceAccount', 'sa', 'd', { kind: 'identity' });
    put('gcp:q', 'odd', 'd', { kind: 'asset', attributes: { class: 'not a type' } });
    // A project named `folders`: its listing must not sit where folders' own scopes do.
    put('gcp:folders', 'vm-f', 'e',
      { kind: 'asset', attributes: { class: 'gcp-compute-instance' } });
    expect(scopesAfterTwice(db, scopeGcpByAssetType)).toEqual([
      'bucket gcp:p/storage.googleapis.com/Bucket',
      'key gcp:organizations/7/iam.googleapis.com/ServiceAccountKey',
      'odd gcp:q',
      'owner:gone gcp:p/cloudresourcemanager.googleapis.com/Project',
      // Named by the instance and by the bucket of its own run: it goes with the bucket.
      'owner:ops gcp:p/storage.googleapis.com/Bucket',
      'sa gcp:q/iam.googleapis.com/ServiceAccount',
      'vm gcp:p/compute.googleapis.com/Instance',
      'vm-f gcp:projects/folders/compute.googleapis.com/Instance',
    ]);
    await store.close();
  });
});
