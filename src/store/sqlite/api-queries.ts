import type Database from 'better-sqlite3';
import { StatementCache } from './statement-cache.js';
import type { InventoryRecord } from '../../model/record.js';
import type { EntityKind } from '../../model/types.js';
import type {
  FindingPageQuery,
  InventoryQueries,
  InventorySummary,
  Page,
  RecordPageQuery,
} from '../api-port.js';
import type { ChangeEvent, RunRecord, StoredFinding } from '../port.js';
import {
  rowToFinding,
  rowToRecord,
  rowToRun,
  type FindingRow,
  type RecordRow,
  type RunRow,
} from './codec.js';
import { decodeCursor, encodeCursor, seekAfter, toPage } from './keyset.js';
import { SqliteSummary } from './api-summary.js';

const RECORD_SORT = { name: 'name', updatedAt: 'updated_at', firstSeen: 'first_seen', id: 'id' };

/** Severity as a number, so that `sort=severity` orders critical before info. */
const SEVERITY_RANK = `(CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3
  WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END)`;
const FINDING_SORT = { id: 'id', severity: SEVERITY_RANK, openedAt: 'opened_at' };

/** Trigram search needs three characters; shorter text falls back to a LIKE scan. */
const TRIGRAM_MIN = 3;

/** The kinds that have an owner and an admission state. */
const OWNABLE: readonly string[] = ['asset', 'identity'];

class Where {
  readonly parts: string[] = [];
  readonly args: unknown[] = [];

  eq(column: string, value: string | undefined): void {
    if (value === undefined) return;
    this.parts.push(`${column} = ?`);
    this.args.push(value);
  }

  add(sql: string, args: readonly unknown[]): void {
    this.parts.push(sql);
    this.args.push(...args);
  }

  toString(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}

/** The API's read queries over the SQLite inventory: keyset pages on indexed columns. */
export class SqliteInventoryQueries implements InventoryQueries {
  readonly #sql: StatementCache;
  readonly #summary: SqliteSummary;

  constructor(db: Database.Database) {
    this.#sql = new StatementCache(db);
    this.#summary = new SqliteSummary(db);
  }

  async pageRecords(q: RecordPageQuery): Promise<Page<InventoryRecord>> {
    const { sql, args } = recordPageSql(q);
    const rows = this.#sql.prepare(sql).all(...args) as RecordRow[];
    return toPage(rows, q.limit, rowToRecord, (r) =>
      encodeCursor({ sort: q.sort, order: q.order, value: recordSortValue(r, q.sort), id: r.id }),
    );
  }

  async pageFindings(q: FindingPageQuery): Promise<Page<StoredFinding>> {
    const { sql, args } = findingPageSql(q);
    const rows = this.#sql.prepare(sql).all(...args) as (FindingRow & { rank: number })[];
    const value = (r: FindingRow & { rank: number }): string | number =>
      q.sort === 'severity' ? r.rank : q.sort === 'openedAt' ? r.opened_at : r.id;
    return toPage(rows, q.limit, rowToFinding, (r) =>
      encodeCursor({ sort: q.sort, order: q.order, value: value(r), id: r.id }),
    );
  }

  async getFinding(id: string): Promise<StoredFinding | undefined> {
    const row = this.#sql.prepare('SELECT * FROM findings WHERE id = ?').get(id) as
      | FindingRow
      | undefined;
    return row ? rowToFinding(row) : undefined;
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const row = this.#sql.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    return row ? rowToRun(row) : undefined;
  }

  async pageRuns(q: { limit: number; cursor?: string }): Promise<Page<RunRecord>> {
    const where = new Where();
    if (q.cursor) {
      const seek = seekAfter('started_at', decodeCursor(q.cursor, 'startedAt', 'desc'));
      where.add(seek.sql, seek.args);
    }
    const sql = `SELECT * FROM runs ${where} ORDER BY started_at DESC, id DESC LIMIT ?`;
    const rows = this.#sql.prepare(sql).all(...where.args, q.limit + 1) as RunRow[];
    return toPage(rows, q.limit, rowToRun, (r) =>
      encodeCursor({ sort: 'startedAt', order: 'desc', value: r.started_at, id: r.id }),
    );
  }

