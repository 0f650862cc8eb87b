import type Database from 'better-sqlite3';
import { StatementCache } from './statement-cache.js';
import { RosterError } from '../../model/errors.js';
import type {
  AuditEntry,
  AuditLog,
  AuditQuery,
  StoredToken,
  TokenInfo,
  TokenScope,
  TokenStore,
} from '../api-port.js';

interface TokenRow {
  id: string;
  name: string;
  scopes: string;
  secret_hash: string;
  created_at: string;
  created_by: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

function rowToToken(row: TokenRow): StoredToken {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes.split(' ') as TokenScope[],
    secretHash: row.secret_hash,
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

function info(t: StoredToken): TokenInfo {
  const { secretHash: _hash, ...rest } = t;
  return rest;
}

/** API tokens in SQLite: the secret's hash only; a live name is unique. */
export class SqliteTokenStore implements TokenStore {
  readonly #db: Database.Database;
  readonly #sql: StatementCache;
  /** The statements of every authenticated request, prepared on first use and kept. */
  #byId?: Database.Statement<[string], TokenRow>;
  #touch?: Database.Statement<[string, string]>;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#sql = new StatementCache(db);
  }

  async create(t: StoredToken): Promise<void> {
    try {
      this.#sql
        .prepare(
          `INSERT INTO api_tokens (id, name, scopes, secret_hash, created_at, created_by,
           last_used_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)`,
        )
        .run(t.id, t.name, t.scopes.join(' '), t.secretHash, t.createdAt, t.createdBy);
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
        throw new RosterError('CONFLICT', `a live token named '${t.name}' already exists`);
      }
      throw err;
    }
  }

  async get(id: string): Promise<StoredToken | undefined> {
    this.#byId ??= this.#db.prepare<[string], TokenRow>('SELECT * FROM api_tokens WHERE id = ?');
    const row = this.#byId.get(id);
    return row ? rowToToken(row) : undefined;
  }

  async list(options: { includeRevoked?: boolean } = {}): Promise<TokenInfo[]> {
    const where = options.includeRevoked ? '' : 'WHERE revoked_at IS NULL';
    const rows = this.#sql
      .prepare(`SELECT * FROM api_tokens ${where} ORDER BY created_at, id`)
      .all() as TokenRow[];
    return rows.map((r) => info(rowToToken(r)));
  }

  async revoke(idOrName: string, at: string): Promise<TokenInfo | undefined> {
    const row = this.#sql
      .prepare('SELECT * FROM api_tokens WHERE (id = ? OR name = ?) AND revoked_at IS NULL')
      .get(idOrName, idOrName) as TokenRow | undefined;
    if (!row) return undefined;
    this.#sql.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ?').run(at, row.id);
    return info(rowToToken({ ...row, revoked_at: at }));
  }

  async touch(id: string, at: string): Promise<void> {
    this.#touch ??= this.#db.prepare<[string, string]>(
      'UPDATE api_tokens SET last_used_at = ? WHERE id = ?');
    this.#touch.run(at, id);
  }
}

interface AuditRow {
  seq: number;
  at: string;
  actor_id: string;
  actor_name: string;
  action: string;
  target: string | null;
  request_id: string | null;
  details: string;
}

function rowToEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    target: row.target,
    requestId: row.request_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
}

/** The audit log in SQLite; triggers of migration 4 refuse UPDATE and DELETE. */
export class SqliteAuditLog implements AuditLog {
  readonly #sql: StatementCache;

  constructor(db: Database.Database) {
    this.#sql = new StatementCache(db);
  }

  async append(e: Omit<AuditEntry, 'seq'>): Promise<AuditEntry> {
    const result = this.#sql
      .prepare(
        `INSERT INTO audit_log (at, actor_id, actor_name, action, target, request_id, details)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        e.at, e.actorId, e.actorName, e.action, e.target, e.requestId, JSON.stringify(e.details),
      );
    return { ...e, seq: Number(result.lastInsertRowid) };
  }

  async list(q: AuditQuery): Promise<AuditEntry[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.action) {
      where.push('action = ?');
      args.push(q.action);
    }
    if (q.actorId) {
      where.push('actor_id = ?');
      args.push(q.actorId);
    }
    if (q.before !== undefined) {
      where.push('seq < ?');
      args.push(q.before);
    }
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY seq DESC LIMIT ?`;
    const rows = this.#sql.prepare(sql).all(...args, q.limit) as AuditRow[];
    return rows.map(rowToEntry);
  }
}
