import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../app.js';
import { ingestFiles } from '../../cli/ingest-command.js';
import { fixedClock } from '../../model/time.js';
import type { SqliteStore } from './sqlite-store.js';

/**
 * Every statement the store prepares while a user ingests, judges and looks around the example
 * estates, checked with EXPLAIN QUERY PLAN: one that takes parameters (a look-up for some
 * records) must search an index, never scan a table that grows with the estate. One such scan
 * (edges towards a record's keys, written as a correlated `EXISTS`) made every retirement
 * read all edges: 270 ms a retired record on a 100,000-record estate, two thirds of a CMDB
 * ingest's time.
 */
const GROWING = ['records', 'observations', 'record_keys', 'edges', 'events', 'findings',
  'decisions', 'decision_changes', 'attestations', 'offboarding_plans', 'outbox'];

/** Scans kept on purpose, each with its reason. */
const ALLOWED: readonly { sql: RegExp; why: string }[] = [
];

let dir: string;
let app: App;
const prepared = new Set<string>();
const original = Database.prototype.prepare;

beforeAll(async () => {
  Database.prototype.prepare = function (this: Database.Database, sql: string) {
    prepared.add(sql);
    return original.call(this, sql);
  } as typeof original;
  dir = mkdtempSync(join(tmpdir(), 'roster-plans-'));
  app = await openApp({ db: join(dir, 'r.db') });
  const clock = fixedClock('2026-12-01T12:00:00.000Z');
  const estates = [join('examples', 'estate'), join('examples', 'mixed-estate')];
  const outcomes = await ingestFiles(app, estates, { quiet: true, judge: true }, clock, () => {});
  expect(outcomes.filter((o) => o.result).length).toBeGreaterThan(8);
  const ids: string[] = [];
  for await (const page of app.store.scanRecords('asset')) ids.push(...page.map((r) => r.id));
  await app.store.edgesOf(ids.slice(0, 5));
  await app.store.observationsOf(ids[0]!);
}, 60_000);

afterAll(async () => {
  Database.prototype.prepare = original;
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

function connection(): Database.Database {
  return (app.store as SqliteStore).connection;
}

/** The table each name in the statement stands for: aliases resolved (`FROM edges e`). */
function tablesByName(sql: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const m of sql.matchAll(/\b(?:FROM|JOIN)\s+(?:main\.)?(\w+)(?:\s+(?:AS\s+)?(\w+))?/gi)) {
    const table = m[1]!;
    names.set(table, table);
    const alias = m[2];
    if (alias && !/^(WHERE|ON|JOIN|LEFT|INNER|GROUP|ORDER|LIMIT|USING|SET)$/i.test(alias)) {
      names.set(alias, table);
    }
  }
  return names;
}

/** The growing tables a statement scans whole. */
function scans(db: Database.Database, sql: string): string[] {
  const params = (sql.match(/\?/g) ?? []).length;
  const statement = original.call(db, `EXPLAIN QUERY PLAN ${sql}`) as Database.Statement<
    unknown[], { detail: string }>;
  const steps = statement.all(...Array<null>(params).fill(null)).map((s) => s.detail);
  const names = tablesByName(sql);
  return steps.flatMap((step) => {
    const m = /^SCAN (\w+)/.exec(step);
    const table = m ? names.get(m[1]!) ?? m[1]! : undefined;
    return table && GROWING.includes(table) ? [`${step} (${table})`] : [];
  });
}

describe('statements that look records up search an index (EXPLAIN QUERY PLAN)', () => {
  it('prepared a good share of the store during the walk', () => {
    expect(prepared.size).toBeGreaterThan(60);
    expect([...prepared].some((s) => /(FROM|JOIN) edges e\b[^]*record_id = \?/.test(s))).toBe(true);
  });

  it('no parameterised statement scans a growing table', () => {
    const db = connection();
    const offenders: string[] = [];
    for (const sql of prepared) {
      if (!sql.includes('?') || !/^\s*(SELECT|UPDATE|DELETE|INSERT|WITH)/i.test(sql)) continue;
      if (ALLOWED.some((a) => a.sql.test(sql.trim()))) continue;
      const found = scans(db, sql);
      if (found.length > 0) offenders.push(`${found.join(', ')}: ${sql.replace(/\s+/g, ' ')}`);
    }
    expect(offenders).toEqual([]);
  });

  it('the check sees a scan behind an alias', () => {
    const sql = `SELECT e.type FROM edges e WHERE EXISTS (SELECT 1 FROM record_keys m
      WHERE m.record_id = ? AND m.key_type = e.target_type AND m.key_value = e.target_value)`;
    expect(scans(connection(), sql)).toEqual(['SCAN e (edges)']);
  });
});
