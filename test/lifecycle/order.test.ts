import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app.js';
import { drainOutbox, webhookDeliverer } from '../../src/executors/index.js';
import { lifecycleOf } from '../../src/lifecycle-app.js';
import type { Finding } from '../../src/judge/finding.js';
import type { EvidenceRecord } from '../../src/lifecycle/evidence.js';
import type { OffboardingPlan } from '../../src/lifecycle/plan-types.js';
import type { Transition } from '../../src/lifecycle/transitions.js';
import { cli, cmdbWith, ESTATE, type Cli } from './estate.js';
import { Receiver } from './receiver.js';

const STOCKHOLM = ['--timezone', 'Europe/Stockholm'];
const IAM = join(ESTATE, 'aws-iam-authorization-details.json');
const CREDS = join(ESTATE, 'aws-credential-report.csv');
const RETIRED_BACKUP = () => cmdbWith('backup-01', ',Installed,Operational,', ',Retired,Retired,');

async function ok(c: Cli, ...args: string[]): Promise<string> {
  const r = await c.run(...args);
  if (r.code !== 0) throw new Error(`roster ${args.join(' ')}: ${r.err}`);
  return r.out;
}

/** What each plan revokes, by subject: the part that must not depend on the ingest order. */
async function planned(c: Cli): Promise<Record<string, string[]>> {
  const plans = await c.json<OffboardingPlan[]>('offboarding');
  return Object.fromEntries(plans.map((p) => [p.subject.name,
    p.actions.map((a) => `${a.type} ${a.target.name}`).sort()]));
}

/** The CMDB (with backup-01 retired in a second export) and the credential report. */
async function cmdbThenRetire(c: Cli): Promise<void> {
  const cmdb = join(c.dir, 'cmdb-servers.csv');
  copyFileSync(join(ESTATE, 'cmdb-servers.csv'), cmdb);
  await ok(c, 'ingest', cmdb, CREDS, '--as-of', '2026-11-30T07:00:00Z', ...STOCKHOLM,
    '--now', '2026-12-01T08:00:00Z');
  writeFileSync(cmdb, RETIRED_BACKUP());
  await ok(c, 'ingest', cmdb, '--as-of', '2026-12-01T07:00:00Z', ...STOCKHOLM,
    '--now', '2026-12-01T08:00:00Z');
}

describe('offboarding does not depend on the ingest order (DESIGN rule 3)', () => {
  it('reopens a completed plan when a later run reveals what the asset left behind',
    async () => {
      const late = cli();
      await cmdbThenRetire(late);
      const before = await late.json<OffboardingPlan[]>('offboarding');
      const backup = before.find((p) => p.subject.name === 'backup-01')!;
      expect([backup.state, backup.actions.length]).toEqual(['completed', 0]);
      await ok(late, 'ingest', IAM, '--as-of', '2026-12-01T07:30:00Z',
        '--now', '2026-12-01T08:10:00Z');

      const early = cli();
      await ok(early, 'ingest', IAM, '--as-of', '2026-12-01T07:30:00Z',
        '--now', '2026-12-01T08:00:00Z');
      await cmdbThenRetire(early);

      expect(await planned(late)).toEqual(await planned(early));
      expect((await planned(late))['backup-01']).toEqual([
        'aws-access-key.deactivate-delete svc-backup access key 1',
        'aws-iam-user.disable svc-backup']);
      const reopened = (await late.json<OffboardingPlan[]>('offboarding'))
        .find((p) => p.id === backup.id)!;
      expect([reopened.state, reopened.reopenedAt]).toEqual(['open', '2026-12-01T08:10:00.000Z']);
      const events = await late.json<{ type: string; data: { planId?: string } }[]>('events',
        '--limit', '100000');
      expect(events.filter((e) => e.type === 'dev.roster.offboarding.plan.reopened')
        .map((e) => e.data.planId)).toEqual([backup.id]);
    });

  it('never says nothing was left behind while a credential of the asset is orphaned',
    async () => {
      const c = cli();
      await cmdbThenRetire(c);
      const found = await c.json<EvidenceRecord>('evidence', 'backup-01');
      expect(found.summary).toContain('no identity, credential, certificate or SPIRE entry of ' +
        'it was found as of 2026-12-01T08:00:00.000Z');
      await ok(c, 'ingest', IAM, '--as-of', '2026-12-01T07:30:00Z',
        '--now', '2026-12-01T08:10:00Z');
      const orphans = await c.json<Finding[]>('findings', '--kind', 'orphaned-credential');
      expect(orphans.map((f) => f.subject.name)).toContain('svc-backup access key 1');
      const draft = await c.json<EvidenceRecord>('evidence', 'backup-01');
      expect(draft.complete).toBe(false);
      expect(draft.summary).toBe('backup-01 went retired per cmdb as of 2026-12-01T07:00:00.000Z' +
        '; 0 of 2 revocation(s) confirmed; reopened 2026-12-01T08:10:00.000Z when a later run ' +
        'showed more to revoke');
    });

  it('shows the open plan on a dry run instead of a second plan with new keys', async () => {
    const c = cli();
    await ok(c, 'ingest', IAM, '--as-of', '2026-12-01T07:30:00Z', '--now', '2026-12-01T08:00:00Z');
    await cmdbThenRetire(c);
    const open = (await c.json<OffboardingPlan[]>('offboarding'))
      .find((p) => p.subject.name === 'report-gen-02')!;
    const dry = await c.json<{ plan: OffboardingPlan; existing: boolean }>('offboard',
      'report-gen-02', '--dry-run');
    expect(dry.existing).toBe(true);
    expect(dry.plan.id).toBe(open.id);
    expect(dry.plan.actions.map((a) => a.id)).toEqual(open.actions.map((a) => a.id));
    const text = await ok(c, 'offboard', 'report-gen-02', '--dry-run');
    expect(text.split('\n')[0]).toMatch(
      new RegExp(`^dry run: report-gen-02 \\(ast_\\w+\\) is already being offboarded by plan ` +
        `${open.id} \\(open, 2 action\\(s\\)\\); executor: dry-run$`));
  });
});

