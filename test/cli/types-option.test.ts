import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { roster } from '../helpers/cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const dir = useTempDir('roster-types-');
const db = () => join(dir(), 'r.db');
const AT = '2026-12-01T00:00:00Z';
const vm = JSON.stringify({
  name: '//compute.googleapis.com/projects/p1/zones/z/instances/vm-1',
  asset_type: 'compute.googleapis.com/Instance',
  resource: { data: { name: 'vm-1', status: 'RUNNING' } },
});
const bucket = JSON.stringify({
  name: '//storage.googleapis.com/p1-logs',
  asset_type: 'storage.googleapis.com/Bucket',
  resource: { parent: '//cloudresourcemanager.googleapis.com/projects/p1', data: {} },
});

function write(name: string, text: string): string {
  const file = join(dir(), name);
  writeFileSync(file, text);
  return file;
}

const ingest = (file: string, ...flags: string[]) =>
  roster('--db', db(), 'ingest', file, '--as-of', AT, '--now', AT, '--no-judge', ...flags);

describe('ingest --types', () => {
  it('refuses an empty list before reading anything (usage, exit 2)', async () => {
    const r = await ingest(write('a.jsonl', `${vm}\n`), '--types', ' , ');
    expect(r.code).toBe(2);
    expect(r.err).toContain('option --types: no type given');
  });

  it('fails the file whose format cannot read a type given, naming file and option', async () => {
    const file = write('a.jsonl', `${vm}\n`);
    const r = await ingest(file, '--types', '.*Instance');
    expect(r.code).toBe(1);
    expect(r.out).toContain('failed, nothing stored');
    expect(r.err).toContain(`${file}: types: '.*Instance' is not a Cloud Asset Inventory`);
  });

  it('refuses a type the format named cannot read, before reading (usage, exit 2)', async () => {
    const r = await ingest(write('a.jsonl', `${vm}\n`), '--format', 'gcp-asset-inventory',
      '--types', 'compute.*');
    expect(r.code).toBe(2);
    expect(r.err).toContain("option --types: 'compute.*' is not a Cloud Asset Inventory");
    expect(r.out).toBe('');
  });

  it('warns of a row whose type was not given, by file, line and field', async () => {
    const file = write('a.jsonl', `${vm}\n${bucket}\n`);
    const r = await ingest(file, '--types', 'compute.googleapis.com.*');
    expect(r.code).toBe(0);
    expect(r.err).toContain(`${file}:line 2 field asset_type: asset type ` +
      'storage.googleapis.com/Bucket is not among the types given (compute.googleapis.com/*)');
    const runs = JSON.parse((await roster('--db', db(), 'runs', '-o', 'json')).out) as
      { scopes: string[] }[];
    // The instance listing goes without saying inside the family of compute types.
    expect(runs[0]!.scopes).toEqual([
      'gcp:p1/compute.googleapis.com/*',
      'gcp:p1/storage.googleapis.com/Bucket',
    ]);
  });

  it('says so when the format does not read types', async () => {
    const file = write('servers.csv', 'sys_id,name,sys_class_name\nabc123,web-01,cmdb_ci_server\n');
    const r = await ingest(file, '--types', 'pods');
    expect(r.err).toContain(`${file} field types: format servicenow-cmdb does not read types`);
  });
});

describe('ingest --scope', () => {
  it('refuses a scope naming a family before reading anything (usage, exit 2)', async () => {
    const r = await ingest(write('a.jsonl', `${vm}\n`), '--scope', 'acme/*', '--complete');
    expect(r.code).toBe(2);
    expect(r.err).toContain("option --scope: scope 'acme/*' ends in /*, which names a family");
    expect(r.out).toBe('');
    const zone = await ingest(write('c.jsonl', `${vm}\n`), '--timezone', 'Mars/Olympus');
    expect(zone.code).toBe(2);
    expect(zone.err).toContain("option --timezone: unknown time zone 'Mars/Olympus'");
    for (const scope of ['x/* ', '/*']) {
      const again = await ingest(write('b.jsonl', `${vm}\n`), '--scope', scope, '--complete');
      expect(again.code).toBe(2);
      expect(again.err).toContain('option --scope: scope ');
    }
  });
});

