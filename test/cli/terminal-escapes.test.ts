/* eslint-disable no-control-regex -- escape sequences are what these tests look for */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { roster } from '../helpers/cli.js';

let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'roster-escapes-'));
  db = join(dir, 'r.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const RED = 'h\x1b[31mred';
const NUL = 'nul\x00inside';
const BIDI = 'bidi\u202egnp.exe';
const C1 = 'csi\x9b2J';
/** What no human-facing output may carry raw: C0 but tab and line feed, DEL, C1, bidi. */
const RAW = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
const AT = '2026-11-30T07:00:00Z';

/** The example CMDB with four hostile server names. */
async function ingestHostile(): Promise<void> {
  const cmdb = readFileSync('examples/estate/cmdb-servers.csv', 'utf8')
    .replace(',web-prod-01,cmdb_ci', `,${RED},cmdb_ci`)
    .replace(',legacy-ftp-01,cmdb_ci', `,${NUL},cmdb_ci`)
    .replace(',db-prod-01,cmdb_ci', `,${BIDI},cmdb_ci`)
    .replace(',backup-01,cmdb_ci', `,${C1},cmdb_ci`);
  const file = join(dir, 'cmdb.csv');
  writeFileSync(file, cmdb);
  const r = await roster('--db', db, 'ingest', file, '--as-of', AT, '--now', AT, '-q');
  expect(r.code, r.err).toBe(0);
}

/** The CLI's output with colour on, as a terminal gets it. */
async function colored(...args: string[]): Promise<string> {
  const out: string[] = [];
  await main(['node', 'roster', '--db', db, ...args], {
    out: (t) => out.push(t), err: (t) => out.push(t), color: true,
  });
  return out.join('\n');
}

describe('control characters in data', () => {
  it('are written out visibly in tables, show, CSV and messages', async () => {
    await ingestHostile();
    const assets = await roster('--db', db, 'assets');
    for (const shown of ['h\\x1b[31mred', 'nul\\x00inside', 'bidi\\u202egnp.exe', 'csi\\x9b2J']) {
      expect(assets.out).toContain(shown);
    }
    const outputs = [
      assets,
      await roster('--db', db, 'assets', '-o', 'csv'),
      await roster('--db', db, 'findings', '--as-of', AT),
      await roster('--db', db, 'findings', '-o', 'csv', '--as-of', AT),
      await roster('--db', db, 'show', 'h\x1b[31mred'),
      await roster('--db', db, 'show', 'no\x1b]52;c;ZXZpbA==\x07such'),
    ];
    for (const r of outputs) {
      expect(r.out + r.err).not.toMatch(RAW);
    }
    expect(outputs[4]!.out).toContain('asset h\\x1b[31mred');
    expect(outputs[5]!.err).toContain("no record has the key 'no\\x1b]52;c;ZXZpbA==\\x07such'");
  });

  it('keep table columns aligned, measured after escaping', async () => {
    await ingestHostile();
    const lines = (await roster('--db', db, 'assets')).out.split('\n');
    const at = lines[0]!.indexOf('ADMISSION');
    const row = lines.find((l) => l.startsWith('h\\x1b[31mred'))!;
    expect(row.slice(at)).toMatch(/^\w/);
    expect(row[at - 1]).toBe(' ');
  });

  it('stay exact in JSON, with DEL, C1 and bidi controls as \\u escapes', async () => {
    await ingestHostile();
    const r = await roster('--db', db, 'assets', '-o', 'json');
    expect(r.out).not.toMatch(RAW);
    expect(r.out).toContain('"csi\\u009b2J"');
    const names = (JSON.parse(r.out) as { name: string }[]).map((a) => a.name);
    expect(names).toEqual(expect.arrayContaining([RED, NUL, BIDI, C1]));
    const show = await roster('--db', db, 'show', BIDI, '-o', 'json');
    expect((JSON.parse(show.out) as { name: string }[])[0]!.name).toBe(BIDI);
  });

  it('never become escape sequences on a colour terminal; only Roster\'s colours do', async () => {
    await ingestHostile();
    const cases = [
      [await colored('findings', '--as-of', AT), 'nul\\x00inside'],
      [await colored('show', RED), 'h\\x1b[31mred'],
    ] as const;
    for (const [out, shown] of cases) {
      expect(out).toContain('\x1b[1m');
      expect(out).toContain(shown);
      const sequences = out.match(/\x1b[^m]*m?/g) ?? [];
      expect(sequences.filter((s) => !/^\x1b\[(1|2|22|31|32|33|36|39)m$/.test(s))).toEqual([]);
      expect(out.replace(/\x1b\[\d+m/g, '')).not.toMatch(RAW);
    }
  });
});
