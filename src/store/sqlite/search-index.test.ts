import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeFormat, fakeInput } from '../../../test/helpers/fake-format.js';
import { databaseAtVersion } from '../../../test/helpers/old-database.js';
import { record } from '../../../test/helpers/records.js';
import { fixedClock } from '../../model/time.js';
import type { Observation } from '../../model/types.js';
import { ingest } from '../../reconcile/ingest.js';
import { DEFAULT_PRECEDENCE } from '../../reconcile/rules.js';
import { SqliteInventoryQueries } from './api-queries.js';
import { recordToRow } from './codec.js';
import { SEARCH_TRIGGERS_MIGRATION } from './api-schema.js';
import { MIGRATIONS } from './migrations.js';
import { SqliteStore } from './sqlite-store.js';

const cmdb = fakeFormat('fake-cmdb', 'cmdb', true);
const ec2 = fakeFormat('fake-ec2', 'aws', false);
const other = fakeFormat('fake-other', 'other', false);
const clock = fixedClock('2026-12-01T00:00:00.000Z');
const SCOPE = 'aws:111122223333:eu-west-1';

function instance(id: string, name: string, extra: Observation['keys'] = []): Observation {
  return {
    kind: 'asset', sourceId: id, scope: SCOPE,
    keys: [{ type: 'aws-instance-id', value: id }, { type: 'hostname', value: name }, ...extra],
    attributes: { name },
  };
}

function server(sysId: string, name: string, keys: Observation['keys']): Observation {
  return {
    kind: 'asset', sourceId: sysId, scope: 'cmdb:cmdb_ci_server',
    keys: [{ type: 'cmdb-sys-id', value: sysId }, ...keys],
    attributes: { name, admission: 'approved' },
  };
}

let store: SqliteStore;
let queries: SqliteInventoryQueries;
beforeEach(async () => {
  store = new SqliteStore({ path: ':memory:' });
  await store.migrate();
  queries = new SqliteInventoryQueries(store.connection);
});
afterEach(() => store.close());

let day = 10;
beforeEach(() => {
  day = 10;
});

/** One run of `format` listing `observations`, a day after the previous run. */
const run = (format: typeof ec2, observations: unknown[], meta: object = {}) =>
  ingest(store, format, fakeInput({
    meta: { asOf: `2026-11-${day++}T00:00:00Z`, ...meta }, observations,
  }), { rules: DEFAULT_PRECEDENCE, clock });

/** Names of the records an API search finds (through the trigram index for 3+ characters). */
async function found(q: string): Promise<string[]> {
  const page = await queries.pageRecords({ q, sort: 'name', order: 'asc', limit: 100 });
  return page.items.map((r) => r.name);
}

/** FTS5's own check that the index holds exactly the text of every records row. */
function checkIndex(): void {
  store.connection.exec(
    "INSERT INTO records_search (records_search, rank) VALUES ('integrity-check', 1)");
}

function indexed(): number {
  return (store.connection.prepare('SELECT COUNT(*) AS n FROM records_search_docsize')
    .get() as { n: number }).n;
}

/**
 * Each case twice: alone, where most runs touch half the records or more and rebuild the
 * index, and beside 100 records of another source, where every later run patches it.
 */
