import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MultiRowInsert } from './sqlite-batch.js';

describe('MultiRowInsert', () => {
  let db: Database.Database;
  beforeEach(() => {
    db = new Database(':memory:');
    db.exec('CREATE TABLE t (seq INTEGER PRIMARY KEY, a INTEGER NOT NULL, b TEXT NOT NULL)');
  });
  afterEach(() => db.close());

  const rows = (n: number): [number, string][] =>
    Array.from({ length: n }, (_, i) => [i, `row ${i}`] as [number, string]);

  it.each([0, 1, 2, 3, 7, 63, 64, 65, 200, 1000])(
    'writes all %i rows once, in order, whatever the slice sizes',
    (n) => {
      new MultiRowInsert(db, 'INSERT INTO t (a, b) VALUES', 2, '', 64).run(rows(n));
      const back = db.prepare('SELECT a, b FROM t ORDER BY seq').raw().all();
      expect(back).toEqual(rows(n));
    },
  );

  it('keeps the tail clause (an upsert) on every slice', () => {
    db.exec('CREATE UNIQUE INDEX t_a ON t (a)');
    const upsert = new MultiRowInsert(db, 'INSERT INTO t (a, b) VALUES', 2,
      'ON CONFLICT (a) DO UPDATE SET b = excluded.b', 8);
    upsert.run(rows(21));
    upsert.run(rows(21).map(([a]) => [a, 'again']));
    const back = db.prepare('SELECT b, COUNT(*) AS n FROM t GROUP BY b').all();
    expect(back).toEqual([{ b: 'again', n: 21 }]);
  });
});
