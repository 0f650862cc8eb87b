import type { Migration } from './migrations.js';

/**
 * Migration 4 (issue 6): API tokens, the audit log, and the indexes the API's keyset pages,
 * history and search need.
 *
 * Two parts are SQLite's own and have a PostgreSQL counterpart in its adapter:
 * - `records_search` is an FTS5 table with the trigram tokenizer over `records.search`, so
 *   that a substring search (`web-01`, part of an ARN) does not scan every record; kept in
 *   step by triggers until migration 7, by the store's SearchIndex since. PostgreSQL: a GIN
 *   index with `gin_trgm_ops` on `records.search`.
 * - the audit log refuses UPDATE and DELETE by triggers. PostgreSQL: REVOKE UPDATE, DELETE.
 */
export const API_MIGRATION: Migration = {
  version: 4,
  name: 'server: tokens and audit',
  sql: `
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  scopes TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT,
  last_used_at TEXT,
  revoked_at TEXT
);
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (name) WHERE revoked_at IS NULL;

CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT,
  request_id TEXT,
  details TEXT NOT NULL
);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE INDEX records_kind_name ON records (kind, name, id);
CREATE INDEX records_kind_updated ON records (kind, updated_at, id);
CREATE INDEX records_kind_first_seen ON records (kind, first_seen, id);
CREATE INDEX records_kind_admission ON records (kind, admission, name, id);
CREATE INDEX records_name ON records (name, id);
CREATE INDEX events_subject ON events (subject_id, seq);
CREATE INDEX events_type ON events (type, seq);
CREATE INDEX findings_opened ON findings (opened_at, id);
CREATE INDEX runs_started ON runs (started_at, id);

CREATE VIRTUAL TABLE records_search USING fts5(
  search, content = 'records', content_rowid = 'rowid', tokenize = 'trigram'
);
INSERT INTO records_search (records_search) VALUES ('rebuild');
CREATE TRIGGER records_search_insert AFTER INSERT ON records
BEGIN INSERT INTO records_search (rowid, search) VALUES (new.rowid, new.search); END;
CREATE TRIGGER records_search_delete AFTER DELETE ON records
BEGIN
  INSERT INTO records_search (records_search, rowid, search)
  VALUES ('delete', old.rowid, old.search);
END;
CREATE TRIGGER records_search_update AFTER UPDATE OF search ON records
WHEN old.search IS NOT new.search
BEGIN
  INSERT INTO records_search (records_search, rowid, search)
  VALUES ('delete', old.rowid, old.search);
  INSERT INTO records_search (rowid, search) VALUES (new.rowid, new.search);
END;
`,
};

/**
 * Migration 5 (issue 6): keyset pages over every kind at once (`/api/v1/records`) sorted by
 * update or first sighting, findings of one subject, and the unowned records of a kind (the
 * console's first question) by name or newest first, read from an index instead of sorting or
 * scanning the table.
 */
export const API_INDEX_MIGRATION: Migration = {
  version: 5,
  name: 'server: page indexes',
  sql: `
CREATE INDEX records_updated ON records (updated_at, id);
CREATE INDEX records_first_seen ON records (first_seen, id);
CREATE INDEX findings_subject_id ON findings (subject_id, id);
CREATE INDEX records_unowned_name ON records (kind, name, id) WHERE owner IS NULL;
CREATE INDEX records_unowned_updated ON records (kind, updated_at, id) WHERE owner IS NULL;
`,
};

/**
 * Migration 7 (6 is the decision log's bodies, on another branch): the store keeps
 * `records_search` in step itself, in bulk before each transaction commits (search-index.ts),
 * so the per-row triggers of migration 4 go. The index they kept is left as it is: it matches
 * `records` when this runs.
 */
export const SEARCH_TRIGGERS_MIGRATION: Migration = {
  version: 7,
  name: 'store: search index kept in bulk',
  sql: `
DROP TRIGGER records_search_insert;
DROP TRIGGER records_search_delete;
DROP TRIGGER records_search_update;
`,
};

/**
 * Migration 8: `records_admission` (migration 1) goes. Every query that filters on admission
 * names the kind too (the API adds the kinds that have one, the CLI lists one kind) and reads
 * `records_kind_admission`; the only plan that took the single-column index was a page of one
 * admission over all kinds by id, which no caller asks for and which it served with a sort.
 * Each records row written paid for it.
 */
export const DROP_ADMISSION_INDEX_MIGRATION: Migration = {
  version: 8,
  name: 'store: records_admission dropped',
  sql: 'DROP INDEX records_admission;',
};
