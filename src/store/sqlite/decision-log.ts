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
}

const MAX_BUFFER = 10_000;

export const DECISION_INSERT_SQL = `INSERT OR IGNORE INTO decisions (id, at, decision, reason,
  subject_type, subject_id, resource_type, resource_id, action, body)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Keeps the newest `?` + 1 rows. */
export const DECISION_PRUNE_SQL = `DELETE FROM decisions WHERE id < (SELECT id FROM decisions
  ORDER BY id DESC LIMIT 1 OFFSET ?)`;

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
  readonly #prune: Statement;
  #buffer: DecisionLogEntry[] = [];
  #scheduled: NodeJS.Immediate | undefined;
  #sinceAPrune = 0;

  constructor(db: Database.Database, options: DecisionLogOptions = {}) {
    this.#db = db;
    this.#maxRows = Math.max(1, options.maxRows ?? 100_000);
    this.#insert = db.prepare(DECISION_INSERT_SQL);
    this.#prune = db.prepare(DECISION_PRUNE_SQL);
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
      this.#db.transaction(() => {
        for (const e of batch) {
          this.#insert.run(e.id, e.at, e.decision ? 1 : 0, e.reason, e.subjectType, e.subjectId,
            e.resourceType, e.resourceId, e.action, e.bodyJson ?? JSON.stringify(e.body));
        }
        this.#sinceAPrune += batch.length;
        if (this.#sinceAPrune >= Math.min(1000, this.#maxRows)) {
          this.#prune.run(this.#maxRows - 1);
          this.#sinceAPrune = 0;
        }
      })();
      this.#buffer = [];
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
      this.#scheduled = setImmediate(() => this.flush());
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
    if (q.subject !== undefined) add('subject_id = ?', q.subject);
    if (q.resource !== undefined) add('resource_id = ?', q.resource);
    if (q.reason !== undefined) add('reason = ?', q.reason);
    if (q.decision !== undefined) add('decision = ?', q.decision ? 1 : 0);
    if (q.after !== undefined) add('id > ?', q.after);
    if (q.before !== undefined) add('id < ?', q.before);
    if (q.record !== undefined) {
      // The record ids live in the decision body; a scan of the bounded log, newest first.
      where.push(`(json_extract(body, '$.decision.subject.recordId') = ?
        OR json_extract(body, '$.decision.resource.recordId') = ?)`);
      args.push(q.record, q.record);
    }
    if (q.since !== undefined) add('at >= ?', q.since);
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 10_000);
    const sql = `SELECT * FROM decisions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY id DESC LIMIT ${limit}`;
    return (this.#db.prepare(sql).all(...args) as Row[]).map(fromRow);
  }

  get(id: string): StoredDecision | undefined {
    this.flush();
    const row = this.#db.prepare('SELECT * FROM decisions WHERE id = ?').get(id) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  count(): number {
    this.flush();
    return this.#db.prepare('SELECT COUNT(*) FROM decisions').pluck().get() as number;
  }
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
    body: JSON.parse(r.body) as Record<string, unknown>,
  };
}
