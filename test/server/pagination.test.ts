import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordPageQuery } from '../../src/store/api-port.js';
import { encodeCursor } from '../../src/store/sqlite/keyset.js';
import { findingPageSql, recordPageSql } from '../../src/store/sqlite/api-queries.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { startHarness, type Harness } from './harness.js';
import { REPORT_HEADER, reportRow } from '../helpers/credential-report.js';

/** The row of user-0042 for i = 42. */
const row = (i: number) =>
  reportRow(`user-${String(i).padStart(4, '0')}`, '2024-02-01T00:00:00+00:00');

const USERS = 2500;

let h: Harness;
let db: Database.Database;
beforeAll(async () => {
  h = await startHarness({ empty: true });
  // Shuffled, so that the id order, the name order and the insertion order all differ.
  const order = Array.from({ length: USERS }, (_, i) => (i * 7919) % USERS);
  const r = await h.rs.server.inject({
    method: 'POST', url: '/api/v1/ingest?asOf=2026-12-01T00:00:00Z&judge=false',
    headers: { ...h.auth('ingest'), 'content-type': 'text/csv' },
    payload: [REPORT_HEADER, ...order.map(row)].join('\n'),
  });
  expect(r.statusCode, r.body).toBe(201);
  db = (h.app.store as SqliteStore).connection;
}, 120_000);
afterAll(() => h.close());

interface Item { id: string; name: string; updatedAt: string }

/** Follows `next` to the end; returns every item in the order the pages gave them. */
async function walk(url: string): Promise<{ items: Item[]; pages: number }> {
  const items: Item[] = [];
  let next: string | null = null;
  let pages = 0;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const page = await h.rs.server.inject({
      url: next ? `${url}${sep}cursor=${next}` : url, headers: h.auth('read'),
    });
    expect(page.statusCode, page.body).toBe(200);
    const body = page.json() as { items: Item[]; next: string | null };
    items.push(...body.items);
    next = body.next;
    pages++;
  } while (next);
  return { items, pages };
}

describe('cursor pagination over a few thousand records', () => {
  it('walks every identity by name with no duplicate and no gap', async () => {
    const { items, pages } = await walk('/api/v1/identities?limit=137');
    expect(pages).toBe(Math.ceil(USERS / 137));
    expect(items).toHaveLength(USERS);
    expect(new Set(items.map((i) => i.id)).size).toBe(USERS);
    const names = items.map((i) => i.name);
    expect(names).toEqual([...names].sort());
    expect(names[0]).toBe('user-0000');
    expect(names.at(-1)).toBe(`user-${USERS - 1}`);
  });

  it('walks every record of every kind by update time, newest first, and by id', async () => {
    const total = (db.prepare('SELECT COUNT(*) AS n FROM records').get() as { n: number }).n;
    expect(total).toBeGreaterThanOrEqual(USERS * 2);
    for (const url of ['/api/v1/records?limit=500&sort=updatedAt&order=desc',
      '/api/v1/records?limit=451&sort=id&order=asc']) {
      const { items } = await walk(url);
      expect(items, url).toHaveLength(total);
      expect(new Set(items.map((i) => i.id)).size, url).toBe(total);
    }
  });

  it('pages through search results', async () => {
    const { items, pages } = await walk('/api/v1/identities?q=user-00&limit=30');
    expect(items).toHaveLength(100);
    expect(pages).toBe(4);
    expect(items.every((i) => i.name.startsWith('user-00'))).toBe(true);
  });
});

/** EXPLAIN QUERY PLAN of one page query: each step's detail text. */
function plan(sql: string, args: unknown[]): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[])
    .map((r) => r.detail);
}

describe('page queries read an index, never sort the table (EXPLAIN QUERY PLAN)', () => {
  const cursorOf = (q: Omit<RecordPageQuery, 'limit'>, value: string) =>
    encodeCursor({ sort: q.sort, order: q.order, value, id: 'rec_x' });
  const cases: Omit<RecordPageQuery, 'limit'>[] = [];
  for (const sort of ['name', 'updatedAt', 'firstSeen', 'id'] as const) {
    for (const order of ['asc', 'desc'] as const) {
      cases.push({ kind: 'identity', sort, order });
      cases.push({ sort, order });
    }
  }
  cases.push({ kind: 'asset', admission: 'unknown', sort: 'name', order: 'asc' });
  cases.push({ kind: 'asset', owner: null, sort: 'name', order: 'asc' });
  cases.push({ kind: 'asset', owner: null, sort: 'updatedAt', order: 'desc' });

  it.each(cases.map((c) => [JSON.stringify(c), c] as const))('%s', (_label, c) => {
    for (const cursor of [undefined, cursorOf(c, 'm')]) {
      const { sql, args } = recordPageSql({ ...c, limit: 50, ...(cursor ? { cursor } : {}) });
      const steps = plan(sql, args);
      expect(steps.join(' | '), sql).not.toMatch(/TEMP B-TREE/);
      expect(steps.join(' | '), sql).toMatch(/USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY/);
      if (cursor) expect(steps.join(' | '), sql).toMatch(/^SEARCH/);
    }
  });

  it('unowned records are read from their own partial index', () => {
    for (const sort of ['name', 'updatedAt'] as const) {
      const q = { kind: 'asset' as const, owner: null, sort, order: 'desc' as const, limit: 50 };
      const { sql, args } = recordPageSql(q);
      expect(plan(sql, args).join(' | ')).toMatch(/USING INDEX records_unowned_/);
    }
  });

  it('search goes through the trigram index', () => {
    const { sql, args } = recordPageSql({ q: 'user-01', sort: 'name', order: 'asc', limit: 50 });
    expect(plan(sql, args).join(' | ')).toMatch(/VIRTUAL TABLE INDEX/);
  });

  it('findings pages by opening time or id read an index', () => {
    for (const sort of ['openedAt', 'id'] as const) {
      const { sql, args } = findingPageSql({ status: 'all', sort, order: 'desc', limit: 50 });
      expect(plan(sql, args).join(' | ')).not.toMatch(/TEMP B-TREE/);
    }
  });
});
