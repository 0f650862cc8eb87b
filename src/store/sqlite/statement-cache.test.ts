import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { StatementCache } from './statement-cache.js';

describe('StatementCache', () => {
  let db: Database.Database | undefined;
  afterEach(() => db?.close());

  it('prepares a SQL text once and answers the same statement after', () => {
    db = new Database(':memory:');
    db.exec('CREATE TABLE t (a INTEGER)');
    const cache = new StatementCache(db);
    const first = cache.prepare('SELECT a FROM t WHERE a = ?');
    expect(cache.prepare('SELECT a FROM t WHERE a = ?')).toBe(first);
    expect(cache.prepare('SELECT a FROM t WHERE a > ?')).not.toBe(first);
  });

  it('keeps at most 256 statements, dropping the least recently used', () => {
    db = new Database(':memory:');
    const cache = new StatementCache(db);
    const sql = (i: number) => `SELECT ${i} AS n`;
    const made = Array.from({ length: 256 }, (_, i) => cache.prepare(sql(i)));
    // sql(0) used again is the newest, so the 257th text pushes out sql(1), the oldest.
    expect(cache.prepare(sql(0))).toBe(made[0]);
    cache.prepare(sql(256));
    expect(cache.prepare(sql(0))).toBe(made[0]);
    expect(cache.prepare(sql(2))).toBe(made[2]);
    const again = cache.prepare(sql(1));
    expect(again).not.toBe(made[1]);
    expect((again.get() as { n: number }).n).toBe(1);
  });
});
