import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseAtVersion } from '../../../test/helpers/old-database.js';
import { SqliteStore } from './sqlite-store.js';

let store: SqliteStore;
beforeEach(async () => {
  store = new SqliteStore({ path: ':memory:' });
  await store.migrate();
});
afterEach(() => store.close());

describe('records after every migration', () => {
  it('carries the indexes its pages read and no single-column admission index', () => {
    const names = store.connection
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records'")
      .all()
      .map((r) => (r as { name: string }).name)
      .sort();
    // Each is read by a page of the API or a scan (test/server/pagination.test.ts pins the
    // plans); every one costs each records row written.
    expect(names).toEqual([
      'records_first_seen',
      'records_kind',
      'records_kind_admission',
      'records_kind_first_seen',
      'records_kind_name',
      'records_kind_updated',
      'records_name',
      'records_unowned_name',
      'records_unowned_updated',
      'records_updated',
      'sqlite_autoindex_records_1',
    ]);
  });
});

describe('migration 11: record keys clustered by key', () => {
  it('carries every key of a version-10 database over, answers look-ups by key and by record',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'roster-migrate-'));
      const path = join(dir, 'v10.db');
      try {
        const old = databaseAtVersion(path, 10);
        const put = old.prepare(
          'INSERT INTO record_keys (kind, key_type, key_value, record_id) VALUES (?, ?, ?, ?)');
        put.run('asset', 'hostname', 'web-01', 'ast_1');
        put.run('asset', 'ip', '10.0.0.1', 'ast_1');
        put.run('asset', 'ip', '10.0.0.1', 'ast_2');
        put.run('identity', 'hostname', 'web-01', 'idn_1');
        old.close();

        const migrated = new SqliteStore({ path });
        await migrated.migrate();
        const db = migrated.connection;
        const holders = db.prepare(`SELECT record_id FROM record_keys
          WHERE key_type = ? AND key_value = ? ORDER BY record_id`).pluck();
        expect(holders.all('ip', '10.0.0.1')).toEqual(['ast_1', 'ast_2']);
        expect(holders.all('hostname', 'web-01')).toEqual(['ast_1', 'idn_1']);
        const ofRecord = db.prepare(`SELECT key_type || '=' || key_value FROM record_keys
          WHERE record_id = ? ORDER BY 1`).pluck();
        expect(ofRecord.all('ast_1')).toEqual(['hostname=web-01', 'ip=10.0.0.1']);
        const indexes = db.prepare(`SELECT name FROM sqlite_master
          WHERE type = 'index' AND tbl_name = 'record_keys' ORDER BY name`).pluck().all();
        expect(indexes).toEqual(['record_keys_record']);
        const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT record_id FROM record_keys
          WHERE kind = ? AND key_type = ? AND key_value = ?`).all('asset', 'ip', '10.0.0.1');
        expect(JSON.stringify(plan)).toContain('USING PRIMARY KEY');
        await migrated.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
});
