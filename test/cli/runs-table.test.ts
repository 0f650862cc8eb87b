import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roster } from '../helpers/cli.js';

let dir: string;
let db: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'roster-runs-'));
  db = join(dir, 'r.db');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run { file: string; counts: { rejected: number; warnings: number } }

describe('roster runs', () => {
  it('shows each run\'s rejected rows and warnings in the table, as -o json counts them',
    async () => {
      const header = readFileSync('examples/estate/cmdb-servers.csv', 'utf8').split('\n')[0]!;
      // One record with a quote never closed (refused), two good ones.
      const quote = join(dir, 'quote.csv');
      writeFileSync(quote, 'sys_id,name\n0a1b2c3d4e5f60718293a4b5c6d7e8f1,app-01\n' +
        '0a1b2c3d4e5f60718293a4b5c6d7e8f2,"app-02\n0a1b2c3d4e5f60718293a4b5c6d7e8f3,app-03\n');
      // A header and no record: a warning (treated as partial), nothing refused.
      const empty = join(dir, 'empty.csv');
      writeFileSync(empty, `${header}\n`);
      for (const file of [quote, empty]) {
        await roster('--db', db, 'ingest', file, '-q', '--no-judge',
          '--as-of', '2026-11-30T07:00:00Z');
      }
      const runs = JSON.parse((await roster('--db', db, 'runs', '-o', 'json')).out) as Run[];
      const counts = (file: string) => runs.find((r) => r.file === file)!.counts;
      expect(counts(quote)).toMatchObject({ rejected: 1, warnings: 0 });
      expect(counts(empty)).toMatchObject({ rejected: 0, warnings: 1 });

      const r = await roster('--db', db, 'runs');
      expect(r.code).toBe(0);
      const [head, ...rows] = r.out.split('\n');
      const columns = head!.split(/ {2,}/);
      expect(columns).toEqual(['RUN', 'FORMAT', 'AS OF', 'STATUS', 'COMPLETE', 'REJECTED',
        'WARNINGS', 'SCOPES', 'FILE']);
      const cells = (file: string) => rows.find((l) => l.endsWith(file))!.split(/ {2,}/);
      expect(cells(quote).slice(4, 7)).toEqual(['false', '1', '0']);
      expect(cells(empty).slice(4, 7)).toEqual(['false', '0', '1']);

      const csv = (await roster('--db', db, 'runs', '-o', 'csv')).out.split('\n');
      expect(csv[0]).toBe('RUN,FORMAT,AS OF,STATUS,COMPLETE,REJECTED,WARNINGS,SCOPES,FILE');
    });
});
