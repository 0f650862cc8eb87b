import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roster } from '../helpers/cli.js';

let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'roster-snow-scope-'));
  db = join(dir, 'r.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const EXAMPLE = 'examples/estate/cmdb-servers.csv';
// Parsed, not split by line: report-gen-02's description spans two lines.
const [HEADER, ...ROWS] = parse(readFileSync(EXAMPLE, 'utf8')) as string[][];
const NAME = HEADER!.indexOf('name');
const CLASS = HEADER!.indexOf('sys_class_name');

interface Finding { readonly kind: string; readonly subject: { name: string }; message: string }
interface Run {
  readonly format: string;
  readonly scopes: string[];
  readonly counts: { missing: number };
}

/** The CMDB's runs, newest first (a retirement run of Roster's own may sit between). */
const cmdbRuns = async () =>
  (await listJson<Run>('runs')).filter((r) => r.format === 'servicenow-cmdb');

async function ingest(file: string, asOf: string) {
  const r = await roster('--db', db, 'ingest', file, '--as-of', asOf, '--now', asOf, '--complete');
  expect(r.err).not.toContain('rejected');
  expect(r.code).toBe(0);
}

async function listJson<T>(command: string): Promise<T[]> {
  return JSON.parse((await roster('--db', db, command, '-o', 'json')).out) as T[];
}

function write(name: string, rows: readonly string[][]): string {
  const file = join(dir, name);
  writeFileSync(file, stringify([HEADER!, ...rows]));
  return file;
}

const missing = async () =>
  (await listJson<Finding>('findings')).filter((f) => f.kind === 'missing-from-source');

describe('ServiceNow run scopes and missing-marking', () => {
  it('a mixed export is scoped to cmdb_ci; what it drops is missing from cmdb_ci', async () => {
    await ingest(EXAMPLE, '2026-11-30T07:00:00Z');
    expect((await cmdbRuns())[0]!.scopes).toEqual(['servicenow:default/cmdb_ci']);
    const without = write('servers.csv', ROWS.filter((r) => r[NAME] !== 'legacy-ftp-01'));
    await ingest(without, '2026-12-01T07:00:00Z');
    const found = await missing();
    const gone =
      'legacy-ftp-01 is no longer listed by servicenow-cmdb in servicenow:default/cmdb_ci ';
    expect(found.map((f) => f.message.slice(0, gone.length))).toEqual([gone]);
  });

  it('a single-class export marks nothing of another table missing', async () => {
    await ingest(EXAMPLE, '2026-11-30T07:00:00Z');
    const linux = ROWS.filter((r) => r[CLASS] === 'cmdb_ci_linux_server');
    const file = write('linux.csv', linux.slice(1));
    await ingest(file, '2026-12-01T07:00:00Z');
    const runs = await cmdbRuns();
    expect(runs[0]).toMatchObject({
      scopes: ['servicenow:default/cmdb_ci_linux_server'], counts: { missing: 0 },
    });
    // legacy-ftp-01 (a cmdb_ci_server) and web-prod-01 (left out here) are still listed in
    // cmdb_ci by the mixed export: neither is missing from a table it was never read from.
    expect(await missing()).toEqual([]);
  });
});