describe('retired is final', () => {
  it('keeps a retired server retired when the CMDB resends its old state, and denies it',
    async () => {
      const c = cli();
      const cmdb = join(c.dir, 'cmdb-servers.csv');
      await ok(c, 'ingest', join(ESTATE, 'cmdb-servers.csv'), IAM, CREDS,
        join(ESTATE, 'aws-ec2-instances-2026-11-30.json'), '--as-of', '2026-11-30T07:00:00Z',
        ...STOCKHOLM, '--now', '2026-12-01T08:00:00Z');
      writeFileSync(cmdb, RETIRED_BACKUP());
      await ok(c, 'ingest', cmdb, '--as-of', '2026-12-02T07:00:00Z', ...STOCKHOLM,
        '--now', '2026-12-02T08:00:00Z');
      // Roster holds it retired, yet the CMDB that said so stays the provenance.
      const [held] = await c.json<{ attributes: Record<string, { source: string }> }[]>('show',
        'backup-01');
      expect(held!.attributes['lifecycle']!.source).toBe('cmdb');
      // The original export again, now newer than the retirement.
      await ok(c, 'ingest', join(ESTATE, 'cmdb-servers.csv'), '--as-of', '2026-12-05T07:00:00Z',
        ...STOCKHOLM, '--now', '2026-12-05T08:00:00Z');

      const [backup] = await c.json<{ admission: string; lifecycle: string;
        attributes: Record<string, { value: unknown; conflicts: { source: string;
          value: unknown }[] }> }[]>('show', 'backup-01');
      expect([backup!.admission, backup!.lifecycle]).toEqual(['retired', 'retired']);
      expect(backup!.attributes['lifecycle']!.conflicts)
        .toEqual([expect.objectContaining({ source: 'cmdb', value: 'in-service' })]);

      const active = await c.json<Finding[]>('findings', '--kind', 'retired-asset-active');
      const finding = active.find((f) => f.subject.name === 'backup-01')!;
      expect(finding.message).toContain('cmdb reports it in-service and approved ' +
        '(retired is final)');
      expect(finding.references).toEqual(['OWASP-NHI1:2025', 'NIST-CSF-2.0:ID.AM-08',
        'NIST-SP-800-207:tenet-5']);

      const flagged = await c.json<Transition[]>('transitions', 'backup-01');
      expect(flagged.filter((t) => !t.legal).map((t) => [t.dimension, t.from, t.to, t.source]))
        .toEqual([['admission', 'retired', 'approved', 'cmdb'],
          ['lifecycle', 'retired', 'in-service', 'cmdb']]);

      const decide = await c.run('decide', 'examples/decide/backup-reads-print-server.json',
        '--as-of', '2026-12-05T08:00:00Z');
      expect(decide.out.split('\n')[0]).toBe('DENY  host backup-01  read  host print-srv-01');
      const plans = await c.json<OffboardingPlan[]>('offboarding');
      expect(plans.find((p) => p.subject.name === 'backup-01')?.state).toBe('open');
    });
});

