import type Database from 'better-sqlite3';
import type { InventoryRecord } from '../../model/record.js';
import { keyString } from '../../model/keys.js';
import { familyPrefix } from '../../model/scopes.js';
import type { EntityKind, Key } from '../../model/types.js';
import { observationId, type StoredObservation } from '../../reconcile/observation.js';
import type { ChangeEvent, ObservationRef, RunRecord, StoreTx } from '../port.js';
import {
  observationToRow,
  recordToRow,
  rowToObservation,
  rowToRecord,
  rowToRun,
  runToRow,
  type ObservationRow,
  type RecordRow,
  type RunRow,
} from './codec.js';
import { RecordWrites, type ReadRow } from './record-update.js';
import { MultiRowInsert } from './sqlite-batch.js';
import { SearchIndex } from './search-index.js';

type Statement = Database.Statement<unknown[], unknown>;

/** Prepared statements for one connection, made once. */
export class SqliteStatements {
  readonly getObservation: Statement;
  readonly holders: Statement;
  readonly keysOf: Statement;
  readonly putObservations: MultiRowInsert;
  readonly deleteEdges: Statement;
  readonly putEdges: MultiRowInsert;
  readonly reassignObservations: Statement;
  readonly reassignEdges: Statement;
  readonly missingCandidates: Statement;
  readonly markMissing: Statement;
  readonly unseenAtSameAsOf: Statement;
  readonly scopesBelow: Statement;
  readonly committedRunsSince: Statement;
  readonly observationsOf: Statement;
  readonly getRecord: Statement;
  readonly writeRecords: RecordWrites;
  readonly deleteKeys: Statement;
  readonly deleteKey: Statement;
  readonly putKeys: MultiRowInsert;
  readonly deleteRecord: Statement;
  readonly putRun: Statement;
  readonly putEvents: MultiRowInsert;
  readonly touch: Statement;
  readonly search: SearchIndex;

  constructor(db: Database.Database) {
    const p = (sql: string): Statement => db.prepare(sql);
    this.getObservation = p(
      'SELECT * FROM observations WHERE format = ? AND scope = ? AND source_id = ?',
    );
    this.holders = p(
      'SELECT record_id FROM record_keys WHERE kind = ? AND key_type = ? AND key_value = ?',
    );
    this.keysOf = p('SELECT key_type, key_value FROM record_keys WHERE record_id = ?');
    this.putObservations = new MultiRowInsert(
      db,
      `INSERT INTO observations (format, scope, source_id, record_id, run_id, seen_run, as_of,
       status, body) VALUES`,
      9,
      `ON CONFLICT (format, scope, source_id) DO UPDATE SET record_id = excluded.record_id,
         run_id = excluded.run_id, seen_run = excluded.seen_run, as_of = excluded.as_of,
         status = excluded.status, body = excluded.body`,
    );
    this.deleteEdges = p('DELETE FROM edges WHERE format = ? AND scope = ? AND source_id = ?');
    this.putEdges = new MultiRowInsert(
      db,
      `INSERT INTO edges (format, scope, source_id, record_id, type, reverse, target_type,
       target_value, source) VALUES`,
      9,
    );
    this.reassignObservations = p('UPDATE observations SET record_id = ? WHERE record_id = ?');
    this.reassignEdges = p('UPDATE edges SET record_id = ? WHERE record_id = ?');
    // Strictly older: a fact as old as the run's own is another export's word at the same
    // instant, which this run cannot overrule (DESIGN.md rule 3, any order).
    // Also what a newer complete run already marked: read late, this older one dates the
    // going back to its own as-of, as if the runs had come in time order.
    this.missingCandidates = p(
      `SELECT * FROM observations WHERE format = @format AND scope = @scope
       AND seen_run <> @run AND as_of < @asOf AND (status = 'present'
         OR (status = 'missing' AND json_extract(body, '$.missingSince') > @asOf))`,
    );
    this.unseenAtSameAsOf = p(
      `SELECT count(*) AS n FROM observations WHERE format = ? AND scope = ? AND seen_run <> ?
       AND status = 'present' AND as_of = ?`,
    );
    // The scopes of a family (`gcp:p1/*`, prefix `gcp:p1/`): those from the prefix up to the
    // prefix with its closing '/' raised to '0', the next character. A range, not LIKE (`_`
    // and `%` stay plain) nor substr (which counts characters where JS counts UTF-16 units):
    // text compares byte by byte, as startsWith does, and the primary key serves the range.
    this.scopesBelow = p(
      'SELECT DISTINCT scope FROM observations WHERE format = ? AND scope >= ? AND scope < ?',
    ).pluck();
    this.markMissing = p(
      `UPDATE observations SET status = 'missing', body = ? WHERE format = ? AND scope = ?
       AND source_id = ?`,
    );
    this.committedRunsSince = p(
      `SELECT * FROM runs WHERE format = ? AND as_of >= ? AND status = 'committed'
       ORDER BY as_of, id`,
    );
    this.observationsOf = p('SELECT * FROM observations WHERE record_id = ?');
    this.getRecord = p('SELECT * FROM records WHERE id = ?');
    this.writeRecords = new RecordWrites(db);
    this.deleteKeys = p('DELETE FROM record_keys WHERE record_id = ?');
    this.deleteKey = p(
      'DELETE FROM record_keys WHERE record_id = ? AND key_type = ? AND key_value = ?',
    );
    this.putKeys = new MultiRowInsert(
      db,
      'INSERT INTO record_keys (kind, key_type, key_value, record_id) VALUES',
      4,
      'ON CONFLICT DO NOTHING',
    );
    this.deleteRecord = p('DELETE FROM records WHERE id = ?');
    this.putRun = p(
      `INSERT INTO runs (id, format, source, file, as_of, as_of_origin, complete, scopes,
       started_at, finished_at, status, counts) VALUES (@id, @format, @source, @file, @as_of,
       @as_of_origin, @complete, @scopes, @started_at, @finished_at, @status, @counts)
       ON CONFLICT (id) DO UPDATE SET finished_at = excluded.finished_at,
         status = excluded.status, counts = excluded.counts, scopes = excluded.scopes,
         complete = excluded.complete`,
    );
    this.touch = p(
      'UPDATE observations SET seen_run = ? WHERE format = ? AND scope = ? AND source_id = ?',
    );
    this.putEvents = new MultiRowInsert(
      db,
      'INSERT INTO events (at, type, subject_id, run_id, data) VALUES',
      5,
    );
    this.search = new SearchIndex(db);
  }
}

