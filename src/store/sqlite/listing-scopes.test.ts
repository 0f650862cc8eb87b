import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InventoryRecord } from '../../model/record.js';
import { fixedClock } from '../../model/time.js';
import { ingest } from '../../reconcile/ingest.js';
import { DEFAULT_PRECEDENCE } from '../../reconcile/rules.js';
import { netboxFormat } from '../../sources/netbox/index.js';
import { textInput } from '../../sources/read-file.js';
import {
  observationScopes, rewindTo, scopesAfterTwice,
} from '../../../test/helpers/old-database.js';
import { ENTRA_LISTINGS, scopeByListing } from './listing-scopes.js';
import { SqliteStore } from './sqlite-store.js';

const HOST = 'http://nb.example.net/api';
const devices = (ids: number[]): string => JSON.stringify({
  count: ids.length, next: null, previous: null,
  results: ids.map((id) => ({
    id, url: `${HOST}/dcim/devices/${id}/`, name: `sw-${id}`, device_type: { model: 'x' },
    site: { name: 'fra1' }, status: { value: 'active' },
    tenant: { id: 7, name: 'Payments', url: `${HOST}/tenancy/tenants/7/` },
  })),
});
const tenants = JSON.stringify({
  count: 1, next: null, previous: null,
  results: [{ id: 8, url: `${HOST}/tenancy/tenants/8/`, name: 'Search', slug: 'search' }],
});

async function put(store: SqliteStore, name: string, text: string, day: number) {
  return ingest(store, netboxFormat, textInput(name, text), {
    rules: DEFAULT_PRECEDENCE,
    clock: fixedClock('2026-12-10T00:00:00Z'),
    asOf: `2026-12-0${day}T00:00:00.000Z`,
  });
}

describe('migration 13: NetBox observations scoped by the object type listed', () => {
  it('moves each stored observation to its listing; the next complete list then decides',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'roster-migrate-'));
      const path = join(dir, 'v11.db');
      try {
        // A database as the older Roster left it: one scope per NetBox instance, and the
        // devices marked missing by a complete list of tenants (the defect).
        const old = new SqliteStore({ path });
        await old.migrate();
        await put(old, 'devices.json', devices([1, 2]), 1);
        await put(old, 'tenants.json', tenants, 2);
        rewindTo(old.connection, 13, [
          `UPDATE observations SET scope = 'netbox:nb.example.net'`,
          `UPDATE edges SET scope = 'netbox:nb.example.net'`,
          `UPDATE observations SET status = 'missing' WHERE source_id LIKE 'dcim:%'`,
        ]);
        await old.close();

        const store = new SqliteStore({ path });
        await store.migrate();
        const scopes = observationScopes(store.connection);
        expect(scopes).toEqual([
          'dcim:1 netbox:nb.example.net/dcim.devices',
          'dcim:2 netbox:nb.example.net/dcim.devices',
          'tenant:7 netbox:nb.example.net/dcim.devices',
          'tenant:8 netbox:nb.example.net/tenancy.tenants',
        ]);
        const edgeScopes = store.connection.prepare('SELECT DISTINCT scope FROM edges').pluck();
        expect(edgeScopes.all()).toEqual(['netbox:nb.example.net/dcim.devices']);

        // The next complete list of devices replaces the rows of what it lists (present
        // again); what it no longer lists stays missing (sw-2, already marked); nothing of
        // another type is touched.
        const next = await put(store, 'devices.json', devices([1]), 3);
        expect(next.counts).toMatchObject({ added: 0, missing: 0 });
        const records: InventoryRecord[] = [];
        for await (const page of store.scanRecords()) records.push(...page);
        const status = (name: string) => records.find((r) => r.name === name)?.sightings
          .map((s) => s.status);
        expect(status('sw-1')).toEqual(['present']);
        const rows = store.connection.prepare(`SELECT source_id || ' ' || status
          FROM observations WHERE source_id LIKE 'dcim:%' ORDER BY source_id`).pluck();
        expect(rows.all()).toEqual(['dcim:1 present', 'dcim:2 missing']);
        expect(status('Search')).toEqual(['present']);
        expect(status('Payments')).toEqual(['present']);
        await store.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
});

describe('migration 14: Entra observations scoped by the Graph list', () => {
  it('moves applications, service principals and what each run derived from them', async () => {
    const store = new SqliteStore({ path: ':memory:' });
    await store.migrate();
    const db = store.connection;
    const row = db.prepare(`INSERT INTO observations (format, scope, source_id, record_id,
      run_id, seen_run, as_of, status, body) VALUES ('entra', 'entra:t', ?, 'r', ?, ?, 'x',
      'present', '{}')`);
    for (const [id, run] of [['application:1', 'apps'], ['credential:k1', 'apps'],
      ['servicePrincipal:2', 'sps'], ['owner:o', 'sps'], ['credential:k9', 'gone']]) {
      row.run(id, run, run);
    }
    expect(scopesAfterTwice(db, (d) => scopeByListing(d, ENTRA_LISTINGS))).toEqual([
      'application:1 entra:t/applications',
      'credential:k1 entra:t/applications',
      'credential:k9 entra:t/servicePrincipals',
      'owner:o entra:t/servicePrincipals',
      'servicePrincipal:2 entra:t/servicePrincipals',
    ]);
    await store.close();
  });
});
