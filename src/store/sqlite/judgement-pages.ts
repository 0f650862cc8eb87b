import type Database from 'better-sqlite3';
import type { Finding } from '../../judge/finding.js';
import type { JudgementCounts } from '../port.js';
import { MultiRowInsert } from './sqlite-batch.js';

/**
 * Replaces the open finding set with the findings of `pages`, written as they come, inside
 * the caller's transaction. Only the ids of the findings open before are held (a set of short
 * strings), never the findings: a finding seen again stays open with its first `opened_at`,
 * a new one opens (with a `finding.opened` event), and one not seen again closes.
 */
export async function writeJudgementPages(
  db: Database.Database,
  pages: AsyncIterable<readonly Finding[]>,
  at: string,
): Promise<JudgementCounts> {
  const before = new Set(
    db.prepare("SELECT id FROM findings WHERE status = 'open'").pluck().all() as string[],
  );
  // Each page is written as multi-row statements: one statement per finding made the writes
  // most of the judgement's time at 100,000 records.
  const upsert = new MultiRowInsert(
    db,
    `INSERT INTO findings (id, kind, severity, subject_id, status, opened_at, closed_at,
     last_judged_at, body) VALUES`,
    9,
    `ON CONFLICT (id) DO UPDATE SET severity = excluded.severity, status = 'open',
       opened_at = CASE WHEN findings.status = 'open' THEN findings.opened_at
                        ELSE excluded.opened_at END,
       closed_at = NULL, last_judged_at = excluded.last_judged_at, body = excluded.body`,
  );
  const opening = new MultiRowInsert(
    db, 'INSERT INTO events (at, type, subject_id, run_id, data) VALUES', 5);
  const close = db.prepare(
    "UPDATE findings SET status = 'closed', closed_at = ?, last_judged_at = ? WHERE id = ?",
  );
  const subject = db.prepare('SELECT kind, subject_id FROM findings WHERE id = ?');
  const event = db.prepare(
    'INSERT INTO events (at, type, subject_id, run_id, data) VALUES (?, ?, ?, NULL, ?)',
  );
  const byKind: Record<string, number> = {};
  let open = 0;
  let opened = 0;
  for await (const page of pages) {
    const rows: unknown[][] = [];
    const events: unknown[][] = [];
    for (const f of page) {
      rows.push([f.id, f.kind, f.severity, f.subject.id, 'open', at, null, at, JSON.stringify(f)]);
      open++;
      byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
      if (!before.delete(f.id)) {
        opened++;
        events.push([at, 'finding.opened', f.subject.id, null,
          JSON.stringify({ id: f.id, kind: f.kind })]);
      }
    }
    upsert.run(rows);
    opening.run(events);
  }
  for (const id of before) {
    const row = subject.get(id) as { kind: string; subject_id: string };
    close.run(at, at, id);
    event.run(at, 'finding.closed', row.subject_id, JSON.stringify({ id, kind: row.kind }));
  }
  return { open, opened, closed: before.size, byKind };
}