/** An observation this transaction wrote, with the body text it was written with. */
interface Written {
  readonly body: string;
  readonly observation: StoredObservation;
}

/** The SQLite unit of work. Calls are synchronous underneath; the port is async for PostgreSQL. */
export class SqliteTx implements StoreTx {
  readonly #s: SqliteStatements;
  /**
   * The last batch of observations written, so that merging right after does not parse back
   * what was just serialised. A row is taken from here only while its body text is the one
   * written (markMissing rewrites bodies; reassign changes only the record_id column).
   */
  #written = new Map<string, Written>();
  /**
   * The rows of the last getRecordsById, so that putRecords of the records decoded from them
   * writes only what changed. A row is used only for the very record object decoded from it,
   * and is dropped once that record is written or deleted.
   */
  #read = new Map<string, ReadRow>();

  constructor(statements: SqliteStatements) {
    this.#s = statements;
  }

  async getObservations(refs: readonly ObservationRef[]) {
    const out = new Map<string, StoredObservation>();
    for (const r of refs) {
      const row = this.#s.getObservation.get(r.format, r.scope, r.sourceId) as
        | ObservationRow
        | undefined;
      if (row) out.set(observationId(r), rowToObservation(row));
    }
    return out;
  }

  async holdersOf(kind: EntityKind, keys: readonly Key[]) {
    const out = new Map<string, string[]>();
    for (const k of keys) {
      const rows = this.#s.holders.all(kind, k.type, k.value) as { record_id: string }[];
      if (rows.length > 0) out.set(keyString(k), rows.map((r) => r.record_id));
    }
    return out;
  }

  async keysOfRecords(ids: readonly string[]) {
    const out = new Map<string, Key[]>();
    for (const id of ids) {
      const rows = this.#s.keysOf.all(id) as { key_type: Key['type']; key_value: string }[];
      out.set(id, rows.map((r) => ({ type: r.key_type, value: r.key_value })));
    }
    return out;
  }

  async putObservations(observations: readonly StoredObservation[]) {
    const rows: unknown[][] = [];
    const edges: unknown[][] = [];
    this.#written = new Map();
    for (const o of observations) {
      const row = observationToRow(o);
      rows.push([row.format, row.scope, row.source_id, row.record_id, row.run_id, row.run_id,
        row.as_of, row.status, row.body]);
      this.#written.set(observationId(o), { body: row.body, observation: o });
      this.#s.deleteEdges.run(o.format, o.scope, o.sourceId);
      for (const r of o.relations) {
        edges.push([o.format, o.scope, o.sourceId, o.recordId, r.type, r.reverse ? 1 : 0,
          r.target.type, r.target.value, o.source]);
      }
    }
    this.#s.putObservations.run(rows);
    this.#s.putEdges.run(edges);
  }

  async touch(runId: string, refs: readonly ObservationRef[]) {
    for (const r of refs) this.#s.touch.run(runId, r.format, r.scope, r.sourceId);
  }

  async reassign(from: string, to: string) {
    this.#s.reassignObservations.run(to, from);
    this.#s.reassignEdges.run(to, from);
  }

