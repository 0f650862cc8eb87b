import type Database from 'better-sqlite3';
import type { DecisionLogEntry, DecisionLogSink } from '../../decide/ports.js';

type Statement = Database.Statement<unknown[], unknown>;

export interface DecisionLogOptions {
  /** Rows kept; the oldest are pruned past this (default 100,000). */
  readonly maxRows?: number;
}

export interface DecisionQuery {
  readonly subject?: string;
  readonly resource?: string;
  readonly reason?: string;
  readonly decision?: boolean;
  /** Decisions with an id (and so a time) after this one. */
  readonly after?: string;
  /** Decisions with an id before this one: the next page of a newest-first listing. */
  readonly before?: string;
  /** Decisions whose subject or resource resolved to this inventory record. */
  readonly record?: string;
  /** ISO instant: decisions at or after it. */
  readonly since?: string;
  readonly limit?: number;
}

export interface StoredDecision {
  readonly id: string;
  readonly at: string;
  readonly decision: boolean;
  readonly reason: string;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly action: string;
  readonly body: Record<string, unknown>;
}

interface Row {
  id: string;
  at: string;
  decision: number;
  reason: string;
  subject_type: string;
  subject_id: string;
  resource_type: string;
  resource_id: string;
  action: string;
  body: string;
  /** The shared body this row names (its own `body` is then empty), NULL for an inline one. */
  body_digest: string | null;
  shared_body: string | null;
}

const MAX_BUFFER = 10_000;

