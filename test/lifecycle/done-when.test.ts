import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import { openApp } from '../../src/app.js';
import { lifecycleOf } from '../../src/lifecycle-app.js';
import type { EvidenceRecord } from '../../src/lifecycle/evidence.js';
import type { OffboardingPlan } from '../../src/lifecycle/plan-types.js';
import { Receiver } from './receiver.js';
import { roster } from '../helpers/cli.js';

/**
 * Issue #5, "Done when": on the example estate, retiring a server in the CMDB export and
 * re-ingesting produces a plan naming each of its credentials; a webhook receiver gets each
 * action exactly once per idempotency key despite a forced failure and a restart; a later
 * credential report showing the keys inactive confirms the actions; the evidence record tells
 * the whole story. The modified exports are made here from examples/estate, never edited there.
 */
const ESTATE = join(process.cwd(), 'examples', 'estate');
const SECRET_ENV = 'ROSTER_TEST_WEBHOOK_SECRET';
const SECRET = 'test-only-hmac-secret-1f2e3d';
const BACKUP = 'i-0c3d4e5f607182930';

/** The CMDB export with one server's install and operational status set to Retired. */
function retireInCmdb(name: string): string {
  const lines = readFileSync(join(ESTATE, 'cmdb-servers.csv'), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.split(',')[1] === name);
  expect(i, `${name} in the CMDB export`).toBeGreaterThan(0);
  lines[i] = lines[i]!.replace(',Installed,Operational,', ',Retired,Retired,');
  return lines.join('\n');
}

/** The credential report with the access keys of these users inactive. */
function deactivateKeys(users: string[]): string {
  return readFileSync(join(ESTATE, 'aws-credential-report.csv'), 'utf8')
    .split('\n')
    .map((l) => {
      const cells = l.split(',');
      if (!users.includes(cells[0]!)) return l;
      cells[8] = 'false'; // access_key_1_active
      if (cells[13] === 'true') cells[13] = 'false'; // access_key_2_active
      return cells.join(',');
    })
    .join('\n');
}

let dir: string;
let db: string;
let config: string;
const receiver = new Receiver(SECRET);

/** The CLI over this suite's database and config. */
const run = (...args: string[]) => roster('--db', db, '--config', config, ...args);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'roster-done-when-'));
  db = join(dir, 'roster.db');
  config = join(dir, 'roster.config.yaml');
  const url = await receiver.start();
  receiver.failFirst = true;
  process.env[SECRET_ENV] = SECRET;
  writeFileSync(config, [
    'lifecycle:',
    '  executor: webhook',
    '  webhooks:',
    `    - { name: soar, url: "${url}", secretEnv: ${SECRET_ENV}, deliver: [actions] }`,
    '  delivery: { backoffSeconds: 60, maxAttempts: 5 }',
  ].join('\n'));
  const demo = await run('demo');
  expect(demo.code, demo.err).toBe(0);
});

afterAll(async () => {
  await receiver.stop();
  delete process.env[SECRET_ENV];
  rmSync(dir, { recursive: true, force: true });
});

async function plans(): Promise<OffboardingPlan[]> {
  const r = await run('offboarding', '-o', 'json');
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as OffboardingPlan[];
}

const backupPlan = async () => (await plans()).find((p) => p.subject.name === 'backup-01')!;

