import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { record } from '../../../test/helpers/records.js';
import type { InventoryRecord } from '../../model/record.js';
import { SqliteStore } from './sqlite-store.js';

describe('putRecords over rows read in the same transaction', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-update-'));
    store = new SqliteStore({ path: join(dir, 'r.db') });
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const web = record('rec_web', 'asset', [{ type: 'hostname', value: 'web-01' }],
    { owner: 'Maria Okafor', environment: 'production' });
  const db = record('rec_db', 'asset', [{ type: 'hostname', value: 'db-01' }], { owner: 'Ann' });

  /** Writes `next` over what the store holds, as a run does; answers the rows written. */
  async function rewrite(next: (before: InventoryRecord) => InventoryRecord): Promise<string[]> {
    const c = store.connection;
    c.exec(`CREATE TEMP TABLE IF NOT EXISTS writes (id TEXT);
      CREATE TEMP TRIGGER IF NOT EXISTS count_update AFTER UPDATE ON main.records
      BEGIN INSERT INTO writes VALUES (NEW.id); END;
      CREATE TEMP TRIGGER IF NOT EXISTS count_insert AFTER INSERT ON main.records
      BEGIN INSERT INTO writes VALUES (NEW.id); END;
      DELETE FROM writes;`);
    await store.transaction(async (tx) => {
      const previous = await tx.getRecordsById([web.id, db.id]);
      await tx.putRecords([...previous.values()].map(next), previous);
    });
    return (c.prepare('SELECT id FROM writes ORDER BY id').all() as { id: string }[])
      .map((w) => w.id);
  }

  it('writes nothing for unchanged records, and only the changed one otherwise', async () => {
    await store.transaction(async (tx) => tx.putRecords([web, db]));
    expect(await rewrite((r) => r)).toEqual([]);
    const written = await rewrite((r) => (r.id === web.id ? { ...r, owner: 'Li Wei' } : r));
    expect(written).toEqual([web.id]);
    expect((await store.getRecord(web.id))?.owner).toBe('Li Wei');
    expect((await store.getRecord(db.id))?.owner).toBe('Ann');
  });

  it('keeps keys and search right when a key changes type but not text', async () => {
    await store.transaction(async (tx) => tx.putRecords([web, db]));
    await rewrite((r) => (r.id === web.id
      ? { ...r, keys: [{ type: 'fqdn', value: 'web-01' }] } : r));
    expect((await store.findByKey({ type: 'fqdn', value: 'web-01' })).map((r) => r.id))
      .toEqual([web.id]);
    expect(await store.findByKey({ type: 'hostname', value: 'web-01' })).toEqual([]);
    await rewrite((r) => (r.id === db.id
      ? { ...r, keys: [...r.keys, { type: 'ip', value: '10.0.0.9' }] } : r));
    const hit = store.connection
      .prepare("SELECT r.id FROM records_search s JOIN records r ON r.rowid = s.rowid " +
        "WHERE records_search MATCH '\"10.0.0.9\"'").all() as { id: string }[];
    expect(hit.map((h) => h.id)).toEqual([db.id]);
  });
});