  async history(recordId: string, q: { afterSeq?: number; limit: number }): Promise<ChangeEvent[]> {
    const rows = this.#sql
      .prepare('SELECT * FROM events WHERE subject_id = ? AND seq > ? ORDER BY seq LIMIT ?')
      .all(recordId, q.afterSeq ?? 0, q.limit) as EventRow[];
    return rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      type: r.type,
      subjectId: r.subject_id,
      runId: r.run_id,
      data: JSON.parse(r.data) as Record<string, unknown>,
    }));
  }

  async names(ids: readonly string[]): Promise<Map<string, { kind: EntityKind; name: string }>> {
    const out = new Map<string, { kind: EntityKind; name: string }>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 500) {
      const chunk = unique.slice(i, i + 500);
      const rows = this.#sql
        .prepare(`SELECT id, kind, name FROM records
          WHERE id IN (${chunk.map(() => '?').join(',')})`)
        .all(...chunk) as { id: string; kind: EntityKind; name: string }[];
      for (const r of rows) out.set(r.id, { kind: r.kind, name: r.name });
    }
    return out;
  }

  summary(): Promise<InventorySummary> {
    return this.#summary.get();
  }

  async latestEventSeq(): Promise<number> {
    const row = this.#sql.prepare('SELECT MAX(seq) AS seq FROM events').get() as {
      seq: number | null;
    };
    return row.seq ?? 0;
  }
}

interface EventRow {
  seq: number;
  at: string;
  type: string;
  subject_id: string | null;
  run_id: string | null;
  data: string;
}

function recordSortValue(r: RecordRow, sort: RecordPageQuery['sort']): string {
  if (sort === 'name') return r.name;
  if (sort === 'updatedAt') return r.updated_at;
  if (sort === 'firstSeen') return r.first_seen;
  return r.id;
}

/**
 * Substring search over `records.search` (names and key values, lower-case): the one place
 * that turns search text into SQL. Three characters or more go through the trigram index as
 * one quoted FTS5 string, in which `"` is doubled (FTS5 query syntax, "Strings"), so no text
 * is read as FTS5 syntax. FTS5 reads its query as a C string: a NUL would end it inside the
 * quotes ("unterminated string"), so text holding one is matched with instr(), which compares
 * every byte, as text shorter than a trigram is scanned with LIKE.
 */
export function searchCondition(text: string): { sql: string; args: unknown[] } {
  const q = text.trim().toLowerCase();
  if (q.includes('\0')) return { sql: 'instr(search, ?) > 0', args: [q] };
  if ([...q].length >= TRIGRAM_MIN) {
    return {
      sql: 'rowid IN (SELECT rowid FROM records_search WHERE records_search MATCH ?)',
      args: [`"${q.replace(/"/g, '""')}"`],
    };
  }
  return {
    sql: "search LIKE ? ESCAPE '\\'",
    args: [`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`],
  };
}

/**
 * The SQL of one page of records: filters, the keyset seek past the cursor, and an ORDER BY
 * that an index of (kind, sort column, id) or (sort column, id) serves (see migration 4).
 */
export function recordPageSql(q: RecordPageQuery): { sql: string; args: unknown[] } {
  const expr = RECORD_SORT[q.sort];
  const where = new Where();
  where.eq('kind', q.kind);
  where.eq('admission', q.admission);
  where.eq('lifecycle', q.lifecycle);
  where.eq('environment', q.environment);
  where.eq('criticality', q.criticality);
  if (q.owner === null) where.add('owner IS NULL', []);
  else where.eq('owner', q.owner);
  // Admission and ownership apply to assets and identities: an owner or a credential is
  // neither "unowned" nor of unknown admission.
  if (q.admission !== undefined || q.owner === null) {
    where.add(`kind IN (${OWNABLE.map(() => '?').join(', ')})`, OWNABLE);
  }
  if (q.q) {
    const search = searchCondition(q.q);
    where.add(search.sql, search.args);
  }
  if (q.cursor) {
    const seek = seekAfter(expr, decodeCursor(q.cursor, q.sort, q.order));
    where.add(seek.sql, seek.args);
  }
  const sql = `SELECT * FROM records ${where} ORDER BY ${orderBy(expr, q.order)} LIMIT ?`;
  return { sql, args: [...where.args, q.limit + 1] };
}

/** The SQL of one page of findings. */
export function findingPageSql(q: FindingPageQuery): { sql: string; args: unknown[] } {
  const expr = FINDING_SORT[q.sort];
  const where = new Where();
  if (q.status !== 'all') where.eq('status', q.status);
  where.eq('kind', q.kind);
  where.eq('severity', q.severity);
  where.eq('subject_id', q.subjectId);
  if (q.cursor) {
    const seek = seekAfter(expr, decodeCursor(q.cursor, q.sort, q.order));
    where.add(seek.sql, seek.args);
  }
  const sql = `SELECT *, ${SEVERITY_RANK} AS rank FROM findings ${where}
    ORDER BY ${orderBy(expr, q.order)} LIMIT ?`;
  return { sql, args: [...where.args, q.limit + 1] };
}

/** `<sort> <dir>, id <dir>`, the order of the indexes; by id alone when the sort is the id. */
function orderBy(expr: string, order: 'asc' | 'desc'): string {
  const dir = order === 'asc' ? 'ASC' : 'DESC';
  return expr === 'id' ? `id ${dir}` : `${expr} ${dir}, id ${dir}`;
}
