import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roster } from '../helpers/cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'roster-long-keys-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function ingest(name: string, text: string, ...flags: string[]) {
  const file = join(dir, name);
  writeFileSync(file, text);
  const db = join(dir, `${name}.db`);
  const r = await roster('--db', db, 'ingest', file, '--as-of', '2026-11-30T07:00:00Z',
    '--no-judge', ...flags);
  const assets = JSON.parse((await roster('--db', db, 'assets', '-o', 'json')).out) as unknown[];
  return { ...r, count: assets.length };
}

/** A key value of one repeated character past the 1,024 limit, whatever the format. */
const RUN = 'n'.repeat(2000);

describe('a key longer than the limit refuses its row, a run of one character too', () => {
  it('ServiceNow CSV name', async () => {
    const id = (n: number) => n.toString(16).padStart(32, '0');
    const r = await ingest('cmdb.csv', `sys_id,name,sys_class_name\n${id(1)},app-01,` +
      `cmdb_ci_linux_server\n${id(2)},${RUN},cmdb_ci_linux_server\n`);
    expect(r.code).toBe(1);
    expect(r.count).toBe(1);
    expect(r.err).toContain(':line 3 field key name: key name is 2000 characters long, more ' +
      'than the limit of 1024 [VALUE_TOO_LONG]');
  });

  it('mapped CSV key column', async () => {
    const mapping = join(dir, 'mapping.yaml');
    writeFileSync(mapping, 'source: inv\nid: id\nkind: asset\nkeys:\n' +
      '  - { column: serial, type: serial-number }\n');
    const r = await ingest('inv.csv', `id,serial\na1,SN1\na2,${RUN}\n`, '--mapping', mapping);
    expect(r.code).toBe(1);
    expect(r.count).toBe(1);
    expect(r.err).toContain(':line 3 field key serial-number: key serial-number is 2000 ' +
      'characters long');
  });

  it('NetBox JSON serial', async () => {
    const page = readFileSync('test/fixtures/netbox/devices-page.json', 'utf8')
      .replace('"serial": "HX7QK93"', `"serial": "${'0'.repeat(2000)}"`);
    const r = await ingest('devices.json', page);
    expect(r.code).toBe(1);
    expect(r.err).toContain('key serial-number is 2000 characters long');
  });
});