describe.each([
  { path: 'rebuild', others: 0 },
  { path: 'patch', others: 100 },
])('records_search after ingest ($path path, kept by the store)', ({ others }) => {
  beforeEach(async () => {
    if (others === 0) return;
    await run(other, Array.from({ length: others }, (_, i): Observation => ({
      kind: 'asset', sourceId: `o${i}`, scope: 'other',
      keys: [{ type: 'serial-number', value: `OTHER-${i}` }], attributes: { name: `other-${i}` },
    })));
  });

  it('has no per-row triggers on records', () => {
    const triggers = store.connection
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'records'
        AND name LIKE 'records_search%'`)
      .all();
    expect(triggers).toEqual([]);
  });

  it('finds what a first run and a re-run wrote, and no longer a name that changed', async () => {
    await run(ec2, [instance('i-0aaa0000000000001', 'web-prod-01'),
      instance('i-0aaa0000000000002', 'db-prod-01')]);
    checkIndex();
    expect(await found('prod-01')).toEqual(['db-prod-01', 'web-prod-01']);
    expect(await found('i-0aaa0000000000002')).toEqual(['db-prod-01']);

    // The same export again: nothing changes, search neither.
    await run(ec2, [instance('i-0aaa0000000000001', 'web-prod-01'),
      instance('i-0aaa0000000000002', 'db-prod-01')]);
    checkIndex();
    expect(await found('prod-01')).toEqual(['db-prod-01', 'web-prod-01']);

    await run(ec2, [instance('i-0aaa0000000000001', 'web-prod-01'),
      instance('i-0aaa0000000000002', 'db-prod-02')]);
    checkIndex();
    expect(await found('prod-01')).toEqual(['web-prod-01']);
    expect(await found('db-prod')).toEqual(['db-prod-02']);
    expect(indexed()).toBe(others + 2);
  });

  it('patches a few changed rows among many, exactly', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `host-${String(i).padStart(3, '0')}`);
    const ids = names.map((_, i) => `i-0bbb${String(i).padStart(13, '0')}`);
    await run(ec2, names.map((n, i) => instance(ids[i]!, n)));
    expect(await found('host-03')).toHaveLength(10);

    const renamed = names.map((n, i) => (i === 31 ? 'renamed-box' : n));
    await run(ec2, renamed.map((n, i) => instance(ids[i]!, n)));
    checkIndex();
    expect(await found('host-03')).toEqual(names.slice(30, 40).filter((n) => n !== 'host-031'));
    expect(await found('renamed')).toEqual(['renamed-box']);
    expect(await found('host-031')).toEqual([]);
    expect(indexed()).toBe(others + 40);
  });

  it('drops an absorbed record and finds the merged one by the keys of both', async () => {
    await run(ec2, [instance('i-0ccc0000000000001', 'app-east')]);
    await run(cmdb, [server('sys-77', 'app-west', [{ type: 'serial-number', value: 'CZJ99X' }])]);
    expect(await found('app-')).toEqual(['app-east', 'app-west']);

    // A CMDB row with both the instance id and the serial proves the two are one thing.
    await run(cmdb, [server('sys-77', 'app-west', [{ type: 'serial-number', value: 'CZJ99X' },
      { type: 'aws-instance-id', value: 'i-0ccc0000000000001' }])]);
    checkIndex();
    const merged = await store.findByKey({ type: 'aws-instance-id', value: 'i-0ccc0000000000001' });
    expect(merged.map((r) => r.keys.map((k) => k.value).sort())).toEqual([
      ['CZJ99X', 'app-east', 'i-0ccc0000000000001', 'sys-77']]);
    expect(await found('app-')).toEqual(['app-west']);
    expect(await found('czj99x')).toEqual(['app-west']);
    expect(await found('i-0ccc0000000000001')).toEqual(['app-west']);
    // The hostname of the absorbed EC2 record is a key of the merged one now.
    expect(await found('app-east')).toEqual(['app-west']);
    expect(indexed()).toBe(others + 1);
  });

  it('keeps a record found after a complete run marks it missing', async () => {
    await run(ec2, [instance('i-0ddd0000000000001', 'batch-01'),
      instance('i-0ddd0000000000002', 'batch-02')], { scopes: [SCOPE], complete: true });
    await run(ec2, [instance('i-0ddd0000000000001', 'batch-01')],
      { scopes: [SCOPE], complete: true });
    checkIndex();
    const gone = (await store.findByKey({ type: 'aws-instance-id', value: 'i-0ddd0000000000002' }));
    expect(gone[0]?.sightings.map((s) => s.status)).toEqual(['missing']);
    expect(await found('batch-0')).toEqual(['batch-01', 'batch-02']);
  });

  it('leaves the index as it was when a run rolls back', async () => {
    await run(ec2, [instance('i-0eee0000000000001', 'keep-me')]);
    await expect(run(ec2, [instance('i-0eee0000000000002', 'never-stored'), { fail: true }]))
      .rejects.toThrow(/half-way/);
    checkIndex();
    expect(await found('never-stored')).toEqual([]);
    expect(await found('keep-me')).toEqual(['keep-me']);

    await run(ec2, [instance('i-0eee0000000000003', 'after-rollback')]);
    checkIndex();
    expect(await found('after-rollback')).toEqual(['after-rollback']);
    expect(indexed()).toBe(others + 2);
  });

  it('indexes a record written in a rowid another record of the same run left', async () => {
    // beta, absorbed into alpha, held the highest rowid: gamma, new in the same run, takes it.
    await run(cmdb, [server('sys-1', 'alpha', [{ type: 'serial-number', value: 'SER-A' }])]);
    await run(ec2, [instance('i-0fff0000000000001', 'beta')]);
    const rowidOf = (name: string) => (store.connection
      .prepare('SELECT rowid FROM records WHERE name = ?').get(name) as { rowid: number }).rowid;
    const betaRowid = rowidOf('beta');
    await run(cmdb, [
      server('sys-1', 'alpha', [{ type: 'serial-number', value: 'SER-A' },
        { type: 'aws-instance-id', value: 'i-0fff0000000000001' }]),
      server('sys-2', 'gamma', [{ type: 'serial-number', value: 'SER-G' }]),
    ]);
    expect(rowidOf('gamma')).toBe(betaRowid);
    checkIndex();
    expect(await found('beta')).toEqual(['alpha']);
    expect(await found('gamma')).toEqual(['gamma']);
    expect(await found('i-0fff')).toEqual(['alpha']);
    expect(indexed()).toBe(others + 2);
  });
});

describe('migration 7 on a database the triggers kept', () => {
  it('drops the triggers and keeps search right for the rows they indexed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-search-'));
    const path = join(dir, 'r.db');
    try {
      const old = databaseAtVersion(path, SEARCH_TRIGGERS_MIGRATION.version - 1);
      const web = record('ast_web', 'asset', [{ type: 'hostname', value: 'legacy-web-01' }],
        { name: 'legacy-web-01' });
      const row = recordToRow(web);
      old.prepare(`INSERT INTO records (id, kind, name, admission, lifecycle, owner,
        environment, criticality, first_seen, updated_at, search, summary, body) VALUES
        (@id, @kind, @name, @admission, @lifecycle, @owner, @environment, @criticality,
        @first_seen, @updated_at, @search, @summary, @body)`).run(row);
      old.close();

      const s = new SqliteStore({ path });
      await s.migrate();
      const q = new SqliteInventoryQueries(s.connection);
      const names = async (text: string) =>
        (await q.pageRecords({ q: text, sort: 'name', order: 'asc', limit: 10 })).items
          .map((r) => r.name);
      const versions = s.connection.prepare('SELECT version FROM schema_migrations').all();
      expect(versions.map((v) => (v as { version: number }).version))
        .toEqual(MIGRATIONS.map((m) => m.version));
      expect(await names('legacy-web')).toEqual(['legacy-web-01']);

      await s.transaction(async (tx) => {
        const previous = await tx.getRecordsById([web.id]);
        const renamed = { ...previous.get(web.id)!, name: 'renamed-web-01',
          keys: [{ type: 'hostname' as const, value: 'renamed-web-01' }] };
        await tx.putRecords([renamed], previous);
      });
      s.connection.exec(
        "INSERT INTO records_search (records_search, rank) VALUES ('integrity-check', 1)");
      expect(await names('renamed-web')).toEqual(['renamed-web-01']);
      expect(await names('legacy-web')).toEqual([]);
      await s.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('search text FTS5 would read as syntax or cut short', () => {
  it('never fails, and finds exactly the records holding the text', async () => {
    await run(ec2, [instance('i-0aaa0000000000001', 'web"prod\0one'),
      instance('i-0aaa0000000000002', 'db AND prod* OR NEAR(x)')]);
    const texts = ['a\0b', '\0', 'b"p', '"', 'web"prod\0o', 'prod\0', 'AND prod*', 'NEAR(x)',
      'x) OR (y', '*', '^db', 'db:prod', '\u202e\x1b[31m', '%_\\'];
    for (const q of texts) await expect(found(q), JSON.stringify(q)).resolves.toBeDefined();
    expect(await found('web"prod\0o')).toEqual(['web"prod\0one']);
    expect(await found('prod\0')).toEqual(['web"prod\0one']);
    expect(await found('\0')).toEqual(['web"prod\0one']);
    expect(await found('AND prod*')).toEqual(['db AND prod* OR NEAR(x)']);
    expect(await found('a\0b')).toEqual([]);
  });
});
