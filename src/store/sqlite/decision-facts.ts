import type Database from 'better-sqlite3';
import type { FactInput, OpenFinding, OwnerLink } from '../../decide/facts.js';
import type { FactsDelta, FactsFeed, FactsSnapshot, InventoryStatus } from '../../decide/ports.js';
import type { InventoryRecord, MergedAttribute } from '../../model/record.js';
import { rowToRecord, type RecordRow } from './codec.js';

type Statement = Database.Statement<unknown[], unknown>;

export interface SqliteFactsFeedOptions {
  /**
   * True when the connection is also the one that writes the inventory (an in-memory store,
   * the CLI). `PRAGMA data_version` only sees other connections' commits, so this connection's
   * own commits are found by reading the change sequence on every poll.
   */
  readonly sharedConnection?: boolean;
}

/**
 * The decision point's facts from SQLite. A poll costs one `PRAGMA data_version` (which moves
 * when another connection commits); only then are the records changed since the last poll
 * read, by the `decision_changes` sequence that migration 2's triggers keep.
 */
export class SqliteFactsFeed implements FactsFeed {
  readonly #db: Database.Database;
  readonly #shared: boolean;
  readonly #version: Statement;
  readonly #maxSeq: Statement;
  readonly #changed: Statement;
  readonly #record: Statement;
  readonly #findingsOf: Statement;
  readonly #ownersOf: Statement;
  readonly #dependents: Statement;
  readonly #records: Statement;
  readonly #runs: Statement;
  #lastVersion = -1;
  #lastSeq = 0;

