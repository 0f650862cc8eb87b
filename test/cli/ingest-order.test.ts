import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roster } from '../helpers/cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'roster-order-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ESTATE = 'examples/estate';
const NOW = '2026-12-01T12:00:00Z';

/** The example estate's exports, in manifest order, with the as-of the manifest gives. */
const EXPORTS = [
  { file: 'cmdb-users.json', asOf: '2026-11-30T07:00:00Z', timezone: 'Europe/Stockholm' },
  { file: 'cmdb-servers.csv', asOf: '2026-11-30T07:00:00Z', timezone: 'Europe/Stockholm' },
  { file: 'aws-ec2-instances-2026-11-28.json', asOf: '2026-11-28T06:00:00Z' },
  { file: 'aws-ec2-instances-2026-11-30.json', asOf: '2026-11-30T06:00:00Z' },
  { file: 'aws-iam-authorization-details.json', asOf: '2026-11-30T06:00:00Z' },
  { file: 'aws-credential-report.csv', asOf: '2026-11-30T06:04:11Z' },
] as const;

type Export = (typeof EXPORTS)[number];

async function ingestAll(db: string, order: readonly number[]): Promise<void> {
  for (const i of order) {
    const e: Export = EXPORTS[i]!;
    const zone = 'timezone' in e ? ['--timezone', e.timezone] : [];
    const r = await roster('--db', db, 'ingest', join(ESTATE, e.file), '--as-of', e.asOf,
      ...zone, '--now', NOW);
    expect(r.code, `${e.file}: ${r.err}`).toBe(0);
  }
}

async function listJson(db: string, ...command: string[]): Promise<unknown[]> {
  const r = await roster('--db', db, ...command, '-o', 'json');
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as unknown[];
}

const ID = /^(run|ast|idn|crd|own|fnd)_\w+$/;

/**
 * Record and run ids depend on which export made a record first, so they differ by order:
 * they are blanked, and lists compared as sorted sets.
 */
function withoutIds(value: unknown): unknown {
  if (typeof value === 'string') return ID.test(value) ? '<id>' : value;
  if (Array.isArray(value)) {
    return value.map(withoutIds).sort((a, b) =>
      JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutIds(v)]));
  }
  return value;
}

async function inventory(db: string) {
  return {
    assets: withoutIds(await listJson(db, 'assets')),
    findings: withoutIds(await listJson(db, 'findings', '--as-of', NOW)),
  };
}

interface Finding { kind: string }

describe('ingesting the example estate in another order', () => {
  it('gives the same assets and findings when the older EC2 export comes last', async () => {
    const inOrder = join(dir, 'manifest.db');
    const shuffled = join(dir, 'tester.db');
    await ingestAll(inOrder, [0, 1, 2, 3, 4, 5]);
    // users, ec2-30, servers, ec2-28, credential report, IAM (tester report 2, item A)
    await ingestAll(shuffled, [0, 3, 1, 2, 5, 4]);
    const expected = await inventory(inOrder);
    const actual = await inventory(shuffled);
    expect(actual.assets).toEqual(expected.assets);
    expect(actual.findings).toEqual(expected.findings);
    const show = await roster('--db', shuffled, 'show', 'canary-07');
    expect(show.out).toMatch(/missing/);
    const kinds = (await listJson(shuffled, 'findings', '--as-of', NOW)) as Finding[];
    const canary = JSON.stringify(kinds.filter((f) => JSON.stringify(f).includes('canary-07')));
    expect(canary).toContain('missing-from-source');
    expect(canary).not.toContain('unknown-asset');
  });
});

describe('an export marked complete that lists no record', () => {
  const servers = join(ESTATE, 'cmdb-servers.csv');
  const zone = ['--timezone', 'Europe/Stockholm'];

  async function withHeaderOnly(db: string, ...extra: string[]) {
    await ingestAll(db, [1]);
    const header = join(dir, 'header-only.csv');
    writeFileSync(header, `${readFileSync(servers, 'utf8').split('\n')[0]!}\n`);
    return roster('--db', db, 'ingest', header, '--as-of', '2026-12-01T07:00:00Z', ...zone,
      '--now', NOW, ...extra);
  }

  it('is treated as partial, with a warning, and marks nothing missing', async () => {
    const db = join(dir, 'r.db');
    const r = await withHeaderOnly(db);
    expect(r.code, r.err).toBe(0);
    expect(r.err + r.out).toContain(
      'lists no records: treated as partial; pass --complete to mark everything in scope missing');
    const runs = (await listJson(db, 'runs')) as { complete: boolean }[];
    expect(runs[0]!.complete).toBe(false);
    const findings = (await listJson(db, 'findings', '--as-of', NOW)) as Finding[];
    expect(findings.filter((f) => f.kind === 'missing-from-source')).toEqual([]);
  });

  it('marks everything in scope missing when --complete is passed', async () => {
    const db = join(dir, 'r.db');
    const r = await withHeaderOnly(db, '--complete');
    expect(r.code, r.err).toBe(0);
    expect(r.err + r.out).not.toContain('lists no records');
    const runs = (await listJson(db, 'runs')) as { complete: boolean }[];
    expect(runs[0]!.complete).toBe(true);
    const findings = (await listJson(db, 'findings', '--as-of', NOW)) as Finding[];
    expect(findings.filter((f) => f.kind === 'missing-from-source').length).toBeGreaterThan(0);
  });
});
