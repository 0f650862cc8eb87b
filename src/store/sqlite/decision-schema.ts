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
