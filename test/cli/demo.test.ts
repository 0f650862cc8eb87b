import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roster } from '../helpers/cli.js';

/** Runs the CLI in process and captures what it prints. */
let dir: string;
let db: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'roster-cli-'));
  db = join(dir, 'roster.db');
  const demo = await roster('--db', db, 'demo');
  expect(demo.err).toBe('');
  expect(demo.code).toBe(0);
  expect(demo.out).not.toContain('already held');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface FindingJson {
  kind: string;
  severity: string;
  subject: { type: string; id: string; name: string };
  message: string;
  references: string[];
  evidence: { source: string; field: string; value?: unknown; asOf?: string; recordId?: string }[];
}

async function findings(...extra: string[]): Promise<FindingJson[]> {
  const r = await roster('--db', db, 'findings', '-o', 'json', ...extra);
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as FindingJson[];
}

describe('roster on the example estate', () => {
  it('raises every finding kind of the core at least once', async () => {
    const kinds = new Set((await findings()).map((f) => f.kind));
    for (const k of [
      'unknown-asset', 'unowned-asset', 'inactive-owner', 'retired-asset-active', 'stale-asset',
      'missing-from-source', 'orphaned-credential', 'unused-credential', 'unrotated-credential',
      'root-access-key', 'human-use-of-nhi', 'conflicting-attributes',
    ]) {
      expect(kinds, k).toContain(k);
    }
  });

  it('names subject, references and evidence of each finding', async () => {
    const all = await findings();
    const root = all.find((f) => f.kind === 'root-access-key')!;
    expect(root.severity).toBe('critical');
    expect(root.subject.type).toBe('credential');
    expect(root.references).toContain('OWASP-NHI5:2025');
    const orphan = all.filter((f) => f.kind === 'orphaned-credential').map((f) => f.subject.name);
    expect(orphan).toContain('svc-legacy-sync access key 1');
    // svc-reportgen runs (RunsOn tag) only on report-gen-02, which the CMDB retired.
    expect(orphan).toContain('svc-reportgen access key 1');
    const reportgen = all.find((f) => f.subject.name === 'svc-reportgen access key 1')!;
    const gone = reportgen.evidence.filter((e) => e.field !== 'active' && e.field !== 'belongs-to');
    expect(gone.map(({ source, field, value, asOf }) => ({ source, field, value, asOf }))).toEqual([
      { source: 'roster', field: 'runs-on', value: 'report-gen-02', asOf: undefined },
      { source: 'cmdb', field: 'admission', value: 'retired', asOf: '2026-11-30T07:00:00.000Z' },
      { source: 'cmdb', field: 'lifecycle', value: 'retired', asOf: '2026-11-30T07:00:00.000Z' },
    ]);
    const host = all.find((f) => f.kind === 'retired-asset-active')!.subject;
    expect(host.name).toBe('report-gen-02');
    expect(new Set(gone.map((e) => e.recordId))).toEqual(new Set([host.id]));
    // A person's own key is not orphaned for want of a CMDB row.
    expect(orphan).not.toContain('maria.okafor access key 1');
    const retired = all.find((f) => f.kind === 'retired-asset-active')!;
    expect(retired.subject.name).toBe('report-gen-02');
    expect(retired.evidence.map((e) => `${e.source}:${e.field}`)).toContain('aws:runState');
    expect(retired.message).toContain('1 active credential(s)');
    const human = all.find((f) => f.kind === 'human-use-of-nhi')!;
    expect(human.subject.name).toBe('svc-deploy');
    expect(human.references).toEqual(['OWASP-NHI10:2025']);
  });

  it('filters findings by kind', async () => {
    const stale = await findings('--kind', 'stale-asset');
    expect(stale.length).toBeGreaterThan(0);
    expect(stale.every((f) => f.kind === 'stale-asset')).toBe(true);
    expect(stale.map((f) => f.subject.name)).toContain('print-srv-01');
  });

  it('shows the CMDB row and the EC2 instance as one asset with provenance', async () => {
    const r = await roster('--db', db, 'show', 'i-0a1b2c3d4e5f60718', '-o', 'json');
    const [rec] = JSON.parse(r.out) as {
      name: string;
      admission: string;
      owner: string;
      attributes: Record<string, {
        value: unknown;
        source: string;
        conflicts: { source: string; value: unknown }[];
      }>;
      relations: { type: string; otherName: string }[];
      lastSeen: Record<string, string>;
    }[];
    expect(rec!.name).toBe('web-prod-01');
    expect(rec!.admission).toBe('approved');
    expect(rec!.attributes['runState']).toMatchObject({ value: 'running', source: 'aws' });
    expect(rec!.attributes['environment']!.value).toBe('production');
    expect(rec!.attributes['environment']!.conflicts).toEqual([
      expect.objectContaining({ source: 'aws', value: 'staging' }),
    ]);
    expect(rec!.relations).toContainEqual(
      expect.objectContaining({ type: 'runs-on', otherName: 'identity:web-prod-role' }));
    expect(Object.keys(rec!.lastSeen).sort()).toEqual(['aws', 'cmdb']);
  });

  it('lists assets as JSON with keys, admission, lifecycle, owner and per-source last seen',
    async () => {
      const r = await roster('--db', db, 'assets', '-o', 'json');
      const assets = JSON.parse(r.out) as Record<string, unknown>[];
      const scratch = assets.find((a) => a['name'] === 'bi-scratch-01')!;
      expect(scratch).toMatchObject({ admission: 'unknown', owner: null, lifecycle: null });
      expect(scratch['keys'])
        .toContainEqual({ type: 'aws-instance-id', value: 'i-0a9b8c7d6e5f40312' });
      expect(scratch['lastSeen']).toEqual({ aws: '2026-11-30T06:00:00.000Z' });
    });

  it('changes nothing when loaded again, and says the database held records', async () => {
    const before = await roster('--db', db, 'assets', '-o', 'json');
    const again = await roster('--db', db, 'demo');
    const after = await roster('--db', db, 'assets', '-o', 'json');
    expect(after.out).toBe(before.out);
    expect(again.out.split('\n')[1]).toBe(`note: ${db} already held 37 records (an earlier demo ` +
      'or other ingests); the figures below are of the whole database (--db selects another file)');
  });

  it('plans the offboarding of report-gen-02 (retired in the CMDB) when the demo loads',
    async () => {
      // The demo runs the same after-ingest steps as `roster ingest`; beforeAll loaded it once,
      // and the test above loaded it again: still one plan, not a second one.
      const r = await roster('--db', db, 'offboarding', '-o', 'json');
      expect(r.code).toBe(0);
      const plans = JSON.parse(r.out) as {
        subject: { kind: string; name: string };
        trigger: { to: string; source: string; asOf: string };
        state: string;
        actions: { type: string; target: { name: string } }[];
      }[];
      expect(plans.map((p) => `${p.subject.kind}:${p.subject.name}`)).toEqual([
        'asset:report-gen-02',
      ]);
      const plan = plans[0]!;
      expect(plan.trigger).toMatchObject({
        to: 'retired', source: 'cmdb', asOf: '2026-11-30T07:00:00.000Z',
    });
    expect(plan.state).toBe('open');
    expect(plan.actions.map((a) => `${a.type} ${a.target.name}`).sort()).toEqual([
      'aws-access-key.deactivate-delete svc-reportgen access key 1',
      'aws-iam-role.disable reportgen-role',
      'aws-iam-user.disable svc-reportgen',
    ]);
  });

  it('exports findings as CSV', async () => {
    const r = await roster('--db', db, 'findings', '-o', 'csv', '--kind', 'root-access-key');
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('SEVERITY,KIND,SUBJECT,MESSAGE,REFERENCES');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^critical,root-access-key,/);
  });
});