  async markMissing(format: string, scopes: readonly string[], runId: string, asOf: string) {
    const affected = new Set<string>();
    let kept = 0;
    for (const scope of this.#concrete(format, scopes)) {
      kept += (this.#s.unseenAtSameAsOf.get(format, scope, runId, asOf) as { n: number }).n;
      const rows = this.#s.missingCandidates.all({ format, scope, run: runId, asOf }) as
        ObservationRow[];
      for (const row of rows) {
        const o = rowToObservation(row);
        const { body } = observationToRow({ ...o, missingSince: asOf });
        this.#s.markMissing.run(body, format, scope, row.source_id);
        affected.add(row.record_id);
      }
    }
    return { records: [...affected], kept };
  }

  /** The stored scopes a run's scopes stand for, a family (`gcp:p1/*`) for each below it. */
  #concrete(format: string, scopes: readonly string[]): Set<string> {
    const out = new Set<string>();
    for (const scope of scopes) {
      const prefix = familyPrefix(scope);
      if (prefix === undefined) {
        out.add(scope);
        continue;
      }
      const end = `${prefix.slice(0, -1)}0`;
      const below = this.#s.scopesBelow.all(format, prefix, end) as string[];
      for (const s of below) out.add(s);
    }
    return out;
  }

  async committedRunsSince(format: string, asOf: string) {
    return (this.#s.committedRunsSince.all(format, asOf) as RunRow[]).map(rowToRun);
  }

  async observationsOf(recordIds: readonly string[]) {
    const out = new Map<string, StoredObservation[]>();
    for (const id of recordIds) {
      const rows = this.#s.observationsOf.all(id) as ObservationRow[];
      out.set(id, rows.map((row) => this.#fromRow(row)));
    }
    return out;
  }

  #fromRow(row: ObservationRow): StoredObservation {
    const written = this.#written.get(observationId({
      format: row.format, scope: row.scope, sourceId: row.source_id,
    }));
    if (!written || written.body !== row.body) return rowToObservation(row);
    const o = written.observation;
    if (o.recordId === row.record_id && o.runId === row.run_id && o.asOf === row.as_of &&
        o.status === row.status) {
      return o;
    }
    return { ...o, recordId: row.record_id, runId: row.run_id, asOf: row.as_of,
      status: row.status as StoredObservation['status'] };
  }

  async getRecordsById(ids: readonly string[]) {
    const out = new Map<string, InventoryRecord>();
    this.#read = new Map();
    for (const id of ids) {
      const row = this.#s.getRecord.get(id) as RecordRow | undefined;
      if (!row) continue;
      const record = rowToRecord(row);
      out.set(id, record);
      this.#read.set(id, { row, record });
    }
    return out;
  }

  async putRecords(
    records: readonly InventoryRecord[],
    previous?: ReadonlyMap<string, InventoryRecord>,
  ) {
    const rows: [number, RecordRow][] = [];
    const keys: unknown[][] = [];
    const searchChanged: string[] = [];
    for (const r of records) {
      const row = recordToRow(r);
      const read = this.#read.get(r.id);
      this.#read.delete(r.id);
      const known = read && previous?.get(r.id) === read.record ? read.row : undefined;
      const mask = RecordWrites.changed(known, row);
      // The body holds the keys: an unchanged row has the keys it had.
      if (mask === 0) continue;
      rows.push([mask, row]);
      // A record absent from `previous` has no row yet: nothing of it is in the index.
      const stored = !previous || previous.has(r.id);
      if (stored && RecordWrites.touchesSearch(mask)) searchChanged.push(r.id);
      for (const k of this.#newKeys(r, previous)) keys.push([r.kind, k.type, k.value, r.id]);
    }
    this.#s.search.beforeChange(searchChanged);
    if (rows.length > 0) this.#s.search.inserting(() => this.#s.writeRecords.write(rows));
    this.#s.putKeys.run(keys);
  }

  /**
   * Keys to insert for a record: all of them when its stored version is not known, else only
   * those the stored version lacks (the ones it no longer has are deleted here).
   */
  #newKeys(r: InventoryRecord, previous: ReadonlyMap<string, InventoryRecord> | undefined): Key[] {
    if (!previous) {
      this.#s.deleteKeys.run(r.id);
      return [...r.keys];
    }
    const before = previous.get(r.id)?.keys ?? [];
    if (before.length === 0) return [...r.keys];
    const now = new Set(r.keys.map(keyString));
    for (const k of before) {
      if (!now.has(keyString(k))) this.#s.deleteKey.run(r.id, k.type, k.value);
    }
    const had = new Set(before.map(keyString));
    return r.keys.filter((k) => !had.has(keyString(k)));
  }

  async deleteRecords(ids: readonly string[]) {
    this.#s.search.beforeChange(ids);
    for (const id of ids) {
      this.#read.delete(id);
      this.#s.deleteKeys.run(id);
      this.#s.deleteRecord.run(id);
    }
  }

  /** Brings the search index up to date with this transaction's writes, before it commits. */
  finish(): void {
    this.#s.search.apply();
  }

  async putRun(run: RunRecord) {
    this.#s.putRun.run(runToRow(run));
  }

  async appendEvents(events: readonly Omit<ChangeEvent, 'seq'>[]) {
    this.#s.putEvents.run(
      events.map((e) => [e.at, e.type, e.subjectId, e.runId, JSON.stringify(e.data)]),
    );
  }
}
