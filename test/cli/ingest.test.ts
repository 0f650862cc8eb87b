import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roster } from '../helpers/cli.js';
import { REPORT_HEADER, reportRow } from '../helpers/credential-report.js';

let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'roster-ingest-'));
  db = join(dir, 'r.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const CMDB_USERS = 'examples/estate/cmdb-users.json';
const GLPI = 'examples/mapped/glpi-computers.csv';

/** A listing command's JSON output. */
async function listJson<T>(command: string): Promise<T[]> {
  return JSON.parse((await roster('--db', db, command, '-o', 'json')).out) as T[];
}

describe('roster ingest', () => {
  it('reports a bad row with file, line and field, lands the good rows and exits 1', async () => {
    const file = join(dir, 'report.csv');
    const bad = reportRow('bob', 'last-tuesday');
    const good = reportRow('alice', '2024-02-01T00:00:00+00:00');
    writeFileSync(file, [REPORT_HEADER, bad, good].join('\n'));
    const at = '2026-12-01T00:00:00Z';
    const r = await roster('--db', db, 'ingest', file, '--as-of', at, '--now', at);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`rejected: ${file}:line 2 field access_key_1_last_rotated:`);
    const ids = await listJson<{ name: string }>('identities');
    expect(ids.map((i) => i.name)).toEqual(['alice']);
    const runs = await listJson<{ asOf: string; asOfOrigin: string; complete: boolean }>('runs');
    expect(runs[0])
      .toMatchObject({ asOf: '2026-12-01T00:00:00.000Z', asOfOrigin: 'flag', complete: false });
  });

  it('stores nothing of a file it cannot recognise and says how to force a format', async () => {
    const file = join(dir, 'mystery.json');
    writeFileSync(file, '{"hello": "world"}');
    const r = await roster('--db', db, 'ingest', file);
    expect(r.code).toBe(1);
    expect(r.err).toContain('not a format Roster recognises; pass --format');
    expect(await listJson('runs')).toEqual([]);
  });

  it('refuses a malformed --as-of before reading anything', async () => {
    const r = await roster('--db', db, 'ingest', CMDB_USERS, '--as-of', '03/04/2026');
    expect(r.code).toBe(2);
    expect(r.err).toContain("ambiguous day/month date '03/04/2026'");
  });

  it('uses --db and ROSTER_DB, never the default file, when told', async () => {
    process.env['ROSTER_DB'] = join(dir, 'env.db');
    try {
      const r = await roster('ingest', CMDB_USERS, '--as-of', '2026-11-30T07:00:00Z');
      expect(r.code).toBe(0);
      const owners = await roster('owners', '-o', 'json');
      expect((JSON.parse(owners.out) as unknown[]).length).toBe(3);
    } finally {
      delete process.env['ROSTER_DB'];
    }
  });
});

describe('roster ingest with a mapping', () => {
  it('reads a GLPI export through its mapping, under the mapping\'s source name', async () => {
    const r = await roster('--db', db, 'ingest', GLPI,
      '--mapping', 'examples/mappings/glpi-computers.yaml', '--as-of', '2026-11-30T00:00:00Z');
    expect(r.code).toBe(0);
    const assets = await listJson<{
      name: string; admission: string; lastSeen: Record<string, string>;
    }>('assets');
    const retired = assets.find((a) => a.name === 'PC-PAR-0102')!;
    expect(retired.admission).toBe('retired');
    expect(Object.keys(retired.lastSeen)).toEqual(['glpi']);
  });

  it('names the mapping file and field of a bad mapping', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'kind: gadget\nid: x\nkeys: []\n');
    const r = await roster('--db', db, 'ingest', GLPI, '--mapping', bad);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${bad}: invalid mapping: kind:`);
    expect(r.err).toContain('keys: needs at least one key');
  });
});

describe('the as-of of a run without records', () => {
  const mtime = new Date('2026-11-01T00:00:00Z');
  const runsOf = () => listJson<{ asOf: string; asOfOrigin: string }>('runs');

  it('is the mtime of a file whose every row is bad, labelled mtime', async () => {
    const file = join(dir, 'bad-only.csv');
    writeFileSync(file, [REPORT_HEADER, reportRow('bob', 'last-tuesday')].join('\n'));
    utimesSync(file, mtime, mtime);
    const r = await roster('--db', db, 'ingest', file, '--no-judge');
    expect(r.code).toBe(1);
    expect(r.out).toContain('as of 2026-11-01T00:00:00.000Z (mtime)');
    expect((await runsOf())[0]).toMatchObject({
      asOf: '2026-11-01T00:00:00.000Z', asOfOrigin: 'mtime',
    });
  });

  it('is the mtime of an empty SPIRE agent list; --as-of still wins, labelled flag', async () => {
    const file = join(dir, 'agents.json');
    writeFileSync(file, '{"agents":[]}\n');
    utimesSync(file, mtime, mtime);
    const r = await roster('--db', db, 'ingest', file, '--no-judge');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/spire-agents .* as of 2026-11-01T00:00:00.000Z \(mtime\)/);
    const flagged = await roster('--db', db, 'ingest', file, '--no-judge',
      '--as-of', '2026-10-01T00:00:00Z');
    expect(flagged.out).toContain('as of 2026-10-01T00:00:00.000Z (flag)');
  });
});

describe('roster ingest: the run\'s as-of never lies in the future', () => {
  it('refuses --as-of later than --now, naming the file, the as-of and the clock', async () => {
    const file = join(dir, 'report.csv');
    writeFileSync(file, [REPORT_HEADER, reportRow('alice', '2024-02-01T00:00:00+00:00')]
      .join('\n'));
    const r = await roster('--db', db, 'ingest', file, '--as-of', '2062-11-30T07:00:00Z',
      '--now', '2026-12-01T00:00:00Z');
    expect(r.code).toBe(1);
    expect(r.out).toContain('failed, nothing stored');
    expect(r.err).toContain(`error: ${file}: as of 2062-11-30T07:00:00.000Z (given as --as-of ` +
      'or the API\'s asOf) is later than the clock 2026-12-01T00:00:00.000Z by more than 15 ' +
      'minutes');
    expect(r.err).toContain('(check --as-of or asOf, and --now)');
    expect(await listJson('identities')).toEqual([]);
  });

  it('says that --as-of 0001-01-01 reads as no time, and refuses the year 0026', async () => {
    const none = await roster('--db', db, 'ingest', CMDB_USERS, '--as-of', '0001-01-01T00:00:00Z');
    expect(none.code).toBe(2);
    expect(none.err).toContain('--as-of: \'0001-01-01T00:00:00Z\' reads as "no time"');
    const typo = await roster('--db', db, 'ingest', CMDB_USERS, '--as-of', '0026-12-01T12:00:00Z');
    expect(typo.err).toContain('--as-of: \'0026-12-01T12:00:00Z\' is before 1970');
  });
});
