import type Database from 'better-sqlite3';

type Statement = Database.Statement<unknown[], unknown>;

/** Statements kept per connection; SQL shapes are few, the bound is for generated ones. */
const LIMIT = 256;

/**
 * Prepared statements of one connection, kept by their SQL text. Preparing costs tens of
 * microseconds (SQLite parses and plans the text each time): a look-up made per record, per
 * event or per request must not pay it on every call. The least recently used statement goes
 * once `LIMIT` are kept, so that SQL built with inlined values cannot grow the cache.
 */
export class StatementCache {
  readonly #db: Database.Database;
  readonly #kept = new Map<string, Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  prepare(sql: string): Statement {
    let stmt = this.#kept.get(sql);
    if (stmt) {
      // Map order is insertion order: taking it out and back in makes it the newest.
      this.#kept.delete(sql);
    } else {
      stmt = this.#db.prepare(sql);
      if (this.#kept.size >= LIMIT) this.#kept.delete(this.#kept.keys().next().value!);
    }
    this.#kept.set(sql, stmt);
    return stmt;
  }
}
