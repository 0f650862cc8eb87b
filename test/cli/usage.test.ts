import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { table } from '../../src/cli/output.js';
import { roster } from '../helpers/cli.js';

let dir: string;
let db: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'roster-usage-'));
  db = join(dir, 'r.db');
  const r = await roster('--db', db, 'ingest', 'examples/estate/cmdb-users.json', '-q');
  expect(r.code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('usage errors exit 2 and name the option', () => {
  it.each([['abc'], ['-1'], ['0'], ['2.5']])('identities --limit %s', async (limit) => {
    const r = await roster('--db', db, 'identities', '--limit', limit);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `error: option --limit must be a whole number of at least 1 (got '${limit}')`);
    expect(r.out).toBe('');
  });

  it('a valid --limit still cuts the list', async () => {
    const all = JSON.parse((await roster('--db', db, 'owners', '-o', 'json')).out) as unknown[];
    expect(all.length).toBeGreaterThan(2);
    const two = await roster('--db', db, 'owners', '--limit', '2', '-o', 'json');
    expect(two.code).toBe(0);
    expect(JSON.parse(two.out)).toHaveLength(2);
  });

  it.each([
    ['--kind', 'nope', 'unknown-asset, unowned-asset'],
    ['--severity', 'severe', 'info, low, medium, high, critical'],
  ])('findings %s %s names the known values', async (option, value, known) => {
    const r = await roster('--db', db, 'findings', option, value);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^error: option ${option} must be one of ${known}`));
    expect(r.err).toContain(`(got '${value}')`);
    expect(r.out).toBe('');
  });

  it('findings --kind with a known kind lists only that kind', async () => {
    type Row = { kind: string; id: string };
    const servers = join(dir, 'servers.db');
    const at = '2026-12-01T00:00:00Z';
    await roster('--db', servers, 'ingest', 'examples/estate/cmdb-servers.csv', '-q',
      '--as-of', at, '--now', at);
    const all = JSON.parse((await roster('--db', servers, 'findings', '-o', 'json')).out) as Row[];
    expect(new Set(all.map((f) => f.kind)).size).toBeGreaterThan(1);
    const kind = all[0]!.kind;
    const r = await roster('--db', servers, 'findings', '--kind', kind, '-o', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(all.filter((f) => f.kind === kind));
  });

  it('runs --limit abc', async () => {
    const r = await roster('--db', db, 'runs', '--limit', 'abc');
    expect(r.code).toBe(2);
    expect(r.err).toContain('option --limit');
  });

  it('-o xml lists the choices', async () => {
    const r = await roster('--db', db, 'assets', '-o', 'xml');
    expect(r.code).toBe(2);
    expect(r.err).toBe("error: option -o, --output must be one of table, json, csv (got 'xml')");
    const show = await roster('--db', db, 'show', 'anything', '-o', 'csv');
    expect(show.code).toBe(2);
    expect(show.err).toContain('must be one of table, json ');
  });

  it('ingest --format nope lists the known formats and reads nothing', async () => {
    const fresh = join(dir, 'fresh.db');
    const r = await roster('--db', fresh, 'ingest', 'examples/estate/cmdb-users.json',
      '--format', 'nope');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: option --format: unknown format 'nope'; known formats: .*k8s/);
    expect(r.out).toBe('');
    // Refused before the database was even opened.
    expect(existsSync(fresh)).toBe(false);
  });
});

describe('long cells in tables', () => {
  it('ingest keeps the end of a long path, which tells two files apart', async () => {
    const deep = join(dir, 'a-rather-long-folder-name-for-exports', 'from-the-corpus-of-samples');
    mkdirSync(deep, { recursive: true });
    const header = 'user,arn,user_creation_time,password_enabled,password_last_used';
    for (const name of ['credential-report-first.csv', 'credential-report-second.csv']) {
      writeFileSync(join(deep, name), `${header}\n`);
    }
    const r = await roster('--db', join(dir, 'paths.db'), 'ingest', deep, '-q', '--no-judge');
    const lines = r.out.split('\n').slice(1, 3);
    expect(lines[0]).toMatch(/\.\.\..*credential-report-first\.csv /);
    expect(lines[1]).toMatch(/\.\.\..*credential-report-second\.csv /);
  });

  it('sources never cuts an example command: it wraps', async () => {
    const r = await roster('sources');
    const json = JSON.parse((await roster('sources', '-o', 'json')).out) as { example: string }[];
    const longest = json.map((f) => f.example).sort((a, b) => b.length - a.length)[0]!;
    expect(longest.length).toBeGreaterThan(90);
    expect(r.out).not.toContain('...');
    const start = r.out.split('\n')[0]!.indexOf('EXAMPLE');
    const column = r.out.split('\n').map((l) => l.slice(start).trim()).join(' ');
    expect(column.replace(/\s+/g, '')).toContain(longest.replace(/\s+/g, ''));
  });

  it('table: a middle cut keeps both ends, a wrap keeps every character', () => {
    const path = '/exports/aws/eu-west-1/2026-12-01/credential-report.csv';
    const middle = table([path], [{ header: 'FILE', value: (s) => s, width: 30,
      overflow: 'middle' }], false);
    expect(middle.split('\n')).toEqual(['FILE', '/exports/a...ential-report.csv']);
    const wrapped = table(['roster ingest prod.json --scope k8s:prod'], [{ header: 'EXAMPLE',
      value: (s) => s, width: 16, overflow: 'wrap' }], false);
    expect(wrapped.split('\n')).toEqual(
      ['EXAMPLE', 'roster ingest', 'prod.json', '--scope k8s:prod']);
  });
});

describe('--format says what -o says on listings and views', () => {
  it.each([['owners'], ['identities'], ['findings']])('%s --format json', async (command) => {
    const viaOutput = await roster('--db', db, command, '-o', 'json');
    const viaFormat = await roster('--db', db, command, '--format', 'json');
    expect(viaFormat.code).toBe(0);
    expect(viaFormat.out).toBe(viaOutput.out);
    expect(JSON.parse(viaFormat.out)).toBeInstanceOf(Array);
  });

  it('owners --format csv prints CSV', async () => {
    const r = await roster('--db', db, 'owners', '--format', 'csv');
    expect(r.code).toBe(0);
    expect(r.out).toBe((await roster('--db', db, 'owners', '-o', 'csv')).out);
    expect(r.out.split('\n')[0]).toMatch(/^[A-Z_,]+$/);
  });

  it('--format and -o that disagree are a usage error', async () => {
    const r = await roster('--db', db, 'owners', '--format', 'json', '-o', 'csv');
    expect(r.code).toBe(2);
    expect(r.err).toBe('error: --format json and --output csv disagree; give one of them');
  });

  it('ingest keeps --format for the export format', async () => {
    const r = await roster('--db', db, 'ingest', 'examples/estate/cmdb-users.json', '-q',
      '--format', 'table');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/table/);
  });
});
