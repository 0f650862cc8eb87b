import type Database from 'better-sqlite3';
import type { InventoryRecord } from '../../model/record.js';
import type { RecordRow } from './codec.js';
import { MultiRowInsert } from './sqlite-batch.js';

/** The columns of `records` besides `id`, in a fixed order (bit i of a mask is COLUMNS[i]). */
const COLUMNS = [
  'kind', 'name', 'admission', 'lifecycle', 'owner', 'environment', 'criticality',
  'first_seen', 'updated_at', 'search', 'summary', 'body',
] as const satisfies readonly (keyof RecordRow)[];

const ALL = (1 << COLUMNS.length) - 1;

const SEARCH = 1 << COLUMNS.indexOf('search');

/** Records rows per statement: 13 parameters each, well under SQLite's 32,766. */
const RECORD_SLICE = 1024;

/** A row read in this transaction and the record decoded from it. */
export interface ReadRow {
  readonly row: RecordRow;
  readonly record: InventoryRecord;
}

/**
 * Writes records as multi-row upserts grouped by the columns that changed: the `DO UPDATE`
 * sets only those, so SQLite leaves the indexes over the other columns (kind, name,
 * admission, first_seen…) alone, and only a changed search text reaches the search index. A
 * record whose stored row is not known is written whole; an unchanged one not at all.
 */
export class RecordWrites {
  readonly #db: Database.Database;
  readonly #upserts = new Map<number, MultiRowInsert>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  /** The columns of `next` that differ from `before` (all of them without `before`), 0 if none. */
  static changed(before: RecordRow | undefined, next: RecordRow): number {
    if (!before) return ALL;
    let mask = 0;
    for (let i = 0; i < COLUMNS.length; i++) {
      const c = COLUMNS[i]!;
      if (before[c] !== next[c]) mask |= 1 << i;
    }
    return mask;
  }

  /** Whether a row written with this mask gets a new search text (see SearchIndex). */
  static touchesSearch(mask: number): boolean {
    return (mask & SEARCH) !== 0;
  }

  /** Writes the rows, each with the mask `changed` gave it (rows with mask 0 are skipped). */
  write(rows: readonly (readonly [number, RecordRow])[]): void {
    const groups = new Map<number, unknown[][]>();
    for (const [mask, row] of rows) {
      if (mask === 0) continue;
      let group = groups.get(mask);
      if (!group) groups.set(mask, (group = []));
      group.push([row.id, ...COLUMNS.map((c) => row[c])]);
    }
    for (const [mask, group] of groups) this.#upsert(mask).run(group);
  }

  #upsert(mask: number): MultiRowInsert {
    let upsert = this.#upserts.get(mask);
    if (!upsert) {
      const set = COLUMNS.filter((_, i) => mask & (1 << i)).map((c) => `${c} = excluded.${c}`);
      const head = `INSERT INTO records (id, ${COLUMNS.join(', ')}) VALUES`;
      upsert = new MultiRowInsert(this.#db, head, COLUMNS.length + 1,
        `ON CONFLICT (id) DO UPDATE SET ${set.join(', ')}`, RECORD_SLICE);
      this.#upserts.set(mask, upsert);
    }
    return upsert;
  }
}
