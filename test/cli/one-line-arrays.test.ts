import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roster } from '../helpers/cli.js';

/**
 * A JSON array on one line (`gcloud asset list --format=json | jq -c .`, gcloud's empty `[]`)
 * is a list of records, as it is pretty-printed: never one record of a line.
 */
let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'roster-one-line-'));
  db = join(dir, 'r.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const account = (id: string) => ({
  name: `//iam.googleapis.com/projects/p9/serviceAccounts/${id}`,
  assetType: 'iam.googleapis.com/ServiceAccount',
  resource: { data: { email: `svc-${id}@p9.iam.gserviceaccount.com`, uniqueId: id } },
  updateTime: '2025-03-01T00:00:00Z',
});

async function ingest(name: string, text: string, ...args: string[]) {
  const file = join(dir, name);
  writeFileSync(file, text);
  const r = await roster('--db', db, 'ingest', file, '--no-judge',
    '--as-of', '2026-12-01T00:00:00Z', '--now', '2026-12-01T00:05:00Z', ...args);
  return { file, r };
}

describe('a JSON array on one line', () => {
  it('is read by gcp-asset-inventory as its assets, a bad one named by item', async () => {
    const list = [account('41'), account('42'), { assetType: 'iam.googleapis.com/ServiceAccount' }];
    const { file, r } = await ingest('accounts.json', `${JSON.stringify(list)}\n`);
    expect(r.out).toMatch(/gcp-asset-inventory\s+2\s+0\s+0\s+0\s+1\s/);
    expect(r.err).toContain(`rejected: ${file}:item 3 field name: asset without name`);
    expect(r.err).not.toMatch(/:line 1/);
  });

  it('[] is an empty gcp run (EMPTY_RUN), not a rejected asset', async () => {
    const { file, r } = await ingest('empty.json', '[]\n', '--format', 'gcp-asset-inventory');
    expect(r.code).toBe(0);
    expect(r.err).toContain(`warning: ${file} lists no records`);
    expect(r.err).toContain('[EMPTY_RUN]');
    expect(r.err).not.toContain('rejected');
  });

  it('is read by osquery as its results', async () => {
    const result = (host: string, t: number) => ({
      name: 'system_info', hostIdentifier: host, unixTime: t, action: 'snapshot',
      snapshot: [{ hardware_serial: `SN-${host}`, hostname: host, cpu_brand: 'x' }],
    });
    const list = [result('ws-1', 1764547200), result('ws-2', 1764547260)];
    const { r } = await ingest('results.json', JSON.stringify(list), '--format', 'osquery');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/osquery\s+2\s+0\s+0\s+0\s+0\s/);
  });
});