describe('issue 5, done when: retiring backup-01 in the CMDB', () => {
  it('plans one action for each credential it leaves behind, from the re-ingested CMDB',
    async () => {
      const cmdb = join(dir, 'cmdb-servers.csv');
      writeFileSync(cmdb, retireInCmdb('backup-01'));
      const r = await run('ingest', cmdb,
        '--as-of', '2026-12-02T07:00:00Z', '--timezone', 'Europe/Stockholm',
        '--now', '2026-12-02T08:00:00Z');
      expect(r.code, r.err).toBe(0);

      const plan = await backupPlan();
      expect(plan.trigger).toMatchObject({
        dimension: 'lifecycle', from: 'in-service', to: 'retired',
        source: 'cmdb', asOf: '2026-12-02T07:00:00.000Z',
      });
      expect(plan.subject.keys).toContainEqual({ type: 'aws-instance-id', value: BACKUP });
      const byType = plan.actions.map((a) => [a.type, a.target.name]).sort();
      expect(byType).toEqual([
        ['aws-access-key.deactivate-delete', 'svc-backup access key 1'],
        ['aws-iam-user.disable', 'svc-backup'],
      ]);
      const key = plan.actions.find((a) => a.type === 'aws-access-key.deactivate-delete')!;
      expect(key.target.details).toMatchObject({
        userName: 'svc-backup',
        userArn: 'arn:aws:iam::048211339100:user/svc-backup',
        credentialSlot:
          'arn:aws:iam::048211339100:user/svc-backup#access-key-1@2025-06-01T12:05:00.000Z',
    });
    expect(key.reason).toBe('credential of svc-backup, which acts only from backup-01');

    const transitions = await run('transitions', BACKUP, '-o', 'json');
    expect(JSON.parse(transitions.out)).toEqual(expect.arrayContaining([
      expect.objectContaining({ dimension: 'lifecycle', from: 'in-service', to: 'retired',
        source: 'cmdb', legal: true, at: '2026-12-02T07:00:00.000Z' }),
      expect.objectContaining({ dimension: 'admission', from: 'approved', to: 'retired' }),
    ]));
  });

  it('survives a forced failure: the first delivery of each action got HTTP 500', async () => {
    const plan = await backupPlan();
    expect(receiver.requests.length).toBeGreaterThan(0);
    for (const a of plan.actions) {
      const tries = receiver.requests.filter((q) => q.headers['idempotency-key'] === a.id);
      expect(tries.map((q) => q.status)).toEqual([500]);
      expect(a.state).toBe('planned');
    }
    // The demo already planned report-gen-02 (retired in the example CMDB) and its first
    // deliveries failed too; the ingest above retried and delivered those. None of backup-01's.
    const reportGen = (await plans()).find((p) => p.subject.name === 'report-gen-02')!;
    expect([...receiver.accepted.keys()].sort())
      .toEqual(reportGen.actions.map((a) => a.id).sort());
  });

  it('resumes the outbox in a new app instance over the same database file', async () => {
    // Before the backoff runs out nothing is due.
    const early = await run('deliver', '--now', '2026-12-02T08:00:30Z');
    expect(early.out).toContain('delivered 0');
    const r = await run('deliver', '--now', '2026-12-02T08:02:00Z');
    expect(r.code, r.err).toBe(0);
    const plan = await backupPlan();
    for (const a of plan.actions) {
      expect(a.state).toBe('sent');
      expect(a.sentBy).toBe('webhook:soar');
      const body = JSON.parse(receiver.accepted.get(a.id)!) as Record<string, unknown>;
      expect(body).toMatchObject({
        specversion: '1.0', id: a.id, type: 'dev.roster.offboarding.action',
        source: '/roster/offboarding', subject: a.target.recordId,
        datacontenttype: 'application/json',
        data: { idempotencyKey: a.id, planId: plan.id, action: a.type },
      });
    }
    expect(receiver.requests.every((q) => q.signatureValid)).toBe(true);
    const sample = receiver.requests.find((q) => q.status === 200)!;
    expect(sample.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
    expect(sample.headers['ce-specversion']).toBe('1.0');
  });

  it('lets the receiver drop a repeat: a crash between sending and recording resends the same key',
    async () => {
      const app = await openApp({ db, config });
      try {
        const lc = lifecycleOf(app);
        const before = receiver.accepted.size;
        // The process died after the POST and before marking it: the row is pending again.
        const item = (await lc.ctx.lifecycle.listOutbox('delivered'))[0]!;
        const { connection } = app.store as unknown as { connection: Database };
        connection.prepare("UPDATE outbox SET state = 'pending', delivered_at = NULL WHERE id = ?")
          .run(item.id);
        const d = await lc.deliver('2026-12-02T08:10:00.000Z');
        expect(d.delivered.map((x) => x.idempotencyKey)).toEqual([item.idempotencyKey]);
        expect(receiver.duplicates).toBe(1);
        expect(receiver.accepted.size).toBe(before);
      } finally {
        await app.close();
      }
      const perKey = new Map<string, number>();
      for (const q of receiver.requests.filter((x) => x.status === 200)) {
        const k = String(q.headers['idempotency-key']);
        perKey.set(k, (perKey.get(k) ?? 0) + 1);
      }
      const all = (await plans()).flatMap((p) => p.actions.map((a) => a.id));
      expect([...receiver.accepted.keys()].sort()).toEqual([...all].sort());
    });

  it('confirms the actions when a later credential report shows the keys inactive', async () => {
    const report = join(dir, 'aws-credential-report.csv');
    writeFileSync(report, deactivateKeys(['svc-backup']));
    const r = await run('ingest', report,
      '--as-of', '2026-12-03T06:00:00Z', '--now', '2026-12-03T07:00:00Z');
    expect(r.code, r.err).toBe(0);
    const plan = await backupPlan();
    expect(plan.state).toBe('completed');
    for (const a of plan.actions) {
      expect(a.state).toBe('confirmed');
      expect(a.confirmation).toMatchObject({ source: 'aws', format: 'aws-credential-report',
        asOf: '2026-12-03T06:00:00.000Z' });
    }
    const key = plan.actions.find((a) => a.type === 'aws-access-key.deactivate-delete')!;
    expect(key.confirmation).toMatchObject({ field: 'active', value: false });
  });

  it('tells the whole story in the evidence record', async () => {
    const r = await run('evidence', BACKUP, '-o', 'json');
    expect(r.code, r.err).toBe(0);
    const e = JSON.parse(r.out) as EvidenceRecord;
    expect(e.complete).toBe(true);
    expect(e.references).toEqual(['OWASP-NHI1:2025', 'OWASP-NHI7:2025', 'NIST-CSF-2.0:ID.AM-08']);
    expect(e.retired).toMatchObject({
      name: 'backup-01', transition: 'lifecycle in-service → retired',
      source: 'cmdb', asOf: '2026-12-02T07:00:00.000Z',
    });
    expect(e.actions).toHaveLength(2);
    for (const a of e.actions) {
      expect(a.sentBy).toBe('webhook:soar');
      expect(a.sentAt).toBe('2026-12-02T08:02:00.000Z');
      expect(a.confirmedAt).toBe('2026-12-03T07:00:00.000Z');
      expect(a.confirmedBy?.source).toBe('aws');
    }
    expect(e.summary).toBe('backup-01 went retired per cmdb as of 2026-12-02T07:00:00.000Z; ' +
      '2 of 2 revocation(s) confirmed, confirmed by aws');
    const text = await run('evidence', BACKUP);
    expect(text.out).toContain('aws-access-key.deactivate-delete svc-backup access key 1: sent');
  });
});
