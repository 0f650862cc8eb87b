import type Database from 'better-sqlite3';
import type { InventoryRecord } from '../../model/record.js';
import type { RecordRow } from './codec.js';

type Statement = Database.Statement<unknown[], unknown>;

/** The columns of `records` besides `id`, in a fixed order (bit i of a mask is COLUMNS[i]). */
const COLUMNS = [
  'kind', 'name', 'admission', 'lifecycle', 'owner', 'environment', 'criticality',
  'first_seen', 'updated_at', 'search', 'summary', 'body',
] as const satisfies readonly (keyof RecordRow)[];

const SEARCH = 1 << COLUMNS.indexOf('search');

/** A row read in this transaction and the record decoded from it. */
export interface ReadRow {
  readonly row: RecordRow;
  readonly record: InventoryRecord;
}

/**
 * Writes a record whose stored row is known by setting only the columns that differ, so that
 * SQLite leaves the indexes over the other columns (kind, name, admission, first_seen…) and
 * the unchanged parts alone; an unchanged record is not written at all. A changed `search`
 * goes through the caller's multi-row upsert instead: per-row statements that touch the FTS5
 * index each flush a segment of their own (see MultiRowInsert).
 */
export class RecordUpdates {
  readonly #db: Database.Database;
  readonly #statements = new Map<number, Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  /**
   * Writes `next` over `before` when it can: answers 'unchanged' or 'updated', or 'upsert'
   * when the caller must write the whole row.
   */
  write(before: RecordRow, next: RecordRow): 'unchanged' | 'updated' | 'upsert' {
    let mask = 0;
    for (let i = 0; i < COLUMNS.length; i++) {
      const c = COLUMNS[i]!;
      if (before[c] !== next[c]) mask |= 1 << i;
    }
    if (mask === 0) return 'unchanged';
    if (mask & SEARCH) return 'upsert';
    const args: unknown[] = [];
    for (let i = 0; i < COLUMNS.length; i++) if (mask & (1 << i)) args.push(next[COLUMNS[i]!]);
    args.push(next.id);
    this.#statement(mask).run(args);
    return 'updated';
  }

  #statement(mask: number): Statement {
    let stmt = this.#statements.get(mask);
    if (!stmt) {
      const set = COLUMNS.filter((_, i) => mask & (1 << i)).map((c) => `${c} = ?`).join(', ');
      stmt = this.#db.prepare(`UPDATE records SET ${set} WHERE id = ?`);
      this.#statements.set(mask, stmt);
    }
    return stmt;
  }
}
