import type { InventoryRecord } from '../model/record.js';
import type { EntityKind, Key, RelationType } from '../model/types.js';
import type { RecordSummary } from '../judge/context.js';
import type { Finding } from '../judge/finding.js';
import type { StoredObservation } from '../reconcile/observation.js';

export type RunStatus = 'running' | 'committed' | 'failed';

/** One ingest of one file: when its source generated it and what it covered. */
export interface RunRecord {
  readonly id: string;
  readonly format: string;
  readonly source: string;
  readonly file: string;
  readonly asOf: string;
  /** Where asOf came from: the file itself, the --as-of flag, or the file's mtime. */
  readonly asOfOrigin: 'file' | 'flag' | 'mtime' | 'clock';
  readonly complete: boolean;
  readonly scopes: readonly string[];
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly status: RunStatus;
  readonly counts?: RunCounts;
}

export interface RunCounts {
  readonly added: number;
  readonly changed: number;
  readonly unchanged: number;
  readonly missing: number;
  readonly rejected: number;
  readonly warnings: number;
  /** Observations older than what the store already holds (ignored: rule 1). */
  readonly older: number;
}

/** A relation resolved to record ids where possible. */
export interface ResolvedEdge {
  readonly fromId: string | null;
  readonly toId: string | null;
  readonly type: RelationType;
  readonly fromKey?: Key;
  readonly toKey?: Key;
  readonly source: string;
}

export interface RecordQuery {
  readonly kind?: EntityKind;
  readonly admission?: string;
  readonly lifecycle?: string;
  readonly environment?: string;
  readonly owner?: string;
  readonly search?: string;
  readonly limit?: number;
  /** Opaque cursor from a previous page. */
  readonly after?: string;
}

export interface FindingQuery {
  readonly kind?: string;
  readonly severity?: string;
  readonly subjectId?: string;
  readonly status?: 'open' | 'closed' | 'all';
  readonly limit?: number;
}

export interface StoredFinding extends Finding {
  readonly status: 'open' | 'closed';
  readonly openedAt: string;
  readonly closedAt: string | null;
  readonly lastJudgedAt: string;
}

/** What a judgement changed: open findings after it (by kind), newly opened, closed. */
export interface JudgementCounts {
  readonly open: number;
  readonly opened: number;
  readonly closed: number;
  readonly byKind: Readonly<Record<string, number>>;
}

/** An inventory change, in order; the source of change events (issue #5) and history. */
export interface ChangeEvent {
  readonly seq: number;
  readonly at: string;
  readonly type: string;
  readonly subjectId: string | null;
  readonly runId: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

/** Work inside one transaction: everything commits together or not at all. */
export interface StoreTx {
  getObservations(ids: readonly ObservationRef[]): Promise<Map<string, StoredObservation>>;
  /** Record ids of a kind holding each of the keys, by keyString. */
  holdersOf(kind: EntityKind, keys: readonly Key[]): Promise<Map<string, string[]>>;
  keysOfRecords(ids: readonly string[]): Promise<Map<string, Key[]>>;
  putObservations(observations: readonly StoredObservation[]): Promise<void>;
  /** Notes that a run saw these observations unchanged (so a complete run keeps them). */
  touch(runId: string, refs: readonly ObservationRef[]): Promise<void>;
  /** Moves every observation of `from` to `to` (records proven to be one thing). */
  reassign(from: string, to: string): Promise<void>;
  /**
   * Marks as missing the observations of a format in these scopes that a complete run with
   * this as-of did not see and that are strictly older than it; returns the affected record
   * ids, and how many unseen observations it kept because they are exactly as old as the run
   * (another export's word at the same instant: not overruled, see DESIGN.md rule 3). A scope
   * ending in `/*` stands for every scope that starts with what precedes the `*`
   * (model/scopes.ts).
   */
  markMissing(
    format: string,
    scopes: readonly string[],
    runId: string,
    asOf: string,
  ): Promise<{ records: string[]; kept: number }>;
  /**
   * Committed runs of a format generated at or after `asOf`, oldest first: an older run read
   * late learns from the newer complete ones what had already gone, and a run learns of the
   * runs with its very as-of (DESIGN.md rule 3, any order).
   */
  committedRunsSince(format: string, asOf: string): Promise<RunRecord[]>;
  observationsOf(recordIds: readonly string[]): Promise<Map<string, StoredObservation[]>>;
  getRecordsById(ids: readonly string[]): Promise<Map<string, InventoryRecord>>;
  /**
   * Writes records (with their keys). `previous`, when given, holds the stored version of
   * every one of them that exists (as read by getRecordsById in the same transaction), so that
   * only what changed is rewritten; a record absent from it is new.
   */
  putRecords(
    records: readonly InventoryRecord[],
    previous?: ReadonlyMap<string, InventoryRecord>,
  ): Promise<void>;
  deleteRecords(ids: readonly string[]): Promise<void>;
  putRun(run: RunRecord): Promise<void>;
  appendEvents(events: readonly Omit<ChangeEvent, 'seq'>[]): Promise<void>;
}

export interface ObservationRef {
  readonly format: string;
  readonly scope: string;
  readonly sourceId: string;
}

/**
 * The store port. SQLite (embedded default) and PostgreSQL implement it; the contract suite in
 * test/store-contract runs against both.
 */
export interface RecordState {
  readonly kind: EntityKind;
  readonly admission: InventoryRecord['admission'];
  readonly lifecycle: InventoryRecord['lifecycle'];
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  migrate(): Promise<void>;
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;

  getRecord(id: string): Promise<InventoryRecord | undefined>;
  /**
   * A record's kind, admission and lifecycle stage as stored now, read from their columns
   * without decoding the record: for scans of the change log that need the whole record for
   * a few events only.
   */
  recordState(id: string): Promise<RecordState | undefined>;
  findByKey(key: Key, kind?: EntityKind): Promise<InventoryRecord[]>;
  /** The ids of the records holding a key, in id order, without reading the records. */
  recordIdsByKey(key: Key, kind?: EntityKind): Promise<string[]>;
  listRecords(query: RecordQuery): Promise<{ records: InventoryRecord[]; next?: string }>;
  /** Every record, in id order, in pages (for judging and exports). */
  scanRecords(kind?: EntityKind, pageSize?: number): AsyncIterable<InventoryRecord[]>;
  /**
   * The judging summary of every record, in id order, in pages: what judging needs of a
   * record's neighbours, read without decoding whole records.
   */
  scanSummaries(pageSize?: number): AsyncIterable<RecordSummary[]>;
  countRecords(): Promise<Record<string, number>>;
  edgesOf(recordIds: readonly string[]): Promise<ResolvedEdge[]>;
  allEdges(): AsyncIterable<ResolvedEdge[]>;
  observationsOf(recordId: string): Promise<StoredObservation[]>;

  listRuns(limit?: number): Promise<RunRecord[]>;

  listFindings(query: FindingQuery): Promise<StoredFinding[]>;
  /** Replaces the open finding set: new ones open, vanished ones close. Returns the changes. */
  saveJudgement(
    findings: readonly Finding[],
    at: string,
  ): Promise<{ opened: Finding[]; closed: StoredFinding[] }>;
  /**
   * The same replacement for finding sets too large to hold: pages are written as they come,
   * all in one transaction (a failing page rolls the whole judgement back). Returns counts.
   */
  saveJudgementPages(
    pages: AsyncIterable<readonly Finding[]>,
    at: string,
  ): Promise<JudgementCounts>;

  events(afterSeq: number, limit?: number): Promise<ChangeEvent[]>;
  close(): Promise<void>;
}
