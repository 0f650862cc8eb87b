import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.js';

/**
 * A SQLite file as Roster left it at an older version: the migrations up to and including
 * `version` applied (with their data steps) and recorded, as a store of that version would
 * have. For tests of a later migration over rows the old schema held. Close it when done.
 */
export function databaseAtVersion(path: string, version: number): Database.Database {
  const db = new Database(path);
  db.exec(`CREATE TABLE schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  for (const m of MIGRATIONS.filter((x) => x.version <= version)) {
    db.exec(m.sql);
    m.data?.(db);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)')
      .run(m.version, m.name, '2026-12-01T00:00:00.000Z');
  }
  return db;
}

/**
 * Makes a store's open database look as an older Roster left it: runs `statements` (which put
 * rows back the way the older version stored them) and forgets the migrations from `version`
 * on, so that the next migrate() runs them again over those rows.
 */
export function rewindTo(db: Database.Database, version: number, statements: string[]): void {
  for (const sql of statements) db.prepare(sql).run();
  db.prepare('DELETE FROM schema_migrations WHERE version >= ?').run(version);
}

/** Every stored observation as `<source id> <scope>`, by source id. */
export function observationScopes(db: Database.Database): string[] {
  return db.prepare(`SELECT source_id || ' ' || scope FROM observations ORDER BY source_id`)
    .pluck().all() as string[];
}

/**
 * Runs a migration's data step twice, as a database migrated once and opened again would not
 * but a retried one might: once moved, a row must stay where it is. Returns the scopes after.
 */
export function scopesAfterTwice(
  db: Database.Database,
  step: (db: Database.Database) => void,
): string[] {
  step(db);
  step(db);
  return observationScopes(db);
}
