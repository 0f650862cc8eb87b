import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileBaseName } from '../../src/server/present.js';
import { roster } from '../helpers/cli.js';
import { startHarness, type Harness } from './harness.js';

interface RunOut { id: string; file: string; format: string }

/** The exports' runs, without the one Roster makes to hold report-gen-02 retired. */
const exported = (runs: RunOut[]) => runs.filter((r) => r.format !== 'roster-retirement');

const ESTATE = join(process.cwd(), 'examples', 'estate');
const ESTATE_FILES = [
  'aws-credential-report.csv',
  'aws-ec2-instances-2026-11-28.json',
  'aws-ec2-instances-2026-11-30.json',
  'aws-iam-authorization-details.json',
  'cmdb-servers.csv',
  'cmdb-users.json',
];

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('runs in the API name the file, never where it lies on the server', () => {
  it('lists the base names of the files the demo read from the estate folder', async () => {
    const page = await h.getJson<{ items: RunOut[] }>('/api/v1/runs?limit=100');
    expect(exported(page.items).map((r) => r.file).sort()).toEqual(ESTATE_FILES);
    const one = await h.getJson<RunOut>(`/api/v1/runs/${page.items[0]!.id}`);
    expect(ESTATE_FILES).toContain(one.file);
  });

  it('leaks the estate folder in no read response', async () => {
    const runs = await h.getJson<{ items: RunOut[] }>('/api/v1/runs?limit=100');
    const urls = ['/api/v1/runs?limit=100', ...runs.items.map((r) => `/api/v1/runs/${r.id}`),
      '/api/v1/records?limit=100', '/api/v1/findings?limit=100', '/api/v1/summary',
      '/api/v1/assets/report-gen-02', '/api/v1/events?limit=100'];
    for (const url of urls) {
      const r = await h.rs.server.inject({ url, headers: h.auth('read') });
      expect(r.statusCode, url).toBe(200);
      expect(r.body, url).not.toContain(ESTATE);
    }
  });

  it('keeps an upload name that looks like a path to its last part', async () => {
    const name = encodeURIComponent('../../srv/x/creds.csv');
    const r = await h.rs.server.inject({
      method: 'POST', url: `/api/v1/ingest?filename=${name}&asOf=2026-12-01T06:00:00Z`,
      headers: { ...h.auth('ingest'), 'content-type': 'text/csv' },
      payload: readFileSync(join(ESTATE, 'aws-credential-report.csv')),
    });
    expect(r.statusCode, r.body).toBe(201);
    const run = (r.json() as { files: { run: { id: string } }[] }).files[0]!.run;
    expect((await h.getJson<RunOut>(`/api/v1/runs/${run.id}`)).file).toBe('creds.csv');
    expect(fileBaseName('C:\\exports\\cmdb-servers.csv')).toBe('cmdb-servers.csv');
    expect(fileBaseName('/var/lib/roster/in/')).toBe('in');
    expect(fileBaseName('upload.csv')).toBe('upload.csv');
  });

  it('the CLI, run on the server itself, still shows the full path', async () => {
    const r = await roster('--db', h.db, 'runs', '-o', 'json');
    expect(r.code, r.err).toBe(0);
    const files = exported(JSON.parse(r.out) as RunOut[]).map((x) => x.file).sort();
    // The demo's six files by their path; the upload above by its name.
    expect(files).toEqual([...ESTATE_FILES.map((f) => join(ESTATE, f)), 'creds.csv']);
  });
});
