import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/judge/finding.js';
import type { OffboardingPlan } from '../../src/lifecycle/plan-types.js';
import type { Transition } from '../../src/lifecycle/transitions.js';
import { cli, cmdbWith, edited, type Cli } from './estate.js';
import { Receiver } from './receiver.js';

const BACKUP = 'i-0c3d4e5f607182930';
const STOCKHOLM = ['--timezone', 'Europe/Stockholm'];

async function withEstate(config = ''): Promise<Cli> {
  const c = cli(config);
  const demo = await c.run('demo');
  if (demo.code !== 0) throw new Error(demo.err);
  return c;
}

/** The offboarding plan of the record named `name`. */
async function planOf(c: Cli, name: string): Promise<OffboardingPlan> {
  const plans = await c.json<OffboardingPlan[]>('offboarding');
  return plans.find((p) => p.subject.name === name)!;
}

const retireBackup = (c: Cli, now = '2026-12-02T08:00:00Z') =>
  c.run('ingest', c.file('cmdb-servers.csv', cmdbWith('backup-01', ',Installed,Operational,',
    ',Retired,Retired,')), '--as-of', '2026-12-02T07:00:00Z', ...STOCKHOLM, '--now', now);

describe('transitions from sources', () => {
  it('records an illegal move a source reports, flagged, and emits an event for it', async () => {
    const c = await withEstate();
    await c.run('deliver', '--now', '2026-12-01T12:00:00Z');
    const back = c.file('cmdb-servers.csv', cmdbWith('report-gen-02', ',Retired,Retired,',
      ',Installed,Operational,'));
    const r = await c.run('ingest', back, '--as-of', '2026-12-02T07:00:00Z', ...STOCKHOLM,
      '--now', '2026-12-02T08:00:00Z');
    expect(r.code, r.err).toBe(0);
    const flagged = await c.json<Transition[]>('transitions', '--flagged');
    const rows = flagged.map((t) => [t.recordName, t.dimension, t.from, t.to, t.source, t.note]);
    expect(rows).toEqual([
      ['report-gen-02', 'admission', 'retired', 'approved', 'cmdb',
        'admission retired may not become approved'],
      ['report-gen-02', 'lifecycle', 'retired', 'in-service', 'cmdb',
        'retired is final; a returning thing is admitted as a new one'],
    ]);
    const events = await c.json<{ type: string; subject: string }[]>('events', '--after', '0',
      '--limit', '100000');
    const isFlagged = (e: { type: string }) => e.type === 'dev.roster.lifecycle.transition.flagged';
    expect(events.filter(isFlagged)).toHaveLength(2);
  });
});

describe('admission', () => {
  it('queues unknown things, admits from a file reporting bad rows, and rejection decommissions',
    async () => {
      const c = await withEstate();
      const queue = await c.json<{ name: string }[]>('admit');
      expect(queue.map((q) => q.name)).toContain('bi-scratch-01');
      const file = c.file('admit.csv', 'key,owner,purpose\n' +
        'i-0a9b8c7d6e5f40312,Petra Lind,BI experiments\n' +
        'i-0000000000000000f,Petra Lind,nothing\n' +
        'svc-legacy-sync,,partner sync\n');
      const r = await c.run('admit', '--file', file, '--by', 'alice',
        '--now', '2026-12-01T13:00:00Z');
      expect(r.code).toBe(1);
      expect(r.out).toContain('admitted 1 of 3 row(s)');
      expect(r.err).toContain(`rejected: ${file}:line 3 field key: ` +
        "no asset or identity has the key 'i-0000000000000000f' [NOT_FOUND]");
      expect(r.err).toContain(`rejected: ${file}:line 4 field owner: no owner`);
      const after = (await c.json<{ name: string }[]>('admit')).map((q) => q.name);
      expect(after).not.toContain('bi-scratch-01');
      const open = await c.json<Finding[]>('findings');
      const stillUnknown = (f: Finding) =>
        f.kind === 'unknown-asset' && f.subject.name === 'bi-scratch-01';
      expect(open.some(stillUnknown)).toBe(false);

      const rej = await c.run('reject', 'svc-legacy-sync', '--reason', 'no owner, no purpose',
        '--by', 'alice', '--now', '2026-12-01T14:00:00Z');
      expect(rej.code, rej.err).toBe(0);
      expect(rej.out).toContain('rejected svc-legacy-sync');
      const plan = await planOf(c, 'svc-legacy-sync');
      expect(plan.trigger)
        .toMatchObject({ source: 'roster', by: 'alice', reason: 'no owner, no purpose' });
      expect(plan.actions.map((a) => a.type).sort()).toEqual([
        'aws-access-key.deactivate-delete', 'aws-access-key.deactivate-delete',
        'aws-iam-user.disable']);
    });

  it('refuses an illegal command with the reason and changes nothing', async () => {
    const c = await withEstate();
    const r = await c.run('transition', 'report-gen-02', '--to', 'in-service');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/report-gen-02 \(ast_\w+\): refused: retired is final/);
    // The six exports, and Roster's own run holding report-gen-02 retired.
    const runs = await c.json<{ format: string }[]>('runs');
    expect(runs.map((r) => r.format).filter((f) => f === 'roster-retirement')).toHaveLength(1);
    expect(runs.length).toBe(7);
  });
});

