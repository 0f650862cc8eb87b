import type Database from 'better-sqlite3';
import { StatementCache } from './statement-cache.js';
import type { EvidenceRecord } from '../../lifecycle/evidence.js';
import type { OffboardingPlan } from '../../lifecycle/plan-types.js';
import type {
  Attestation,
  LifecycleStore,
  OutboxItem,
  OutboxLease,
  PlanQuery,
  SourceState,
} from '../../lifecycle/port.js';
import type { Transition } from '../../lifecycle/transitions.js';

interface OutboxRow {
  id: string;
  idempotency_key: string;
  kind: OutboxItem['kind'];
  target: string;
  body: string;
  state: OutboxItem['state'];
  attempts: number;
  next_attempt_at: string;
  created_at: string;
  delivered_at: string | null;
  last_error: string | null;
  plan_id: string | null;
  action_id: string | null;
}

function toItem(r: OutboxRow): OutboxItem {
  return {
    id: r.id,
    idempotencyKey: r.idempotency_key,
    kind: r.kind,
    target: r.target,
    body: r.body,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
    lastError: r.last_error,
    planId: r.plan_id,
    actionId: r.action_id,
  };
}

/** The lifecycle tables (migration 3) on the SQLite connection of a SqliteStore. */
export class SqliteLifecycleStore implements LifecycleStore {
  readonly #db: Database.Database;
  readonly #sql: StatementCache;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#sql = new StatementCache(db);
  }

  async cursor(name: string): Promise<number> {
    const row = this.#sql.prepare('SELECT seq FROM lifecycle_cursors WHERE name = ?').get(name) as
      | { seq: number }
      | undefined;
    return row?.seq ?? 0;
  }

  async setCursor(name: string, seq: number): Promise<void> {
    this.#sql
      .prepare(
        `INSERT INTO lifecycle_cursors (name, seq) VALUES (?, ?)
         ON CONFLICT (name) DO UPDATE SET seq = excluded.seq`,
      )
      .run(name, seq);
  }

  async addTransitions(ts: readonly Transition[]): Promise<void> {
    const insert = this.#sql.prepare(
      `INSERT INTO lifecycle_transitions (id, record_id, dimension, from_value, to_value, source,
       run_id, at, legal, event_seq, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    );
    this.#db.transaction(() => {
      for (const t of ts) {
        insert.run(t.id, t.recordId, t.dimension, t.from, t.to, t.source, t.runId, t.at,
          t.legal ? 1 : 0, t.eventSeq, JSON.stringify(t));
      }
    })();
  }

  async listTransitions(recordId?: string, limit = 1000): Promise<Transition[]> {
    const where = recordId ? 'WHERE record_id = ?' : '';
    const rows = this.#sql
      .prepare(`SELECT body FROM lifecycle_transitions ${where} ORDER BY event_seq, id LIMIT ?`)
      .all(...(recordId ? [recordId, limit] : [limit])) as { body: string }[];
    return rows.map((r) => JSON.parse(r.body) as Transition);
  }

  async addAttestation(a: Attestation): Promise<void> {
    this.#sql
      .prepare(
        `INSERT INTO attestations (id, record_id, owner, attested_by, attested_at, note)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(a.id, a.recordId, a.owner, a.by, a.at, a.note);
  }

  async listAttestations(recordId: string): Promise<Attestation[]> {
    const rows = this.#sql
      .prepare('SELECT * FROM attestations WHERE record_id = ? ORDER BY attested_at, id')
      .all(recordId) as {
      id: string;
      record_id: string;
      owner: string | null;
      attested_by: string;
      attested_at: string;
      note: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      recordId: r.record_id,
      owner: r.owner,
      by: r.attested_by,
      at: r.attested_at,
      note: r.note,
    }));
  }

  async putPlan(plan: OffboardingPlan): Promise<void> {
    this.#sql
      .prepare(
        `INSERT INTO offboarding_plans (id, subject_id, state, created_at, completed_at, body)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state,
           completed_at = excluded.completed_at, body = excluded.body`,
      )
      .run(plan.id, plan.subject.id, plan.state, plan.createdAt, plan.completedAt ?? null,
        JSON.stringify(plan));
  }

  async getPlan(id: string): Promise<OffboardingPlan | undefined> {
    const row = this.#sql.prepare('SELECT body FROM offboarding_plans WHERE id = ?').get(id) as
      | { body: string }
      | undefined;
    return row ? (JSON.parse(row.body) as OffboardingPlan) : undefined;
  }

  async listPlans(q: PlanQuery = {}): Promise<OffboardingPlan[]> {
    const where: string[] = [];
    const args: string[] = [];
    if (q.state) {
      where.push('state = ?');
      args.push(q.state);
    }
    if (q.subjectId) {
      where.push('subject_id = ?');
      args.push(q.subjectId);
    }
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const sql = `SELECT body FROM offboarding_plans ${filter} ORDER BY created_at, id`;
    const rows = this.#sql.prepare(sql).all(...args) as { body: string }[];
    return rows.map((r) => JSON.parse(r.body) as OffboardingPlan);
  }

  async enqueue(items: readonly OutboxItem[]): Promise<number> {
    const insert = this.#sql.prepare(
      `INSERT INTO outbox (id, idempotency_key, kind, target, body, state, attempts,
       next_attempt_at, claimed_until, created_at, delivered_at, last_error, plan_id, action_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    );
    let added = 0;
    this.#db.transaction(() => {
      for (const i of items) {
        added += insert.run(i.id, i.idempotencyKey, i.kind, i.target, i.body, i.state, i.attempts,
          i.nextAttemptAt, i.createdAt, i.deliveredAt, i.lastError, i.planId, i.actionId).changes;
      }
    })();
    return added;
  }

  async claimDue(now: string, lease: OutboxLease, limit: number): Promise<OutboxItem[]> {
    const until = new Date(Date.parse(lease.at) + lease.seconds * 1000).toISOString();
    const select = this.#sql.prepare(
      `SELECT * FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?
       AND (claimed_until IS NULL OR claimed_until <= ?) ORDER BY next_attempt_at, id LIMIT ?`,
    );
    // Portable claim: only the drainer whose update still finds the row pending and unclaimed
    // gets it (row count 1); a racing one finds it taken and skips it.
    const claim = this.#sql.prepare(
      `UPDATE outbox SET claimed_until = ? WHERE id = ? AND state = 'pending'
       AND (claimed_until IS NULL OR claimed_until <= ?)`,
    );
    return this.#db.transaction(() => {
      const rows = select.all(now, lease.at, limit) as OutboxRow[];
      return rows.filter((r) => claim.run(until, r.id, lease.at).changes === 1).map(toItem);
    }).immediate();
  }

  async markDelivered(id: string, at: string): Promise<void> {
    this.#sql
      .prepare(
        `UPDATE outbox SET state = 'delivered', delivered_at = ?, attempts = attempts + 1,
         claimed_until = NULL, last_error = NULL WHERE id = ?`,
      )
      .run(at, id);
  }

  async markRetry(id: string, attempts: number, nextAt: string, error: string): Promise<void> {
    this.#sql
      .prepare(
        `UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ?, claimed_until = NULL
         WHERE id = ?`,
      )
      .run(attempts, nextAt, error, id);
  }

  async markFailed(id: string, attempts: number, at: string, error: string): Promise<void> {
    this.#sql
      .prepare(
        `UPDATE outbox SET state = 'failed', attempts = ?, next_attempt_at = ?, last_error = ?,
         claimed_until = NULL WHERE id = ?`,
      )
      .run(attempts, at, error, id);
  }

  async listOutbox(state?: OutboxItem['state']): Promise<OutboxItem[]> {
    const sql = `SELECT * FROM outbox ${state ? 'WHERE state = ?' : ''} ORDER BY created_at, id`;
    const rows = this.#sql.prepare(sql).all(...(state ? [state] : [])) as OutboxRow[];
    return rows.map(toItem);
  }

  async listOutboxForPlan(planId: string): Promise<OutboxItem[]> {
    const rows = this.#sql
      .prepare('SELECT * FROM outbox WHERE plan_id = ? ORDER BY created_at, id')
      .all(planId) as OutboxRow[];
    return rows.map(toItem);
  }

  async putEvidence(record: EvidenceRecord): Promise<void> {
    this.#sql
      .prepare(
        `INSERT INTO offboarding_evidence (plan_id, generated_at, body) VALUES (?, ?, ?)
         ON CONFLICT (plan_id) DO UPDATE SET generated_at = excluded.generated_at,
           body = excluded.body`,
      )
      .run(record.planId, record.generatedAt, JSON.stringify(record));
  }

  async getEvidence(planId: string): Promise<EvidenceRecord | undefined> {
    const row = this.#sql
      .prepare('SELECT body FROM offboarding_evidence WHERE plan_id = ?')
      .get(planId) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as EvidenceRecord) : undefined;
  }

  async getSourceState(name: string): Promise<SourceState | undefined> {
    const row = this.#sql.prepare('SELECT body FROM watch_sources WHERE name = ?').get(name) as
      | { body: string }
      | undefined;
    return row ? (JSON.parse(row.body) as SourceState) : undefined;
  }

  async putSourceState(state: SourceState): Promise<void> {
    this.#sql
      .prepare(
        `INSERT INTO watch_sources (name, body) VALUES (?, ?)
         ON CONFLICT (name) DO UPDATE SET body = excluded.body`,
      )
      .run(state.name, JSON.stringify(state));
  }

  async listSourceStates(): Promise<SourceState[]> {
    const rows = this.#sql.prepare('SELECT body FROM watch_sources ORDER BY name').all() as {
      body: string;
    }[];
    return rows.map((r) => JSON.parse(r.body) as SourceState);
  }
}
