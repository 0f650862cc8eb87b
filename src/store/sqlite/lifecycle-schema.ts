/**
 * Migration 3 (issue #5): lifecycle transitions, owner attestations, offboarding plans, the
 * delivery outbox, evidence, watched-source health and event cursors. Portable SQL: TEXT ids
 * made in code, no AUTOINCREMENT, no SQLite-only types.
 */
export const LIFECYCLE_SQL = `
CREATE TABLE lifecycle_cursors (
  name TEXT PRIMARY KEY,
  seq INTEGER NOT NULL
);
CREATE TABLE lifecycle_transitions (
  id TEXT PRIMARY KEY,
  record_id TEXT NOT NULL,
  dimension TEXT NOT NULL,
  from_value TEXT,
  to_value TEXT,
  source TEXT NOT NULL,
  run_id TEXT,
  at TEXT NOT NULL,
  legal INTEGER NOT NULL,
  event_seq INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX lifecycle_transitions_record ON lifecycle_transitions (record_id, event_seq);
CREATE TABLE attestations (
  id TEXT PRIMARY KEY,
  record_id TEXT NOT NULL,
  owner TEXT,
  attested_by TEXT NOT NULL,
  attested_at TEXT NOT NULL,
  note TEXT
);
CREATE INDEX attestations_record ON attestations (record_id, attested_at);
CREATE TABLE offboarding_plans (
  id TEXT PRIMARY KEY,
  subject_id TEXT NOT NULL,
  state TEXT NOT NULL,
  created_at TEXT NOT NULL,
  completed_at TEXT,
  body TEXT NOT NULL
);
CREATE INDEX offboarding_plans_subject ON offboarding_plans (subject_id);
CREATE INDEX offboarding_plans_state ON offboarding_plans (state);
CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  idempotency_key TEXT NOT NULL,
  kind TEXT NOT NULL,
  target TEXT NOT NULL,
  body TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at TEXT NOT NULL,
  claimed_until TEXT,
  created_at TEXT NOT NULL,
  delivered_at TEXT,
  last_error TEXT,
  plan_id TEXT,
  action_id TEXT
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE TABLE offboarding_evidence (
  plan_id TEXT PRIMARY KEY,
  generated_at TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE TABLE watch_sources (
  name TEXT PRIMARY KEY,
  body TEXT NOT NULL
);
`;
