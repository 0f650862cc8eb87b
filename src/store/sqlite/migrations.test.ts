import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
