import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roster } from '../helpers/cli.js';
import { startHarness } from '../server/harness.js';

let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'roster-runstate-'));
  db = join(dir, 'r.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const NOW = '2026-12-01T12:00:00Z';

async function ingest(file: string, asOf: string, ...extra: string[]): Promise<void> {
  const r = await roster('--db', db, 'ingest', file, '--as-of', asOf, '--now', NOW, '-q',
    ...extra);
  expect(r.code, r.err).toBe(0);
}

/** The tester's repro: canary-07 runs on the 28th, and the export of the 30th lists it no more. */
async function canaryGone(): Promise<void> {
  await ingest('examples/estate/aws-ec2-instances-2026-11-28.json', '2026-11-28T06:00:00Z');
  await ingest('examples/estate/aws-ec2-instances-2026-11-30.json', '2026-11-30T06:00:00Z');
}

interface AssetJson {
  name: string;
  runState: string | null;
  runStateLastReported?: { value: string; source: string; missingSince: string };
}

describe('a run state whose only source no longer lists the asset', () => {
  it('shows as missing, with what was last reported, in the table and in JSON', async () => {
    await canaryGone();
    const table = (await roster('--db', db, 'assets')).out.split('\n');
    const canary = table.find((l) => l.startsWith('canary-07'))!;
    expect(canary).toContain('missing since 2026-11-30 (was running)');
    expect(canary).not.toMatch(/ running /);
    expect(table.find((l) => l.startsWith('web-prod-01'))).toMatch(/ running /);
    const json = JSON.parse((await roster('--db', db, 'assets', '-o', 'json')).out) as AssetJson[];
    const one = json.find((a) => a.name === 'canary-07')!;
    expect(one.runState).toBe('missing');
    expect(one.runStateLastReported).toEqual({
      value: 'running', source: 'aws', missingSince: '2026-11-30T06:00:00.000Z' });
    expect(json.find((a) => a.name === 'web-prod-01')!.runState).toBe('running');
  });

  it('is not taken as running by judging: a retired host AWS lost sight of', async () => {
    const later = JSON.parse(readFileSync('examples/estate/aws-ec2-instances-2026-11-30.json',
      'utf8')) as { Reservations: { Instances: { InstanceId: string }[] }[] };
    for (const r of later.Reservations) {
      r.Instances = r.Instances.filter((i) => i.InstanceId !== 'i-0d4e5f60718293a41');
    }
    const gone = join(dir, 'aws-ec2-instances.json');
    writeFileSync(gone, JSON.stringify(later));
    await ingest('examples/estate/cmdb-servers.csv', '2026-11-30T07:00:00Z',
      '--timezone', 'Europe/Stockholm');
    await ingest('examples/estate/aws-ec2-instances-2026-11-28.json', '2026-11-28T06:00:00Z');
    const before = await roster('--db', db, 'findings', '-o', 'json', '--as-of', NOW);
    expect(before.out).toMatch(/report-gen-02 is retired in the system of record, yet aws reports/);
    await ingest(gone, '2026-11-30T06:00:00Z');
    const after = await roster('--db', db, 'findings', '-o', 'json', '--as-of', NOW);
    expect(after.out).not.toMatch(/report-gen-02 is retired[^"]*aws reports it running/);
  });
});

describe('the API', () => {
  it('lists and shows such an asset as missing, as the CLI does', async () => {
    const h = await startHarness();
    try {
      const page = await h.getJson<{ items: AssetJson[] }>('/api/v1/assets?q=canary-07');
      expect(page.items[0]!.runState).toBe('missing');
      expect(page.items[0]!.runStateLastReported?.value).toBe('running');
      const one = await h.getJson<AssetJson>('/api/v1/records/canary-07');
      expect(one.runState).toBe('missing');
      const web = await h.getJson<AssetJson>('/api/v1/records/web-prod-01');
      expect(web.runState).toBe('running');
      expect(web.runStateLastReported).toBeUndefined();
    } finally {
      await h.close();
    }
  });
});