describe('offboarding', () => {
  it('flags an identity that still serves a live asset instead of revoking it', async () => {
    const c = await withEstate();
    const IAM = 'aws-iam-authorization-details.json';
    const iam = c.file(IAM, edited(IAM,
      (l) => l.replace(`"Value": "${BACKUP}"`, `"Value": "${BACKUP}, i-0b2c3d4e5f6071829"`)));
    expect((await c.run('ingest', iam, '--as-of', '2026-12-01T06:00:00Z', '--now',
      '2026-12-01T12:00:00Z')).code).toBe(0);
    expect((await retireBackup(c)).code).toBe(0);
    const plan = await planOf(c, 'backup-01');
    expect(plan.actions).toEqual([]);
    expect(plan.shared).toEqual([{ recordId: expect.any(String), name: 'svc-backup',
      alsoServes: [{ id: expect.any(String), name: 'db-prod-01' }] }]);
    const text = await c.run('offboarding', '--plan', plan.id);
    expect(text.out).toContain('flagged, not revoked: svc-backup');
  });

  it('marks actions overdue when no later run confirms them in time', async () => {
    const c = await withEstate();
    await retireBackup(c);
    await c.run('deliver', '--now', '2026-12-10T00:00:00Z');
    const plan = await planOf(c, 'backup-01');
    expect(plan.actions.map((a) => a.state)).toEqual(['overdue', 'overdue']);
    const table = await c.run('offboarding', '--now', '2026-12-10T00:00:00Z');
    expect(table.out).toMatch(/asset:backup-01\s+retired by cmdb\s+open\s+0\s+0\s+0\s+0\s+2\s+0/);
  });

  it('runs the configured command once per action with the action on stdin', async () => {
    const c = cli();
    const outDir = c.dir;
    const script = c.file('revoke.mjs', [
      "import { writeFileSync } from 'node:fs';",
      "let s = '';",
      'process.stdin.on("data", (x) => (s += x)).on("end", () => writeFileSync(',
      `  ${JSON.stringify(outDir)} + "/sent-" + process.env.ROSTER_IDEMPOTENCY_KEY + ".json", s));`,
    ].join('\n'));
    c.file('roster.config.yaml', ['lifecycle:', '  executor: command',
      `  command: { path: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(script)}] }`,
    ].join('\n'));
    expect((await c.run('demo')).code).toBe(0);
    expect((await retireBackup(c)).code).toBe(0);
    const plan = await planOf(c, 'backup-01');
    for (const a of plan.actions) {
      expect([a.state, a.sentBy]).toEqual(['sent', 'command']);
      const sent = JSON.parse(readFileSync(join(outDir, `sent-${a.id}.json`), 'utf8')) as {
        idempotencyKey: string; action: string };
      expect([sent.idempotencyKey, sent.action]).toEqual([a.id, a.type]);
    }
    const files = readdirSync(outDir).filter((f) => f.startsWith('sent-'));
    const all = (await c.json<OffboardingPlan[]>('offboarding')).flatMap((p) => p.actions);
    expect(files).toHaveLength(all.length);
  });
});

describe('change events to webhooks', () => {
  const receiver = new Receiver('events-secret');
  let url = '';
  beforeAll(async () => {
    url = await receiver.start();
    process.env['ROSTER_TEST_EVENTS_SECRET'] = 'events-secret';
  });
  afterAll(async () => {
    await receiver.stop();
    delete process.env['ROSTER_TEST_EVENTS_SECRET'];
  });
  afterEach(() => receiver.requests.splice(0));

  it('sends every inventory change as a signed CloudEvent, once', async () => {
    const c = await withEstate(['lifecycle:', '  webhooks:',
      `    - { name: siem, url: "${url}", secretEnv: ROSTER_TEST_EVENTS_SECRET, ` +
        'deliver: [events] }',
    ].join('\n'));
    await retireBackup(c);
    const log = await c.json<{ id: string; type: string }[]>('events', '--limit', '100000');
    const got = receiver.requests.map((q) => JSON.parse(q.body) as { id: string; type: string });
    // Events the last delivery itself wrote follow in the next one.
    const sent = new Set(got.map((e) => e.id));
    const before = log.filter((e) => sent.has(e.id));
    expect(got.map((e) => e.id)).toEqual(before.map((e) => e.id));
    expect(got.length).toBeGreaterThan(50);
    const types = new Set(got.map((e) => e.type));
    for (const t of ['dev.roster.record.added', 'dev.roster.record.changed',
      'dev.roster.finding.opened', 'dev.roster.offboarding.plan.created']) {
      expect(types).toContain(t);
    }
    expect(receiver.requests.every((q) => q.signatureValid && q.status === 200)).toBe(true);
    expect(receiver.duplicates).toBe(0);
    const again = await c.run('deliver', '--now', '2026-12-02T09:00:00Z');
    expect(again.code).toBe(0);
    expect(receiver.duplicates).toBe(0);
  });
});

describe('configuration', () => {
  it('refuses a webhook secret written in the file', async () => {
    const c = cli(['lifecycle:', '  webhooks:',
      '    - { name: x, url: "http://127.0.0.1:1/", secretEnv: X, secret: hunter2 }'].join('\n'));
    const r = await c.run('offboarding');
    expect(r.code).toBe(2);
    expect(r.err).toContain('lifecycle.webhooks.0');
    expect(r.err).not.toContain('hunter2');
  });
});
