/**
 * What the HTTP server needs from a store beyond the inventory port (port.ts): API tokens, the
 * append-only audit log, and read queries shaped for an API (keyset pages, counts, history).
 * SQLite implements it in store/sqlite/api-*.ts; a PostgreSQL adapter carries the same shape.
 */
import type { InventoryRecord } from '../model/record.js';
import type { EntityKind } from '../model/types.js';
import type { ChangeEvent, RunRecord, StoredFinding } from './port.js';

/** What a token may do. `admin` includes every other scope. */
export type TokenScope = 'read' | 'ingest' | 'decide' | 'admin';
export const TOKEN_SCOPES: readonly TokenScope[] = ['read', 'ingest', 'decide', 'admin'];

export interface TokenInfo {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly TokenScope[];
  readonly createdAt: string;
  readonly createdBy: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/** A token as stored: never the token itself, only the SHA-256 of its secret part. */
export interface StoredToken extends TokenInfo {
  readonly secretHash: string;
}

export interface TokenStore {
  /** Adds a token; a name already used by a live token is a CONFLICT. */
  create(token: StoredToken): Promise<void>;
  get(id: string): Promise<StoredToken | undefined>;
  list(options?: { includeRevoked?: boolean }): Promise<TokenInfo[]>;
  /** Revokes by id or by name; returns the revoked token, or undefined when none is live. */
  revoke(idOrName: string, at: string): Promise<TokenInfo | undefined>;
  /** Records use; callers throttle so that reads do not become writes on every request. */
  touch(id: string, at: string): Promise<void>;
}

/** One write or admin action. The log only grows: entries are never changed or removed. */
export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  /** Token id and name, or `cli:<user>` for actions taken on the command line. */
  readonly actorId: string;
  readonly actorName: string;
  /** e.g. `ingest`, `token.create`, `token.revoke`, `lifecycle.admit`. */
  readonly action: string;
  /** What the action touched: a run id, a token id, a record id. */
  readonly target: string | null;
  readonly requestId: string | null;
  /** What changed, without secret values. */
  readonly details: Readonly<Record<string, unknown>>;
}

export interface AuditQuery {
  readonly action?: string;
  readonly actorId?: string;
  /** Entries with seq below this (pages run newest first). */
  readonly before?: number;
  readonly limit: number;
}

export interface AuditLog {
  append(entry: Omit<AuditEntry, 'seq'>): Promise<AuditEntry>;
  list(query: AuditQuery): Promise<AuditEntry[]>;
}

export type RecordSort = 'name' | 'updatedAt' | 'firstSeen' | 'id';
export type SortOrder = 'asc' | 'desc';

export interface RecordPageQuery {
  readonly kind?: EntityKind;
  readonly admission?: string;
  readonly lifecycle?: string;
  readonly environment?: string;
  readonly criticality?: string;
  /** Owner display name, or null for records nobody owns. */
  readonly owner?: string | null;
  /** Full-text search over names and key values (substring, case-insensitive). */
  readonly q?: string;
  readonly sort: RecordSort;
  readonly order: SortOrder;
  readonly limit: number;
  /** Opaque cursor from a previous page of the same query. */
  readonly cursor?: string;
}

export interface Page<T> {
  readonly items: T[];
  /** Cursor of the next page; absent on the last page. */
  readonly next?: string;
}

export type FindingSort = 'id' | 'severity' | 'openedAt';

export interface FindingPageQuery {
  readonly kind?: string;
  readonly severity?: string;
  readonly status: 'open' | 'closed' | 'all';
  readonly subjectId?: string;
  readonly sort: FindingSort;
  readonly order: SortOrder;
  readonly limit: number;
  readonly cursor?: string;
}

export interface InventorySummary {
  readonly records: Readonly<Record<string, number>>;
  readonly byAdmission: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly byLifecycle: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly byEnvironment: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly findingsByKind: Readonly<Record<string, number>>;
  readonly findingsBySeverity: Readonly<Record<string, number>>;
  readonly findingsOverTime: readonly FindingsPoint[];
}

/** Open findings right after one judgement. */
export interface FindingsPoint {
  readonly at: string;
  readonly open: number;
  readonly opened: number;
  readonly closed: number;
  readonly bySeverity: Readonly<Record<string, number>>;
}

export interface InventoryQueries {
  pageRecords(query: RecordPageQuery): Promise<Page<InventoryRecord>>;
  pageFindings(query: FindingPageQuery): Promise<Page<StoredFinding>>;
  getFinding(id: string): Promise<StoredFinding | undefined>;
  getRun(id: string): Promise<RunRecord | undefined>;
  pageRuns(query: { limit: number; cursor?: string }): Promise<Page<RunRecord>>;
  /** Change events about one record, oldest first, after the given sequence number. */
  history(recordId: string, query: { afterSeq?: number; limit: number }): Promise<ChangeEvent[]>;
  /** Names and kinds of records by id (to resolve relations without loading bodies). */
  names(ids: readonly string[]): Promise<Map<string, { kind: EntityKind; name: string }>>;
  summary(): Promise<InventorySummary>;
  /** Sequence number of the newest change event (0 when there is none). */
  latestEventSeq(): Promise<number>;
}

/** Everything the server reads and writes besides the inventory port. */
export interface ApiStores {
  readonly tokens: TokenStore;
  readonly audit: AuditLog;
  readonly queries: InventoryQueries;
}
