import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roster } from '../helpers/cli.js';

let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'roster-partial-'));
  db = join(dir, 'r.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Finding { readonly kind: string; readonly subject: string }
interface Run { readonly complete: boolean; readonly counts: { rejected: number; missing: number } }

async function ingest(file: string, asOf: string, ...flags: string[]) {
  return roster('--db', db, 'ingest', file, '--as-of', asOf, '--now', asOf, ...flags);
}

async function listJson<T>(command: string): Promise<T[]> {
  return JSON.parse((await roster('--db', db, command, '-o', 'json')).out) as T[];
}

/** DESIGN.md rule 3: a refused row still exists in its source, so nothing may be marked gone. */
describe('a run with a refused row is partial and marks nothing missing', () => {
  it('CMDB values over the length limit, even with --complete', async () => {
    const cmdb = readFileSync('examples/estate/cmdb-servers.csv', 'utf8');
    expect((await ingest('examples/estate/cmdb-servers.csv', '2026-11-30T07:00:00Z')).code)
      .toBe(0);
    const huge = cmdb
      .replace(',db-prod-01,cmdb_ci', `,${'d'.repeat(1_000_000)},cmdb_ci`)
      .replace('Nightly backups to S3', 'b'.repeat(3_000_000));
    expect(huge.length).toBeGreaterThan(4_000_000);
    const file = join(dir, 'cmdb-huge.csv');
    writeFileSync(file, huge);
    const r = await ingest(file, '2026-12-01T07:00:00Z', '--complete');
    expect(r.code).toBe(1);
    expect(r.out).toContain('partial: 2 rows refused');
    expect(r.err).toContain('name is 1000000 characters long');
    const runs = await listJson<Run>('runs');
    expect(runs[0]).toMatchObject({ complete: false, counts: { rejected: 2, missing: 0 } });
    const findings = await listJson<Finding>('findings');
    expect(findings.filter((f) => f.kind === 'missing-from-source')).toEqual([]);
  });

  it('a GCP asset line cut short', async () => {
    const lines = readFileSync('test/fixtures/gcp/assets.jsonl', 'utf8').split('\n');
    // Lines 7, 12 and 13 are bad on purpose; without them the export reads cleanly.
    const clean = lines.filter((_, i) => ![6, 11, 12].includes(i));
    const first = join(dir, 'gcp.jsonl');
    writeFileSync(first, clean.join('\n'));
    const ok = await ingest(first, '2026-11-30T07:00:00Z');
    expect(ok.out).toMatch(/, complete/);
    const cut = [...clean];
    cut[1] = cut[1]!.slice(0, 60);
    const second = join(dir, 'gcp-cut.jsonl');
    writeFileSync(second, cut.join('\n'));
    const r = await ingest(second, '2026-12-01T07:00:00Z');
    expect(r.err).toContain(`rejected: ${second}:line 2`);
    expect(r.out).toContain('partial: 1 row refused');
    const runs = await listJson<Run>('runs');
    expect(runs[0]).toMatchObject({ complete: false, counts: { rejected: 1, missing: 0 } });
    const findings = await listJson<Finding>('findings');
    expect(findings.filter((f) => f.kind === 'missing-from-source')).toEqual([]);
  });
});
