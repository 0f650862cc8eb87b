import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roster } from '../helpers/cli.js';

let dir: string;
let db: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'roster-format-'));
  db = join(dir, 'r.db');
  const r = await roster('--db', db, 'ingest', 'examples/estate/cmdb-servers.csv', '-q',
    '--as-of', '2026-11-30T07:00:00Z', '--timezone', 'Europe/Stockholm', '--no-judge');
  expect(r.code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a value --format does not take names --format, the option typed', () => {
  it('show --format csv: show takes table and json only', async () => {
    const r = await roster('--db', db, 'show', 'web-prod-01', '--format', 'csv');
    expect(r.code).toBe(2);
    expect(r.err).toBe("error: option --format must be one of table, json (got 'csv')");
    expect(r.out).toBe('');
  });

  it('show -o csv still names -o, --output', async () => {
    const r = await roster('--db', db, 'show', 'web-prod-01', '-o', 'csv');
    expect(r.code).toBe(2);
    expect(r.err).toBe("error: option -o, --output must be one of table, json (got 'csv')");
  });

  it('a listing names --format and its three values', async () => {
    const r = await roster('--db', db, 'assets', '--format', 'xml');
    expect(r.code).toBe(2);
    expect(r.err).toBe("error: option --format must be one of table, json, csv (got 'xml')");
  });

  it('decide takes text and json, and names --format too', async () => {
    const r = await roster('--db', db, 'decide', join(dir, 'request.json'), '--format', 'csv');
    expect(r.code).toBe(2);
    expect(r.err).toBe("error: option --format must be one of text, json (got 'csv')");
  });

  it('show --format json and table still work', async () => {
    const viaFormat = await roster('--db', db, 'show', 'web-prod-01', '--format', 'json');
    expect(viaFormat.code).toBe(0);
    expect(viaFormat.out).toBe((await roster('--db', db, 'show', 'web-prod-01', '-o', 'json')).out);
    const [record] = JSON.parse(viaFormat.out) as { name: string }[];
    expect(record!.name).toBe('web-prod-01');
  });

  it("--format's help gives the command's own values", async () => {
    const show = await roster('show', '--help');
    expect(show.out).toMatch(/--format <format> +the same as -o, --output: table or json\n/);
    const runs = await roster('runs', '--help');
    expect(runs.out).toMatch(/--format <format> +the same as -o, --output: table, json or csv\n/);
  });
});

describe('views that print table or json refuse csv instead of printing a table', () => {
  it.each([
    [['offboard', 'web-prod-01', '--dry-run']],
    [['evidence', 'web-prod-01']],
  ])('%j --format csv', async (args) => {
    const r = await roster('--db', db, ...args, '--format', 'csv');
    expect(r.code).toBe(2);
    expect(r.err).toBe("error: option --format must be one of table, json (got 'csv')");
    expect(r.out).toBe('');
    const viaOutput = await roster('--db', db, ...args, '-o', 'csv');
    expect(viaOutput.code).toBe(2);
    expect(viaOutput.err).toBe("error: option -o, --output must be one of table, json (got 'csv')");
  });
});
