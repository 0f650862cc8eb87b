import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DecisionLogEntry } from '../../decide/ports.js';
import { ThreadedDecisionLog } from './decision-log-thread.js';
import { SqliteDecisionLog, subjectBucket, type StoredDecision } from './decision-log.js';
import { MIGRATIONS } from './migrations.js';

/** Applies the migrations up to and including `upTo`, as SqliteStore.migrate does. */
function migrate(db: Database.Database, upTo = Infinity): void {
  for (const m of MIGRATIONS) {
    if (m.version > upTo) continue;
    db.exec(m.sql);
    m.data?.(db);
  }
}

/** A decision body as the decision point writes it, for a request of `subject` on `resource`. */
function bodyOf(id: string, at: string, subject: string, resource: string) {
  return {
    request: { subject: { type: 'host', id: subject }, resource: { type: 'db', id: resource },
      action: { name: 'read' } },
    decision: { id, at, decision: true, reasons: ['allowed'], policies: [{ id: 'p1' }],
      subject: { type: 'host', id: subject, recordId: `rec-${subject}` },
      resource: { type: 'db', id: resource, recordId: `rec-${resource}` },
      message: `${subject} may read ${resource}` },
  };
}

const T0 = Date.parse('2026-12-04T09:00:00.000Z');
let seq = 0;

/** The next decision: ids sort by time, as the decision point's do. */
function next(subject: string, resource: string) {
  seq += 1;
  const id = `dec_${String(seq).padStart(6, '0')}`;
  const at = new Date(T0 + seq * 1000).toISOString();
  return { id, at, body: bodyOf(id, at, subject, resource) };
}

function entry(d: { id: string; at: string; body: ReturnType<typeof bodyOf> },
  shared?: { digest: string; json: string }): DecisionLogEntry {
  const r = d.body.request;
  return {
    id: d.id, at: d.at, decision: true, reason: 'allowed',
    subjectType: r.subject.type, subjectId: r.subject.id,
    resourceType: r.resource.type, resourceId: r.resource.id, action: 'read',
    // A producer of a shared entry need not serialise its own body: sinks ignore it.
    body: shared ? { ignored: true } : d.body,
    ...(shared ? { shared } : {}),
  };
}

/** A question asked again and again: the first decision's body, shared by every later one. */
function question(subject: string, resource: string) {
  const first = next(subject, resource);
  const shared = { digest: `sha-${subject}-${resource}`, json: JSON.stringify(first.body) };
  let used = false;
  return {
    first,
    shared,
    /** The first decision's entry, then one more decision of the same question per call. */
    again: (): { d: typeof first; e: DecisionLogEntry } => {
      const d = used ? next(subject, resource) : first;
      used = true;
      return { d, e: entry(d, shared) };
    },
  };
}

/** What a reader gets for decision `d` of a shared question: the first's body, d's id and time. */
function expected(first: { body: ReturnType<typeof bodyOf> }, d: { id: string; at: string }) {
  return { ...first.body, decision: { ...first.body.decision, id: d.id, at: d.at } };
}

type Log = SqliteDecisionLog & { close?: () => void };

const kinds: [string, (db: Database.Database, path: string, maxRows?: number) => Log][] = [
  ['synchronous', (db, _path, maxRows) => new SqliteDecisionLog(db, { maxRows })],
  ['threaded', (db, path, maxRows) => new ThreadedDecisionLog(db, path, { maxRows })],
];

let dir: string;
let path: string;
let db: Database.Database;
const logs: Log[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'roster-decision-log-'));
  path = join(dir, 'roster.db');
  db = new Database(path);
  db.pragma('journal_mode = WAL');
});

