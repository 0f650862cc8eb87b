import type Database from 'better-sqlite3';

type Statement = Database.Statement<unknown[], unknown>;

/**
 * Keeps `records_search` (migration 4's FTS5 trigram index over `records.search`, an
 * external-content table) in step with `records` in bulk, once per transaction, in place of
 * the per-row triggers that migration 7 drops.
 *
 * An external-content FTS5 row is deleted by giving the text it was indexed with, so before
 * a row's search text changes or the row goes, its rowid and current text are noted in a temp
 * table (the first note of a rowid wins: that is what the index holds); after an insert the
 * new rowids are noted with no text. `apply`, before the transaction commits, deletes the old
 * entries and indexes the current text of every noted rowid that changed, or rebuilds the
 * index when that is less work. The temp table is part of the transaction: a rollback drops
 * the notes with the writes they describe.
 *
 * PostgreSQL has no counterpart: its GIN trigram index over `records.search` follows the rows.
 */
export class SearchIndex {
  readonly #db: Database.Database;
  #statements: SearchStatements | undefined;
  #noted = false;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  /** Call before the rows of these records change their search text or are deleted. */
  beforeChange(ids: readonly string[]): void {
    if (ids.length === 0) return;
    this.#stmts().noteIndexed.run(JSON.stringify(ids));
    this.#noted = true;
  }

  /**
   * Runs `write`, which inserts or updates records rows, and notes the rows it inserted: those
   * above the highest rowid before it, since SQLite gives a new row the highest rowid plus one
   * (a rowid freed by a delete in this transaction keeps the note the delete made).
   */
  inserting(write: () => void): void {
    const s = this.#stmts();
    const { top } = s.top.get() as { top: number };
    write();
    s.noteNew.run(top);
    this.#noted = true;
  }

  /** Brings `records_search` up to date with every row noted; call inside the transaction. */
  apply(): void {
    if (!this.#noted) return;
    this.#noted = false;
    const s = this.#stmts();
    const { work } = s.work.get() as { work: number };
    if (work === 0) return;
    // Patching tokenises a new row's text once and a changed row's twice (its old text, to
    // delete it, and the new); a rebuild tokenises every row once. The cheaper one runs.
    const { total } = s.total.get() as { total: number };
    if (work >= total) s.rebuild.run();
    else {
      s.deleteOld.run();
      s.insertNew.run();
    }
    s.clear.run();
  }

  #stmts(): SearchStatements {
    this.#statements ??= new SearchStatements(this.#db);
    return this.#statements;
  }
}

class SearchStatements {
  readonly noteIndexed: Statement;
  readonly top: Statement;
  readonly noteNew: Statement;
  readonly work: Statement;
  readonly total: Statement;
  readonly rebuild: Statement;
  readonly deleteOld: Statement;
  readonly insertNew: Statement;
  readonly clear: Statement;

  constructor(db: Database.Database) {
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS search_noted (
      record_rowid INTEGER PRIMARY KEY, indexed TEXT)`);
    const p = (sql: string): Statement => db.prepare(sql);
    const ids = 'id IN (SELECT value FROM json_each(?))';
    this.noteIndexed = p(`INSERT INTO temp.search_noted (record_rowid, indexed)
      SELECT rowid, search FROM main.records WHERE ${ids} ON CONFLICT DO NOTHING`);
    this.top = p('SELECT COALESCE(MAX(rowid), 0) AS top FROM main.records');
    this.noteNew = p(`INSERT INTO temp.search_noted (record_rowid, indexed)
      SELECT rowid, NULL FROM main.records WHERE rowid > ? ON CONFLICT DO NOTHING`);
    this.work = p('SELECT COUNT(*) + COUNT(indexed) AS work FROM temp.search_noted');
    this.total = p('SELECT COUNT(*) AS total FROM main.records');
    this.rebuild = p("INSERT INTO records_search (records_search) VALUES ('rebuild')");
    // FTS5's 'delete' command takes the text the row was indexed with (external content).
    this.deleteOld = p(`INSERT INTO records_search (records_search, rowid, search)
      SELECT 'delete', n.record_rowid, n.indexed FROM temp.search_noted n
      LEFT JOIN main.records r ON r.rowid = n.record_rowid
      WHERE n.indexed IS NOT NULL AND (r.rowid IS NULL OR r.search <> n.indexed)
      ORDER BY n.record_rowid`);
    this.insertNew = p(`INSERT INTO records_search (rowid, search)
      SELECT r.rowid, r.search FROM temp.search_noted n
      JOIN main.records r ON r.rowid = n.record_rowid
      WHERE n.indexed IS NULL OR r.search <> n.indexed
      ORDER BY n.record_rowid`);
    this.clear = p('DELETE FROM temp.search_noted');
  }
}
