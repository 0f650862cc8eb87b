import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roster } from '../helpers/cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'roster-quotes-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const id = (n: number) => n.toString(16).padStart(32, '0');

/** A ServiceNow CSV of the given names, sys_ids 1, 2, ...; ingested; what landed and said. */
async function ingestNames(names: readonly string[], mappedCsv = false) {
  const rows = names.map((n, i) => `${id(i + 1)},${n},cmdb_ci_linux_server`);
  const file = join(dir, 'cmdb.csv');
  writeFileSync(file, ['sys_id,name,sys_class_name', ...rows, ''].join('\n'));
  const db = join(dir, 'r.db');
  const mapping = join(dir, 'mapping.yaml');
  writeFileSync(mapping, 'source: cmdb\nid: sys_id\nkind: asset\nkeys:\n' +
    '  - { column: sys_id, type: cmdb-sys-id }\nattributes:\n  name: name\n');
  const extra = mappedCsv ? ['--mapping', mapping] : [];
  const r = await roster('--db', db, 'ingest', file, '--as-of', '2026-11-30T07:00:00Z',
    '--no-judge', ...extra);
  const assets = JSON.parse((await roster('--db', db, 'assets', '-o', 'json')).out) as
    { name?: string; attributes?: { name?: { value?: string } } }[];
  const runs = JSON.parse((await roster('--db', db, 'runs', '-o', 'json')).out) as
    { counts: { rejected: number } }[];
  return { ...r, count: assets.length, rejected: runs[0]!.counts.rejected };
}

describe('a quote out of place in a CSV cell', () => {
  it.each([['app-05""'], ['ap"p-05"']])('%s leaves out its line only; the rows after land',
    async (cell) => {
    const r = await ingestNames(['app-01', cell, 'app-06', 'app-07']);
    expect(r.code).toBe(1);
    expect(r.count).toBe(3);
    expect(r.rejected).toBe(1);
    expect(r.out).toContain('partial: 1 row refused');
    expect(r.err).toContain(':line 3 a quote out of place');
    expect(r.err).toContain('the record was left out, reading went on at line 4 [BAD_CSV]');
  });

  it('counts every line a badly quoted record took as a refused row', async () => {
    for (const mapped of [false, true]) {
      // Line 3's quote balances on line 5: lines 3 to 5 are left out, line 4 a row among them.
      const r = await ingestNames(['app-01', 'ap"p-02', 'app-03', 'ap"p-04', 'app-05'], mapped);
      expect(r.count).toBe(2);
      expect(r.rejected).toBe(3);
      expect(r.out).toContain('partial: 3 rows refused');
      expect(r.err).toContain('lines 3 to 5 (3 lines, each counted as a refused row) were left ' +
        'out, reading went on at line 6');
      rmSync(join(dir, 'r.db'));
    }
  });
});