describe('source health holds in every judgement', () => {
  const WATCH = join(process.cwd(), 'examples', 'watch', 'estate.yaml');
  const kinds = (fs: Finding[]) => fs.filter((f) => f.kind === 'stale-asset' ||
    f.kind === 'source-silent').map((f) => `${f.kind} ${f.subject.type}:${f.subject.name}`).sort();

  it('keeps what watch decided when another command judges, and hides no old staleness',
    async () => {
      const c = cli();
      await ok(c, 'watch', WATCH, '--once', '--now', '2026-11-30T08:00:00Z');
      // The CMDB last discovered print-srv-01 76 days ago: stale whatever the sources do.
      expect(kinds(await c.json<Finding[]>('findings')))
        .toEqual(['stale-asset asset:print-srv-01']);
      await ok(c, 'watch', WATCH, '--once', '--now', '2026-11-30T12:00:00Z');
      expect(kinds(await c.json<Finding[]>('findings'))).toEqual([
        'source-silent source:cmdb', 'source-silent source:cmdb-users', 'source-silent source:ec2',
        'stale-asset asset:print-srv-01']);

      await ok(c, 'watch', WATCH, '--once', '--now', '2026-12-10T08:00:00Z');
      const watched = kinds(await c.json<Finding[]>('findings'));
      expect(watched.filter((k) => k.startsWith('source-silent'))).toHaveLength(5);
      expect(watched.filter((k) => k.startsWith('stale-asset'))).toEqual([
        'stale-asset asset:print-srv-01']);
      const ingest = await ok(c, 'ingest', join(ESTATE, 'cmdb-users.json'),
        '--now', '2026-12-10T08:05:00Z');
      expect(ingest).toMatch(/, 0 new, 0 closed/);
      expect(kinds(await c.json<Finding[]>('findings'))).toEqual(watched);
      expect(kinds(await c.json<Finding[]>('findings', '--as-of', '2026-12-10T08:06:00Z')))
        .toEqual(watched);
      const [ec2] = (await c.json<Finding[]>('findings', '--kind', 'source-silent'))
        .filter((f) => f.subject.name === 'ec2');
      expect(ec2!.subject).toEqual({ type: 'source', id: 'source:ec2', name: 'ec2' });
      // The file has not changed since the first read: that is when ec2 last gave news.
      expect(ec2!.message).toBe('source ec2 has given no new export since ' +
        '2026-11-30T08:00:00.000Z (it is read every 15 min and counts as silent after 45 min); ' +
        '5 record(s) not reported stale because of it');
    });
});

describe('delivery', () => {
  const receiver = new Receiver('order-secret');
  let url = '';
  beforeAll(async () => {
    url = await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    delete process.env['ROSTER_ORDER_SECRET'];
  });

  it('records an action sent once its delivery was answered 2xx, even if the process died',
    async () => {
      const c = cli(['lifecycle:', '  executor: webhook', '  webhooks:',
        `    - { name: soar, url: "${url}", secretEnv: ROSTER_ORDER_SECRET, deliver: [actions] }`,
      ].join('\n'));
      // No secret yet: the retirement plans and queues, nothing goes out.
      await ok(c, 'ingest', IAM, CREDS, '--as-of', '2026-11-30T07:00:00Z',
        '--now', '2026-12-01T08:00:00Z');
      const retire = await c.run('ingest', c.file('cmdb.csv', RETIRED_BACKUP()), '--as-of',
        '2026-12-01T07:00:00Z', ...STOCKHOLM, '--now', '2026-12-01T08:00:00Z');
      expect(retire.err).toContain('cannot deliver');
      process.env['ROSTER_ORDER_SECRET'] = 'order-secret';
      // A process that delivers and dies before it takes the deliveries into the plans.
      const app = await openApp({ db: c.db, config: c.config });
      try {
        const config = app.config.lifecycle;
        const hook = webhookDeliverer(config.webhooks[0]!);
        const lc = lifecycleOf(app).ctx.lifecycle;
        const drained = await drainOutbox(lc, new Map([[hook.target, hook]]), config.delivery,
          { now: '2026-12-01T09:00:00.000Z' });
        // backup-01's key and user, and report-gen-02's (retired in the same export).
        expect(drained.delivered).toHaveLength(4);
      } finally {
        await app.close();
      }
      const shown = (await c.json<OffboardingPlan[]>('offboarding'))
        .find((p) => p.subject.name === 'backup-01')!;
      expect(shown.actions.map((a) => [a.state, a.sentAt])).toEqual([
        ['sent', '2026-12-01T09:00:00.000Z'], ['sent', '2026-12-01T09:00:00.000Z']]);
      // The next cycle stores it, with one sent event per action, and sends nothing again.
      await ok(c, 'deliver', '--now', '2026-12-01T10:00:00Z');
      const events = await c.json<{ type: string }[]>('events', '--limit', '100000');
      expect(events.filter((e) => e.type === 'dev.roster.offboarding.action.sent'))
        .toHaveLength(4);
      expect([receiver.requests.length, receiver.duplicates]).toEqual([4, 0]);
    });
});
