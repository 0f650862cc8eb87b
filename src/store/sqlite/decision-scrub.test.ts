import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations.js';
import { scrubDecisionRequests } from './decision-scrub.js';

const BEARER = 'Bearer abcdefghijklmnopqrstuvwxyz0123456789';

function migrated(upTo: number): Database.Database {
  const db = new Database(':memory:');
  for (const m of MIGRATIONS) {
    if (m.version > upTo) continue;
    db.exec(m.sql);
    m.data?.(db);
  }
  return db;
}

const body = (context: Record<string, unknown>) => JSON.stringify({
  request: { subject: { type: 'workload', id: 'web-01' }, resource: { type: 'db', id: 'db-01' },
    action: { name: 'read' }, context },
  decision: { id: 'dec_1', at: '2026-12-01T00:00:00.000Z', decision: false },
});

function insert(db: Database.Database, id: string, json: string, digest: string | null): void {
  db.prepare(`INSERT INTO decisions (id, at, decision, reason, subject_type, subject_id,
    resource_type, resource_id, action, body, body_digest)
    VALUES (?, '2026-12-01T00:00:00.000Z', 0, 'denied', 'workload', 'web-01', 'db', 'db-01',
    'read', ?, ?)`).run(id, digest ? '' : json, digest);
  if (!digest) return;
  db.prepare('INSERT INTO decision_bodies (digest, body) VALUES (?, ?)').run(digest, json);
}

describe('the decision log scrub (migration 10)', () => {
  it('redacts what a request logged before today\'s rules kept, inline and shared', () => {
    const db = migrated(9);
    const clean = body({ note: 'nothing secret' });
    insert(db, 'dec_1', body({ authorization: BEARER }), null);
    insert(db, 'dec_2', body({ note: `header was ${BEARER}` }), 'digest-a');
    insert(db, 'dec_3', clean, null);
    const version10 = MIGRATIONS.find((m) => m.version === 10)!;
    db.transaction(() => version10.data!(db))();
    const stored = (sql: string): string => db.prepare(sql).pluck().get() as string;
    const inline = stored("SELECT body FROM decisions WHERE id = 'dec_1'");
    const shared = stored("SELECT body FROM decision_bodies WHERE digest = 'digest-a'");
    for (const text of [inline, shared]) {
      expect(text).not.toContain('abcdefghijklmnopqrstuvwxyz0123456789');
      expect(JSON.parse(text)).toMatchObject({
        request: { subject: { id: 'web-01' }, context: expect.any(Object) },
        decision: { id: 'dec_1', decision: false },
      });
    }
    expect(JSON.parse(inline).request.context).toEqual({ authorization: '[redacted]' });
    expect(stored("SELECT body FROM decisions WHERE id = 'dec_3'")).toBe(clean);
    // Run again: nothing is left to rewrite.
    expect(scrubDecisionRequests(db)).toBe(0);
  });

  it('runs once as the store migrates, over an empty log', () => {
    const db = migrated(Infinity);
    expect(db.prepare('SELECT COUNT(*) FROM decisions').pluck().get()).toBe(0);
    expect(scrubDecisionRequests(db)).toBe(0);
  });
});
