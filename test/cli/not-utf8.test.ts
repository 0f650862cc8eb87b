import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roster } from '../helpers/cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'roster-utf8-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function ingest(name: string, bytes: Buffer) {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  const db = join(dir, 'r.db');
  const r = await roster('--db', db, 'ingest', file, '--as-of', '2026-11-30T07:00:00Z',
    '--no-judge');
  const assets = JSON.parse((await roster('--db', db, 'assets', '-o', 'json')).out) as unknown[];
  return { ...r, file, count: assets.length };
}

const id = (n: number) => n.toString(16).padStart(32, '0');

describe('a file that is not UTF-8 is refused whole, with where and how to convert it', () => {
  it('a Latin-1 CMDB CSV, its bad byte far past the head', async () => {
    const rows = Array.from({ length: 3000 },
      (_, i) => `${id(i + 1)},app-${i},cmdb_ci_linux_server`);
    rows.push(`${id(9999)},caf\xe9-01,cmdb_ci_linux_server`);
    const text = ['sys_id,name,sys_class_name', ...rows, ''].join('\n');
    expect(text.length).toBeGreaterThan(128 * 1024);
    const r = await ingest('latin1.csv', Buffer.from(text, 'latin1'));
    expect(r.code).toBe(1);
    expect(r.count).toBe(0);
    const offset = Buffer.from(text, 'latin1').indexOf(0xe9);
    expect(r.err).toContain(`error: ${r.file}: the file is not UTF-8: line 3002 (byte offset ` +
      `${offset}) holds the byte 0xE9, as Latin-1 or Windows-1252 text would; Roster reads ` +
      `UTF-8: convert it first, e.g. iconv -f LATIN1 -t UTF-8 '${r.file}' > ` +
      `'${join(dir, 'utf8-latin1.csv')}'; nothing of the file was stored`);
    expect(r.out).toContain('failed, nothing stored');
  });

  it('a JSON export', async () => {
    const page = readFileSync('test/fixtures/netbox/devices-page.json', 'latin1')
      .replace('"fra1-db-03"', '"fr\xe41-db-03"');
    const r = await ingest('devices.json', Buffer.from(page, 'latin1'));
    expect(r.code).toBe(1);
    expect(r.count).toBe(0);
    expect(r.err).toMatch(/devices\.json: the file is not UTF-8: line \d+ \(byte offset \d+\) /);
  });

  it('reads UTF-8 with its accents as written', async () => {
    const text = `sys_id,name,sys_class_name\n${id(1)},café-01,cmdb_ci_linux_server\n`;
    const r = await ingest('utf8.csv', Buffer.from(text));
    expect(r.code).toBe(0);
    expect(r.count).toBe(1);
  });
});