afterEach(() => {
  for (const log of logs.splice(0)) log.close?.();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = (sql: string): number => db.prepare(sql).pluck().get() as number;

describe.each(kinds)('the %s decision log', (_kind, make) => {
  const open = (maxRows?: number): Log => {
    const log = make(db, path, maxRows);
    logs.push(log);
    return log;
  };
  beforeEach(() => migrate(db));

  it('reads a shared entry back with its own id and time and otherwise the first body', () => {
    const log = open();
    const q = question('web-1', 'db-1');
    const one = q.again();
    const two = q.again();
    log.append(one.e);
    log.append(two.e);

    const got = log.get(two.d.id)!;
    expect(got.id).toBe(two.d.id);
    expect(got.at).toBe(two.d.at);
    expect(got.body).toEqual(expected(q.first, two.d));
    expect(got.body['decision']).toMatchObject({ id: two.d.id, at: two.d.at });
    // The same shape as an inline body: the id and time keep their place among the keys.
    expect(Object.keys(got.body['decision'] as object)).toEqual(
      Object.keys(q.first.body.decision));
    expect(log.get(one.d.id)!.body).toEqual(q.first.body);

    const listed = log.list();
    expect(listed.map((r) => r.id)).toEqual([two.d.id, one.d.id]);
    expect(listed[0]!.body).toEqual(expected(q.first, two.d));
    expect(listed[1]!.body).toEqual(q.first.body);
  });

  it('stores a shared body once, and an unshared one inline as before', () => {
    const log = open();
    const q = question('web-1', 'db-1');
    const shared = [q.again(), q.again(), q.again()];
    const own = next('web-2', 'db-2');
    for (const s of shared) log.append(s.e);
    log.append(entry(own));
    expect(log.count()).toBe(4);

    expect(count('SELECT COUNT(*) FROM decision_bodies')).toBe(1);
    expect(db.prepare('SELECT body FROM decision_bodies').pluck().get()).toBe(q.shared.json);
    const rows = db.prepare('SELECT id, body, body_digest FROM decisions ORDER BY id').all();
    expect(rows).toEqual([
      ...shared.map((s) => ({ id: s.d.id, body: '', body_digest: q.shared.digest })),
      { id: own.id, body: JSON.stringify(own.body), body_digest: null },
    ]);
    expect(log.get(own.id)!.body).toEqual(own.body);
    expect(db.prepare('SELECT last_id FROM decision_body_uses').pluck().get())
      .toBe(shared[2]!.d.id);
  });

  it('filters shared and inline rows alike', () => {
    const log = open();
    const q = question('web-1', 'db-1');
    const a = q.again();
    const b = q.again();
    const own = next('web-2', 'db-2');
    log.append(a.e);
    log.append(b.e);
    log.append(entry(own));
    const ids = (rows: StoredDecision[]) => rows.map((r) => r.id);

    expect(ids(log.list({ subject: 'web-1' }))).toEqual([b.d.id, a.d.id]);
    expect(ids(log.list({ resource: 'db-2' }))).toEqual([own.id]);
    expect(ids(log.list({ reason: 'allowed', limit: 2 }))).toEqual([own.id, b.d.id]);
    expect(ids(log.list({ record: 'rec-db-1' }))).toEqual([b.d.id, a.d.id]);
    expect(ids(log.list({ record: 'rec-web-2' }))).toEqual([own.id]);
    expect(ids(log.list({ record: 'rec-none' }))).toEqual([]);
    expect(ids(log.list({ before: b.d.id }))).toEqual([a.d.id]);
    expect(ids(log.list({ since: b.d.at }))).toEqual([own.id, b.d.id]);
    expect(ids(log.list({ decision: false }))).toEqual([]);
  });

  it('prunes the bodies no row names any more, never one still named', () => {
    // maxRows 3: the log prunes every 3 rows written, back to the newest 3.
    const log = open(3);
    // Each question is made when first asked, so that ids grow in the order written.
    const x = question('web-1', 'db-1');
    const write = (e: DecisionLogEntry) => {
      log.append(e);
      log.flush();
    };
    const x1 = x.again();
    write(x1.e);
    write(x.again().e);
    const y = question('web-2', 'db-2');
    const y1 = y.again();
    write(y1.e);
    expect(count('SELECT COUNT(*) FROM decision_bodies')).toBe(2);

    const y2 = y.again();
    write(y2.e);
    const z = question('web-3', 'db-3');
    write(z.again().e);
    write(z.again().e);
    // Rows x1, x2 and y1 went: x's body with them, y's stays for y2.
    expect(log.count()).toBe(3);
    const digests = () => db.prepare('SELECT digest FROM decision_bodies ORDER BY digest')
      .pluck().all();
    expect(digests()).toEqual([y.shared.digest, z.shared.digest]);
    expect(log.get(y2.d.id)!.body).toEqual(expected(y.first, y2.d));
    expect(log.get(x1.d.id)).toBeUndefined();

    // x is asked again after its body was pruned: the entry brings it back.
    const x3 = x.again();
    write(x3.e);
    expect(log.get(x3.d.id)!.body).toEqual(expected(x.first, x3.d));
    const dangling = count(`SELECT COUNT(*) FROM decisions d WHERE d.body_digest IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM decision_bodies b WHERE b.digest = d.body_digest)`);
    expect(dangling).toBe(0);
  });

  it('keeps every entry of a burst that fills many batches, each shared body once', () => {
    // 3,000 entries hand the writer thread six batches at once: it commits them in groups.
    const log = open();
    const qs = [question('web-1', 'db-1'), question('web-2', 'db-2'), question('web-3', 'db-3')];
    const made: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const e = i % 10 === 9 ? entry(next('web-4', `db-${i}`)) : qs[i % 3]!.again().e;
      log.append(e);
      made.push(e.id);
    }
    expect(log.count()).toBe(3000);
    expect(count('SELECT COUNT(*) FROM decision_bodies')).toBe(3);
    expect(count("SELECT COUNT(*) FROM decisions WHERE body = ''")).toBe(2700);
    const newest = log.list({ limit: 10_000 });
    expect(newest.map((r) => r.id)).toEqual([...made].sort().reverse());
    const last = newest.find((r) => r.subjectId === 'web-2')!;
    expect(last.body).toEqual(expected(qs[1]!.first, last));
  });

  it('keeps every body when more shared bodies come and go than the writer holds', () => {
    // 2,600 questions: more than the two generations of 1,024 bodies the threaded writer keeps
    // in memory, so that asking them all again finds some bodies in memory and resends others.
    const log = open(100_000);
    const qs = Array.from({ length: 2600 }, (_, i) => question(`web-${i}`, `db-${i}`));
    for (const q of qs) log.append(q.again().e);
    log.flush();
    // Another connection removes every body: the writer must store each again when named,
    // from memory for the 1,500 newest (their JSON is not sent again), as sent for the oldest.
    db.prepare('DELETE FROM decision_bodies').run();
    const again = [...qs.slice(1100), qs[0]!].map((q) => ({ q, a: q.again() }));
    for (const { a } of again) log.append(a.e);
    for (const { q, a } of again) expect(log.get(a.d.id)!.body).toEqual(expected(q.first, a.d));
    expect(count('SELECT COUNT(*) FROM decision_bodies')).toBe(1501);
  });

  it('stores a body again that another connection removed (another writer pruned it)', () => {
    const log = open();
    const q = question('web-1', 'db-1');
    log.append(q.again().e);
    log.flush();
    db.prepare('DELETE FROM decision_bodies').run();
    db.prepare('DELETE FROM decision_body_uses').run();
    db.prepare('DELETE FROM decisions').run();

    const again = q.again();
    log.append(again.e);
    expect(log.get(again.d.id)!.body).toEqual(expected(q.first, again.d));
    expect(count('SELECT COUNT(*) FROM decision_bodies')).toBe(1);
  });
});

describe('the decision log across migration 6', () => {
  it('reads rows written before it as they were, beside shared ones', () => {
    migrate(db, 5);
    const old = next('web-9', 'db-9');
    db.prepare(`INSERT INTO decisions (id, at, decision, reason, subject_type, subject_id,
      resource_type, resource_id, action, body) VALUES (?, ?, 1, 'allowed', 'host', 'web-9',
      'db', 'db-9', 'read', ?)`).run(old.id, old.at, JSON.stringify(old.body));
    migrateFrom(db, 5);

    const log = new SqliteDecisionLog(db);
    const q = question('web-9', 'db-9');
    const later = q.again();
    log.append(later.e);
    expect(log.get(old.id)).toEqual({
      id: old.id, at: old.at, decision: true, reason: 'allowed', subjectType: 'host',
      subjectId: 'web-9', resourceType: 'db', resourceId: 'db-9', action: 'read', body: old.body,
    });
    const listed = log.list({ subject: 'web-9' });
    expect(listed.map((r) => r.body)).toEqual([later.d.body, old.body]);
    expect(log.list({ record: 'rec-web-9' }).map((r) => r.id)).toEqual([later.d.id, old.id]);
  });
});

/** Applies the migrations after `after`, data steps included, as SqliteStore.migrate does. */
function migrateFrom(db: Database.Database, after: number): void {
  for (const m of MIGRATIONS) {
    if (m.version <= after) continue;
    db.exec(m.sql);
    m.data?.(db);
  }
}

describe('the subject index by bucket (migration 12)', () => {
  it('keeps each subject in the same bucket for good', () => {
    // Stored in every row: a change would hide the rows logged before it from --subject.
    expect(['', 'web-1', 'host-6', 'spiffe://bench.example/ns/production/sa/workload-20',
      'ä-ü'].map(subjectBucket)).toEqual([5, 31, 48, 22, 50]);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(subjectBucket(`host-${i}`));
    expect(seen.size).toBe(64);
  });

  it('lists rows logged before it by subject, and every writer fills the bucket', () => {
    migrate(db, 11);
    const old = [next('web-9', 'db-9'), next('web-8', 'db-9'), next('web-9', 'db-8')];
    const insert = db.prepare(`INSERT INTO decisions (id, at, decision, reason, subject_type,
      subject_id, resource_type, resource_id, action, body) VALUES (?, ?, 1, 'allowed', 'host',
      ?, 'db', ?, 'read', ?)`);
    for (const o of old) {
      const b = o.body.decision;
      insert.run(o.id, o.at, b.subject.id, b.resource.id, JSON.stringify(o.body));
    }
    migrateFrom(db, 11);
    const threaded = new ThreadedDecisionLog(db, path);
    logs.push(threaded);
    const later = next('web-9', 'db-7');
    threaded.append(entry(later));
    const ids = threaded.list({ subject: 'web-9' }).map((r) => r.id);
    expect(ids).toEqual([later.id, old[2]!.id, old[0]!.id]);
    expect(threaded.list({ subject: 'web-8' }).map((r) => r.id)).toEqual([old[1]!.id]);
    expect(threaded.list({ subject: 'web-7' })).toEqual([]);
    const buckets = db.prepare('SELECT subject_id, subject_bucket FROM decisions').all() as
      { subject_id: string; subject_bucket: number | null }[];
    expect(buckets.map((b) => b.subject_bucket)).toEqual(buckets.map((b) =>
      subjectBucket(b.subject_id)));
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM decisions
      WHERE subject_bucket = ? AND subject_id = ? ORDER BY id DESC LIMIT 50`).all(1, 'web-9') as
      { detail: string }[];
    expect(plan.map((p) => p.detail).join()).toContain('decisions_subject_bucket');
  });
});

describe('the threaded and synchronous logs', () => {
  it('store and read the same decisions the same way', () => {
    migrate(db);
    const other = new Database(join(dir, 'other.db'));
    other.pragma('journal_mode = WAL');
    migrate(other);
    const sync = new SqliteDecisionLog(other, { maxRows: 5 });
    const threaded = new ThreadedDecisionLog(db, path, { maxRows: 5 });
    logs.push(threaded);
    const qs = [question('web-1', 'db-1'), question('web-2', 'db-1')];
    for (let i = 0; i < 14; i++) {
      const e = i % 3 === 2 ? entry(next('web-3', `db-${i}`)) : qs[i % 2]!.again().e;
      sync.append(e);
      threaded.append(e);
      if (i % 4 === 3) {
        sync.flush();
        threaded.flush();
      }
    }
    const everything = (log: SqliteDecisionLog) => log.list({ limit: 100 });
    expect(everything(threaded)).toEqual(everything(sync));
    expect(everything(threaded)).toHaveLength(threaded.count());
    const tables = (d: Database.Database) => ({
      bodies: d.prepare('SELECT * FROM decision_bodies ORDER BY digest').all(),
      uses: d.prepare('SELECT * FROM decision_body_uses ORDER BY digest').all(),
      rows: d.prepare('SELECT * FROM decisions ORDER BY id').all(),
    });
    threaded.flush();
    expect(tables(db)).toEqual(tables(other));
    other.close();
  });
});
