/**
 * `npm run bench:api [-- --records 1000000]`: fills an inventory with N assets (copies of one
 * record of the example estate, each with its own id, name, admission, owner and search text),
 * then times one page of `GET /api/v1/assets` at growing depths, by the keyset cursor the API
 * uses and, as the baseline in the same run, by LIMIT/OFFSET over the same index and order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';
import { encodeCursor } from '../src/store/sqlite/keyset.js';
import { recordPageSql, SqliteInventoryQueries } from '../src/store/sqlite/api-queries.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { now, seconds } from './measure.js';

const PAGE = 50;
const REPEAT = 15;

function parseRecords(argv: readonly string[]): number {
  const i = argv.indexOf('--records');
  if (i < 0) return 1_000_000;
  const n = Number(String(argv[i + 1]).replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 1000) throw new Error('--records must be a number ≥ 1000');
  return n;
}

const name = (i: number): string => `host-${String(i).padStart(7, '0')}`;

/** Median wall time of `fn` in milliseconds. */
async function median(fn: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < REPEAT; r++) {
    const t = now();
    await fn();
    times.push(seconds(t) * 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(REPEAT / 2)]!;
}

async function fill(store: SqliteStore, n: number): Promise<number> {
  const db = store.connection;
  const t = now();
  // Names are a permutation of 0..n-1 (a prime stride), so that name order is not id order.
  db.prepare(`
    WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ? - 1)
    INSERT INTO records (id, kind, name, admission, lifecycle, owner, environment, criticality,
      first_seen, updated_at, search, summary, body)
    SELECT printf('ast_bench%07d', i), 'asset', printf('host-%07d', (i * 7919) % ?),
      CASE i % 4 WHEN 0 THEN 'unknown' ELSE 'approved' END, 'in-service',
      CASE i % 10 WHEN 0 THEN NULL ELSE 'team-' || (i % 50) END,
      CASE i % 3 WHEN 0 THEN 'production' ELSE 'staging' END, t.criticality, t.first_seen,
      printf('2026-11-%02dT%02d:00:00.000Z', 1 + i % 28, i % 24),
      printf('host-%07d i-%017x', (i * 7919) % ?, i), t.summary, t.body
    FROM seq, (SELECT * FROM records WHERE kind = 'asset' LIMIT 1) t`).run(n, n, n);
  // Written past the store, so the search index is rebuilt here as a run's commit would.
  db.exec("INSERT INTO records_search (records_search) VALUES ('rebuild')");
  db.pragma('optimize');
  return seconds(t);
}

async function run(): Promise<void> {
  const n = parseRecords(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'roster-bench-api-'));
  const path = join(dir, 'roster.db');
  try {
    const quiet = { out: () => undefined, err: () => undefined, color: false };
    if ((await main(['node', 'roster', '--db', path, 'demo'], quiet)) !== 0) {
      throw new Error('roster demo failed');
    }
    const store = new SqliteStore({ path });
    await store.migrate();
    const filled = await fill(store, n);
    const queries = new SqliteInventoryQueries(store.connection);
    const offset = store.connection.prepare(
      "SELECT * FROM records WHERE kind = 'asset' ORDER BY name ASC, id ASC LIMIT ? OFFSET ?");
    console.log(`roster bench:api: ${n.toLocaleString('en')} assets filled in ` +
      `${filled.toFixed(1)} s; one page of ${PAGE}, median of ${REPEAT} runs`);
    console.log(
      'rows before the page   keyset SQL   LIMIT/OFFSET SQL (baseline)   API page (decoded)');
    for (const depth of [0, Math.floor(n / 10), Math.floor(n / 2), n - PAGE]) {
      const cursor = depth === 0 ? undefined : encodeCursor({
        sort: 'name', order: 'asc', value: name(depth - 1), id: 'ast_bench9999999',
      });
      const q = {
        kind: 'asset' as const, sort: 'name' as const, order: 'asc' as const, limit: PAGE,
        ...(cursor ? { cursor } : {}),
      };
      const { sql, args } = recordPageSql(q);
      const seek = store.connection.prepare(sql);
      const keyset = await median(() => seek.all(...args));
      const base = await median(() => offset.all(PAGE + 1, depth));
      const api = await median(() => queries.pageRecords(q));
      const ms = (v: number, w: number): string => `${v.toFixed(2)} ms`.padStart(w);
      console.log(`${depth.toLocaleString('en').padStart(20)}   ${ms(keyset, 10)}   ` +
        `${ms(base, 27)}   ${ms(api, 18)}`);
    }
    const filtered = await median(() => queries.pageRecords({
      kind: 'asset', admission: 'unknown', sort: 'name', order: 'asc', limit: PAGE,
      cursor: encodeCursor({ sort: 'name', order: 'asc', value: name(Math.floor(n / 2)), id: '' }),
    }));
    const text = name(Math.floor(n / 3)).slice(0, 10);
    let found = 0;
    const search = await median(async () => {
      found = (await queries.pageRecords({ q: text, sort: 'name', order: 'asc', limit: PAGE }))
        .items.length;
    });
    const unowned = await median(() => queries.pageRecords({
      kind: 'asset', owner: null, sort: 'updatedAt', order: 'desc', limit: PAGE,
    }));
    console.log(`admission=unknown, halfway down:  ${filtered.toFixed(2)} ms`);
    console.log(`search q=${text} (trigram, ${found} on the page): ${search.toFixed(2)} ms`);
    console.log(`unowned, newest first:            ${unowned.toFixed(2)} ms`);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await run();