export const DECISION_INSERT_SQL = `INSERT OR IGNORE INTO decisions (id, at, decision, reason,
  subject_type, subject_id, resource_type, resource_id, action, body, body_digest, subject_bucket)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/**
 * The subject index's bucket of a subject id (migration 12): FNV-1a over its UTF-16 code
 * units, modulo 64 (few enough buckets that a commit appends to each, enough that a listing
 * by subject walks a sixty-fourth of the log). Stored in every row, so it must never change.
 * Self-contained: the writer thread runs its source.
 */
export function subjectBucket(subjectId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < subjectId.length; i++) {
    h ^= subjectId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % 64;
}

/** A shared body, stored once: a second entry naming it finds it there. */
export const DECISION_BODY_INSERT_SQL =
  'INSERT OR IGNORE INTO decision_bodies (digest, body) VALUES (?, ?)';

/** Moves a shared body's newest user forward (never back: entries may come out of order). */
export const DECISION_BODY_USE_SQL = `INSERT INTO decision_body_uses (digest, last_id)
  VALUES (?, ?) ON CONFLICT (digest) DO UPDATE SET last_id = excluded.last_id
  WHERE decision_body_uses.last_id < excluded.last_id`;

/**
 * Keeps the newest `maxRows` rows, and the shared bodies they name: the first statement finds
 * the oldest id kept, the others run with it, in the same transaction as the inserts. A body
 * whose newest user is older than every row kept is named by none (rows go oldest id first).
 */
export const DECISION_PRUNE_SQL = {
  oldestKept: 'SELECT id FROM decisions ORDER BY id DESC LIMIT 1 OFFSET ?',
  rows: 'DELETE FROM decisions WHERE id < ?',
  bodies: `DELETE FROM decision_bodies WHERE digest IN
    (SELECT digest FROM decision_body_uses WHERE last_id < ?)`,
  uses: 'DELETE FROM decision_body_uses WHERE last_id < ?',
} as const;

/** How often, in rows written, the log is pruned back to `maxRows`. */
export function pruneEvery(maxRows: number): number {
  return Math.min(1000, maxRows);
}

/**
 * The decision log (audit data, not log lines): every decision with its sortable id, the
 * request without secrets, the facts used and the outcome. Decisions are buffered and written
 * in one transaction per event-loop turn, so logging costs a decision almost nothing; the log
 * is bounded by `maxRows`, oldest pruned first.
 */
export class SqliteDecisionLog implements DecisionLogSink {
  readonly #db: Database.Database;
  readonly #maxRows: number;
  readonly #insert: Statement;
  readonly #insertBody: Statement;
  readonly #use: Statement;
  readonly #prune: DecisionPrune;
  #buffer: DecisionLogEntry[] = [];
  #scheduled: NodeJS.Immediate | undefined;
  #sinceAPrune = 0;

  constructor(db: Database.Database, options: DecisionLogOptions = {}) {
    this.#db = db;
    this.#maxRows = Math.max(1, options.maxRows ?? 100_000);
    this.#insert = db.prepare(DECISION_INSERT_SQL);
    this.#insertBody = db.prepare(DECISION_BODY_INSERT_SQL);
    this.#use = db.prepare(DECISION_BODY_USE_SQL);
    this.#prune = new DecisionPrune(db);
  }

  append(entry: DecisionLogEntry): void {
    this.#buffer.push(entry);
    if (this.#buffer.length >= MAX_BUFFER) this.flush();
    else this.#scheduled ??= setImmediate(() => this.flush());
  }

  /** Writes what is buffered. A busy database keeps the buffer for the next turn. */
  flush(): void {
    if (this.#scheduled) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    if (this.#buffer.length === 0) return;
    const batch = this.#buffer;
    try {
      this.#db.transaction(() => this.#write(batch))();
      this.#buffer = [];
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
      this.#scheduled = setImmediate(() => this.flush());
    }
  }

  /**
   * Inserts a batch. A shared body goes in with the first row of the batch that names it,
   * whether or not it is stored already: a prune between two batches may have dropped it.
   */
  #write(batch: readonly DecisionLogEntry[]): void {
    const newest = new Map<string, string>();
    for (const e of batch) {
      const shared = e.shared;
      if (shared && !newest.has(shared.digest)) this.#insertBody.run(shared.digest, shared.json);
      if (shared) newest.set(shared.digest, maxId(newest.get(shared.digest), e.id));
      const body = shared ? '' : e.bodyJson ?? JSON.stringify(e.body);
      this.#insert.run(e.id, e.at, e.decision ? 1 : 0, e.reason, e.subjectType, e.subjectId,
        e.resourceType, e.resourceId, e.action, body, shared?.digest ?? null,
        subjectBucket(e.subjectId));
    }
    for (const [digest, id] of newest) this.#use.run(digest, id);
    this.#sinceAPrune += batch.length;
    if (this.#sinceAPrune >= pruneEvery(this.#maxRows)) {
      this.#prune.run(this.#maxRows);
      this.#sinceAPrune = 0;
    }
  }

  list(q: DecisionQuery = {}): StoredDecision[] {
    this.flush();
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, v: unknown): void => {
      where.push(sql);
      args.push(v);
    };
    if (q.subject !== undefined) {
      // The subject's bucket, newest first, then the subject itself (migration 12).
      add('d.subject_bucket = ?', subjectBucket(q.subject));
      add('d.subject_id = ?', q.subject);
    }
    if (q.resource !== undefined) add('d.resource_id = ?', q.resource);
    if (q.reason !== undefined) add('d.reason = ?', q.reason);
    if (q.decision !== undefined) add('d.decision = ?', q.decision ? 1 : 0);
    if (q.after !== undefined) add('d.id > ?', q.after);
    if (q.before !== undefined) add('d.id < ?', q.before);
    if (q.record !== undefined) {
      // The record ids live in the decision body: a shared body is read once, not once per
      // row that names it; an inline body is read row by row, newest first.
      where.push(`(d.body_digest IN (SELECT digest FROM decision_bodies
          WHERE ${RECORD_MATCH.replaceAll('$body', 'body')})
        OR (d.body_digest IS NULL AND ${RECORD_MATCH.replaceAll('$body', 'd.body')}))`);
      args.push(q.record, q.record, q.record, q.record);
    }
    if (q.since !== undefined) add('d.at >= ?', q.since);
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 10_000);
    const sql = `${SELECT_SQL} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY d.id DESC LIMIT ${limit}`;
    return (this.#db.prepare(sql).all(...args) as Row[]).map(fromRow);
  }

  get(id: string): StoredDecision | undefined {
    this.flush();
    const row = this.#db.prepare(`${SELECT_SQL} WHERE d.id = ?`).get(id) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  count(): number {
    this.flush();
    return this.#db.prepare('SELECT COUNT(*) FROM decisions').pluck().get() as number;
  }
}

/** A row with the shared body it names, if any. */
const SELECT_SQL = `SELECT d.*, b.body AS shared_body FROM decisions d
  LEFT JOIN decision_bodies b ON b.digest = d.body_digest`;

const RECORD_MATCH = `(json_extract($body, '$.decision.subject.recordId') = ?
  OR json_extract($body, '$.decision.resource.recordId') = ?)`;

/** The prune of DECISION_PRUNE_SQL, prepared once. */
class DecisionPrune {
  readonly #oldestKept: Statement;
  readonly #rows: Statement;
  readonly #bodies: Statement;
  readonly #uses: Statement;

  constructor(db: Database.Database) {
    this.#oldestKept = db.prepare(DECISION_PRUNE_SQL.oldestKept).pluck();
    this.#rows = db.prepare(DECISION_PRUNE_SQL.rows);
    this.#bodies = db.prepare(DECISION_PRUNE_SQL.bodies);
    this.#uses = db.prepare(DECISION_PRUNE_SQL.uses);
  }

  /** Keeps the newest `maxRows` rows; true when anything older was there to remove. */
  run(maxRows: number): boolean {
    const oldest = this.#oldestKept.get(maxRows - 1) as string | undefined;
    if (oldest === undefined) return false;
    this.#rows.run(oldest);
    this.#bodies.run(oldest);
    this.#uses.run(oldest);
    return true;
  }
}

function maxId(a: string | undefined, b: string): string {
  return a !== undefined && a > b ? a : b;
}

function fromRow(r: Row): StoredDecision {
  return {
    id: r.id,
    at: r.at,
    decision: r.decision === 1,
    reason: r.reason,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
    action: r.action,
    body: r.body_digest === null ? parseBody(r.body) : sharedBody(r),
  };
}

function parseBody(json: string): Record<string, unknown> {
  return JSON.parse(json) as Record<string, unknown>;
}

/**
 * A shared body with the row's own id and time in `decision.id` and `decision.at` (the keys
 * keep their place, so the body reads exactly as an inline one). The prune never leaves a
 * row without its body; should one be missing all the same, the row reads with an empty body,
 * as a damaged row does (logItem then falls back to the row's columns).
 */
function sharedBody(r: Row): Record<string, unknown> {
  if (r.shared_body === null) return {};
  const body = parseBody(r.shared_body);
  const decision = body['decision'];
  if (decision && typeof decision === 'object') {
    Object.assign(decision, { id: r.id, at: r.at });
  }
  return body;
}
