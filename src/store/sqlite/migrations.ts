import type Database from 'better-sqlite3';
import {
  API_INDEX_MIGRATION,
  API_MIGRATION,
  DROP_ADMISSION_INDEX_MIGRATION,
  SEARCH_TRIGGERS_MIGRATION,
} from './api-schema.js';
import {
  DECISION_BODIES_MIGRATION, DECISION_SUBJECT_BUCKET_MIGRATION, DECISIONS_MIGRATION,
} from './decision-schema.js';
import { subjectBucket } from './decision-log.js';
import { LIFECYCLE_SQL } from './lifecycle-schema.js';
import { scrubDecisionRequests } from './decision-scrub.js';
import { ENTRA_LISTINGS, NETBOX_LISTINGS, scopeByListing } from './listing-scopes.js';
import { scopeGcpByAssetType } from './typed-scopes.js';
import { scopeK8sByKind } from './kind-scopes.js';

/**
 * Versioned schema. Each step runs once, in order, inside a transaction, and is recorded in
 * schema_migrations. The SQL stays portable (TEXT, INTEGER, standard DDL) so that the
 * PostgreSQL adapter can carry the same shape.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /**
   * A data step run after `sql` in the same transaction, for what SQL cannot say portably
   * (the PostgreSQL adapter carries its own step of the same meaning).
   */
  readonly data?: (db: Database.Database) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'inventory',
    sql: `
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  format TEXT NOT NULL,
  source TEXT NOT NULL,
  file TEXT NOT NULL,
  as_of TEXT NOT NULL,
  as_of_origin TEXT NOT NULL,
  complete INTEGER NOT NULL,
  scopes TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL,
  counts TEXT
);
CREATE TABLE records (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  admission TEXT NOT NULL,
  lifecycle TEXT,
  owner TEXT,
  environment TEXT,
  criticality TEXT,
  first_seen TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  search TEXT NOT NULL,
  summary TEXT,
  body TEXT NOT NULL
);
CREATE INDEX records_kind ON records (kind, id);
CREATE INDEX records_admission ON records (admission);
CREATE TABLE record_keys (
  kind TEXT NOT NULL,
  key_type TEXT NOT NULL,
  key_value TEXT NOT NULL,
  record_id TEXT NOT NULL,
  PRIMARY KEY (kind, key_type, key_value, record_id)
);
CREATE INDEX record_keys_record ON record_keys (record_id);
CREATE INDEX record_keys_value ON record_keys (key_type, key_value);
CREATE TABLE observations (
  format TEXT NOT NULL,
  scope TEXT NOT NULL,
  source_id TEXT NOT NULL,
  record_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  seen_run TEXT NOT NULL,
  as_of TEXT NOT NULL,
  status TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (format, scope, source_id)
);
CREATE INDEX observations_record ON observations (record_id);
CREATE TABLE edges (
  format TEXT NOT NULL,
  scope TEXT NOT NULL,
  source_id TEXT NOT NULL,
  record_id TEXT NOT NULL,
  type TEXT NOT NULL,
  reverse INTEGER NOT NULL,
  target_type TEXT NOT NULL,
  target_value TEXT NOT NULL,
  source TEXT NOT NULL
);
CREATE INDEX edges_observation ON edges (format, scope, source_id);
CREATE INDEX edges_record ON edges (record_id);
CREATE INDEX edges_target ON edges (target_type, target_value);
CREATE TABLE findings (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  severity TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  status TEXT NOT NULL,
  opened_at TEXT NOT NULL,
  closed_at TEXT,
  last_judged_at TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX findings_subject ON findings (subject_id);
CREATE INDEX findings_status ON findings (status, kind);
CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  type TEXT NOT NULL,
  subject_id TEXT,
  run_id TEXT,
  data TEXT NOT NULL
);
`,
  },
  DECISIONS_MIGRATION,
  { version: 3, name: 'lifecycle', sql: LIFECYCLE_SQL },
  API_MIGRATION,
  API_INDEX_MIGRATION,
  DECISION_BODIES_MIGRATION,
  SEARCH_TRIGGERS_MIGRATION,
  DROP_ADMISSION_INDEX_MIGRATION,
  {
    // Each ingest asks for the complete runs of its format newer than itself (a file older than
    // what is stored marks nothing missing); without it that read scanned every run.
    version: 9,
    name: 'store: runs indexed by format and as-of time',
    sql: 'CREATE INDEX runs_format ON runs (format, as_of);',
  },
  {
    // Requests logged before the redaction knew bearer tokens, URL passwords, webhooks and
    // Roster's own tokens kept them; the log is bounded, but not that soon.
    version: 10,
    name: 'decision log: requests redacted by the current rules',
    sql: '',
    data: (db) => {
      scrubDecisionRequests(db);
    },
  },
  {
    // Keys were a rowid table with its primary key beside it and two more indexes, four
    // B-trees per key written; a record has six to ten keys. Ordered by the key first, the
    // primary key alone answers every look-up by key (with or without the kind), and the rows
    // live in it: two B-trees per key, 40 % less CPU per key written and a third less space.
    version: 11,
    name: 'store: record keys clustered by key',
    sql: `
CREATE TABLE record_keys_by_key (
  key_type TEXT NOT NULL,
  key_value TEXT NOT NULL,
  kind TEXT NOT NULL,
  record_id TEXT NOT NULL,
  PRIMARY KEY (key_type, key_value, kind, record_id)
) WITHOUT ROWID;
INSERT INTO record_keys_by_key (key_type, key_value, kind, record_id)
  SELECT key_type, key_value, kind, record_id FROM record_keys;
DROP TABLE record_keys;
ALTER TABLE record_keys_by_key RENAME TO record_keys;
CREATE INDEX record_keys_record ON record_keys (record_id);
`,
  },
  {
    ...DECISION_SUBJECT_BUCKET_MIGRATION,
    data: (db) => {
      db.function('roster_subject_bucket', { deterministic: true }, (id) =>
        subjectBucket(String(id)));
      db.exec('UPDATE decisions SET subject_bucket = roster_subject_bucket(subject_id)');
    },
  },
  {
    // A NetBox scope named only the instance, so a complete
    // list of tenants marked every device missing; scopes now name the listing as well
    // (`netbox:<host>/dcim.devices`), and stored observations move to theirs.
    version: 13,
    name: 'netbox: observations scoped by the object type listed',
    sql: '',
    data: (db) => {
      scopeByListing(db, NETBOX_LISTINGS);
    },
  },
  {
    // The same for Entra: a complete list of applications marked every service principal
    // (and its credentials) missing; scopes now name the Graph list (`entra:<tenant>/
    // servicePrincipals`), and stored observations move to theirs.
    version: 14,
    name: 'entra: observations scoped by the object type listed',
    sql: '',
    data: (db) => {
      scopeByListing(db, ENTRA_LISTINGS);
    },
  },
  {
    // The same for Cloud Asset Inventory: a scope named the project only, and every export was
    // complete for it, so an export filtered by --asset-types marked every other type of its
    // projects missing. Scopes now name the asset type (`gcp:<project>/compute.googleapis.com/
    // Instance`), and stored observations move to theirs.
    version: 15,
    name: 'gcp: observations scoped by project and asset type',
    sql: '',
    data: (db) => {
      scopeGcpByAssetType(db);
    },
  },
  {
    // The same for Kubernetes: a scope named the namespace only, so `kubectl get pods -A`
    // ingested --complete marked every Deployment, ServiceAccount and Secret of its namespaces
    // missing. Scopes now name the kind (`k8s:<cluster>/<namespace>/Pod`, `k8s:<cluster>//
    // Node`), and stored observations move to theirs.
    version: 16,
    name: 'k8s: observations scoped by cluster, namespace and kind',
    sql: '',
    data: (db) => {
      scopeK8sByKind(db);
    },
  },
];
