/**
 * Migration 2 (issue 3): the decision log, and a change feed for the decision point.
 *
 * `decision_changes` holds, per record, the sequence number of its last change. Triggers on
 * `records` and `findings` keep it, whoever writes: ingest, judging, lifecycle, another
 * process. The events table alone does not do: a run that only moves a sighting's last-seen
 * time changes freshness without emitting an event. The PostgreSQL adapter will keep the same
 * table from its own triggers and NOTIFY on it.
 */
/**
 * A trigger that moves a record to the end of the change sequence. An UPDATE then an INSERT,
 * not INSERT OR REPLACE: a trigger's conflict clause yields to the firing statement's, and
 * the store writes records with an upsert.
 */
function trigger(name: string, event: string, id: string): string {
  const next = '(SELECT COALESCE(MAX(seq), 0) + 1 FROM decision_changes)';
  return `CREATE TRIGGER decision_changes_${name} AFTER ${event} BEGIN
  UPDATE decision_changes SET seq = ${next} WHERE record_id = ${id};
  INSERT INTO decision_changes (record_id, seq) SELECT ${id}, ${next}
    WHERE NOT EXISTS (SELECT 1 FROM decision_changes WHERE record_id = ${id});
END;`;
}

export const DECISIONS_MIGRATION = {
  version: 2,
  name: 'decisions',
  sql: `
CREATE TABLE decisions (
  id TEXT PRIMARY KEY,
  at TEXT NOT NULL,
  decision INTEGER NOT NULL,
  reason TEXT NOT NULL,
  subject_type TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  action TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX decisions_subject ON decisions (subject_id, id);
CREATE INDEX decisions_resource ON decisions (resource_id, id);
CREATE INDEX decisions_reason ON decisions (reason, id);
CREATE TABLE decision_changes (
  record_id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL
);
CREATE INDEX decision_changes_seq ON decision_changes (seq);
${trigger('record_insert', 'INSERT ON records', 'NEW.id')}
${trigger('record_update', 'UPDATE ON records', 'NEW.id')}
${trigger('record_delete', 'DELETE ON records', 'OLD.id')}
${trigger('finding_insert', 'INSERT ON findings', 'NEW.subject_id')}
${trigger('finding_update', 'UPDATE ON findings', 'NEW.subject_id')}
`,
} as const;

/**
 * Migration 6: decision bodies stored once, and one secondary index fewer per logged row.
 *
 * A decision point answers the same question over and over, so most decisions' bodies are
 * the same apart from the decision's id and time. Such a body is kept once in
 * `decision_bodies`; a row names it by `body_digest` (its `body` is then empty) and a reader
 * puts the row's own id and time back into it. Rows from before keep their body inline, with
 * `body_digest` NULL, and read as they did.
 *
 * `decision_body_uses` holds, per body, the newest decision id that names it. The log is
 * pruned oldest id first, so a body whose newest user is older than the oldest row kept is
 * named by no row: the prune drops it without an index on `decisions.body_digest`, which
 * would cost every logged row a write at a random place.
 *
 * The resource index goes for the same reason: no reader filters by resource (the API and
 * `roster decisions` filter by subject, outcome and record), and its random keys cost about
 * as much per row as the subject index (measured: a shared row alone ~14 µs, with the subject
 * index ~45 µs, with the resource index too ~65-85 µs). A resource filter still works, newest
 * first over the bounded log. The reason index stays: a handful of distinct codes, so its
 * inserts land on a few pages and cost next to nothing.
 */
export const DECISION_BODIES_MIGRATION = {
  version: 6,
  name: 'decision bodies',
  sql: `
CREATE TABLE decision_bodies (
  digest TEXT PRIMARY KEY,
  body TEXT NOT NULL
);
CREATE TABLE decision_body_uses (
  digest TEXT PRIMARY KEY,
  last_id TEXT NOT NULL
);
ALTER TABLE decisions ADD COLUMN body_digest TEXT;
DROP INDEX decisions_resource;
`,
} as const;

/**
 * Migration 12: the decision log's subject index by bucket. An index on `(subject_id, id)`
 * puts every logged row at a random place in it, and every prune takes it out of another:
 * on a log of decisions about many subjects, that dirtied a page of its own per row and cost
 * about half of the writer's CPU (measured: 68 µs a row with it, 40 with the bucket index,
 * 34 with none; 2.9 kB bodies, 100,000 rows kept). Rows now carry `subject_bucket`, a hash
 * of the subject id into 64 buckets (subjectBucket, decision-log.ts), and the index is
 * `(subject_bucket, id)`: a commit appends to a few dozen pages, and a listing by subject
 * walks its bucket newest first, checking `subject_id`. Rows already logged get their bucket
 * here.
 */
export const DECISION_SUBJECT_BUCKET_MIGRATION = {
  version: 12,
  name: 'decision log: subject index by bucket',
  sql: `
ALTER TABLE decisions ADD COLUMN subject_bucket INTEGER;
DROP INDEX decisions_subject;
CREATE INDEX decisions_subject_bucket ON decisions (subject_bucket, id);
`,
} as const;
