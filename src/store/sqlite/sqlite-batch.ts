import type Database from 'better-sqlite3';

type Statement = Database.Statement<unknown[], unknown>;

/**
 * A multi-row `INSERT … VALUES (…), (…), …` (standard SQL, also PostgreSQL's), run in
 * slices of up to `size` rows. One statement per slice instead of one per row matters
 * beyond the calls saved: while `records` had FTS5 triggers (migrations 4 to 7), FTS5 flushed
 * its pending terms at each statement, so per-row statements wrote a tiny index segment per
 * row, and slices of 1,024 records cost a quarter less per row than slices of 100 (a write of
 * 20,000 records rows alone: about 60 instead of 80 µs a row). Slices are `size` rows, then
 * powers of two for the rest, so that a handful of statement shapes are prepared whatever the
 * row counts.
 */
export class MultiRowInsert {
  readonly #db: Database.Database;
  readonly #head: string;
  readonly #tuple: string;
  readonly #tail: string;
  readonly #size: number;
  readonly #statements = new Map<number, Statement>();

  /**
   * @example new MultiRowInsert(db, 'INSERT INTO t (a, b) VALUES', 2, 'ON CONFLICT DO NOTHING')
   */
  constructor(db: Database.Database, head: string, width: number, tail = '', size = 256) {
    this.#db = db;
    this.#head = head;
    this.#tuple = `(${Array.from({ length: width }, () => '?').join(', ')})`;
    this.#tail = tail;
    this.#size = size;
  }

  run(rows: readonly (readonly unknown[])[]): void {
    for (let i = 0; i < rows.length;) {
      const n = sliceLength(rows.length - i, this.#size);
      this.#statement(n).run(rows.slice(i, i + n).flat());
      i += n;
    }
  }

  #statement(rows: number): Statement {
    let stmt = this.#statements.get(rows);
    if (!stmt) {
      const values = Array.from({ length: rows }, () => this.#tuple).join(', ');
      stmt = this.#db.prepare(`${this.#head} ${values} ${this.#tail}`);
      this.#statements.set(rows, stmt);
    }
    return stmt;
  }
}

/** `size` while that many rows are left, else the largest power of two that fits. */
function sliceLength(left: number, size: number): number {
  return left >= size ? size : 2 ** Math.floor(Math.log2(left));
}