  constructor(db: Database.Database, options: SqliteFactsFeedOptions = {}) {
    this.#db = db;
    this.#shared = options.sharedConnection ?? false;
    const p = (sql: string): Statement => db.prepare(sql);
    this.#version = p('PRAGMA data_version').pluck();
    this.#maxSeq = p('SELECT COALESCE(MAX(seq), 0) FROM decision_changes').pluck();
    this.#changed = p('SELECT record_id, seq FROM decision_changes WHERE seq > ? ORDER BY seq');
    this.#record = p('SELECT * FROM records WHERE id = ?');
    this.#findingsOf = p(
      "SELECT id, kind, severity FROM findings WHERE subject_id = ? AND status = 'open'",
    );
    this.#ownersOf = p(OWNERS_SQL + ' WHERE x.record_id = ?');
    this.#dependents = p(DEPENDENTS_SQL);
    this.#records = p('SELECT COUNT(*) FROM records').pluck();
    this.#runs = p(`SELECT as_of, counts FROM runs WHERE status = 'committed'
      AND source <> 'roster' ORDER BY as_of DESC`);
  }

  load(): FactsSnapshot {
    return this.#db.transaction(() => {
      this.#lastVersion = this.#version.get() as number;
      this.#lastSeq = this.#maxSeq.get() as number;
      const records = new Map<string, InventoryRecord>();
      const rows = this.#db.prepare('SELECT * FROM records').iterate() as Iterable<RecordRow>;
      for (const row of rows) {
        records.set(row.id, rowToRecord(row));
      }
      const findings = groupFindings(this.#db);
      const owners = groupOwners(this.#db, records);
      const inputs: FactInput[] = [];
      for (const record of records.values()) {
        inputs.push({
          record,
          owners: owners.get(record.id) ?? [],
          findings: findings.get(record.id) ?? [],
        });
      }
      return { inputs, status: this.#readStatus() };
    })();
  }

  poll(): FactsDelta | undefined {
    const version = this.#version.get() as number;
    if (version === this.#lastVersion && !this.#shared) return undefined;
    this.#lastVersion = version;
    // Most commits of other connections are the decision log's own (a server commits one per
    // event-loop turn): when the change sequence has not moved, no record changed. Sequence
    // numbers only grow (MAX + 1, rows never deleted), and this read is at least as new as
    // the version just read, so a record change committed before it is never missed.
    if ((this.#maxSeq.get() as number) === this.#lastSeq) return undefined;
    return this.#db.transaction(() => this.#delta())();
  }

  #delta(): FactsDelta | undefined {
    const rows = this.#changed.all(this.#lastSeq) as { record_id: string; seq: number }[];
    if (rows.length === 0) return undefined;
    this.#lastSeq = rows[rows.length - 1]!.seq;
    const ids = new Set(rows.map((r) => r.record_id));
    const changed: FactInput[] = [];
    const removed: string[] = [];
    for (const id of [...ids]) {
      const row = this.#record.get(id) as RecordRow | undefined;
      if (!row) {
        removed.push(id);
        continue;
      }
      if (row.kind === 'owner') {
        // Whoever this owner owns now reads a different ownerStatus.
        const owned = this.#dependents.all(id, id) as { record_id: string }[];
        for (const d of owned) ids.add(d.record_id);
      }
    }
    for (const id of ids) {
      const row = this.#record.get(id) as RecordRow | undefined;
      if (row) changed.push(this.#input(rowToRecord(row)));
    }
    return { changed, removed, status: this.#readStatus() };
  }

  #input(record: InventoryRecord): FactInput {
    const owners = (this.#ownersOf.all(record.id) as RecordRow[]).map(ownerLink);
    const findings = this.#findingsOf.all(record.id) as OpenFinding[];
    return { record, owners, findings };
  }

  /**
   * How fresh the inventory is: the as-of of the newest committed run of a source that listed
   * at least one record. Roster's own runs (admissions, attestations, retirements) and runs
   * that listed nothing (every row refused) say nothing about the estate, so they never make a
   * stale inventory look fresh.
   */
  #readStatus(): InventoryStatus {
    const records = this.#records.get() as number;
    for (const run of this.#runs.iterate() as Iterable<{ as_of: string; counts: string | null }>) {
      if (listedAny(run.counts)) return { records, newestRunAsOf: run.as_of };
    }
    return { records, newestRunAsOf: null };
  }
}

/** Whether a run's counts show a record it listed (added, changed, unchanged or older). */
function listedAny(counts: string | null): boolean {
  if (counts === null) return true;
  const c = JSON.parse(counts) as Partial<Record<string, number>>;
  return (c['added'] ?? 0) + (c['changed'] ?? 0) + (c['unchanged'] ?? 0) + (c['older'] ?? 0) > 0;
}

/**
 * `owned-by` edges resolved to owner records, in both directions: an asset that names its
 * owner, and an owner export that names what it owns (a reverse relation).
 */
const LINKS_SQL = `SELECT e.record_id AS record_id, k.record_id AS owner_id FROM edges e
      JOIN record_keys k ON k.key_type = e.target_type AND k.key_value = e.target_value
        AND k.kind = 'owner'
      WHERE e.type = 'owned-by' AND e.reverse = 0
    UNION
    SELECT k.record_id AS record_id, e.record_id AS owner_id FROM edges e
      JOIN record_keys k ON k.key_type = e.target_type AND k.key_value = e.target_value
      WHERE e.type = 'owned-by' AND e.reverse = 1`;

/** The owner records linked to a record, as whole rows (decoded like every other record). */
const OWNERS_SQL = `SELECT o.* FROM (${LINKS_SQL}) x
  JOIN records o ON o.id = x.owner_id AND o.kind = 'owner'`;

const DEPENDENTS_SQL = `SELECT e.record_id FROM edges e
    JOIN record_keys k ON k.key_type = e.target_type AND k.key_value = e.target_value
    WHERE k.record_id = ? AND e.type = 'owned-by' AND e.reverse = 0
  UNION
  SELECT k.record_id FROM edges e
    JOIN record_keys k ON k.key_type = e.target_type AND k.key_value = e.target_value
    WHERE e.record_id = ? AND e.type = 'owned-by' AND e.reverse = 1`;

function ownerLink(row: RecordRow): OwnerLink {
  const owner = rowToRecord(row);
  return linkOf(owner.id, owner.name, owner.attributes['active']);
}

function linkOf(ownerId: string, name: string, active: MergedAttribute | undefined): OwnerLink {
  return {
    ownerId,
    name,
    active: active && typeof active.value === 'boolean'
      ? { value: active.value, source: active.source, field: active.field ?? 'active',
        asOf: active.asOf }
      : null,
  };
}

function groupFindings(db: Database.Database): Map<string, OpenFinding[]> {
  const out = new Map<string, OpenFinding[]>();
  const rows = db
    .prepare("SELECT subject_id, id, kind, severity FROM findings WHERE status = 'open'")
    .iterate() as Iterable<OpenFinding & { subject_id: string }>;
  for (const { subject_id, ...f } of rows) push(out, subject_id, f);
  return out;
}

function groupOwners(db: Database.Database, records: Map<string, InventoryRecord>) {
  const out = new Map<string, OwnerLink[]>();
  const rows = db
    .prepare(LINKS_SQL)
    .iterate() as Iterable<{ record_id: string; owner_id: string }>;
  for (const row of rows) {
    const owner = records.get(row.owner_id);
    if (!owner || owner.kind !== 'owner') continue;
    push(out, row.record_id, linkOf(owner.id, owner.name, owner.attributes['active']));
  }
  return out;
}

function push<T>(m: Map<string, T[]>, k: string, v: T): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
