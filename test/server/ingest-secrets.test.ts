import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ empty: true });
});
afterAll(() => h.close());

/** Every byte of the database (the file, its WAL and journal). */
function dbBytes(): string {
  const name = h.db.slice(h.db.lastIndexOf('/') + 1);
  return readdirSync(h.dir)
    .filter((n) => n.startsWith(name))
    .map((n) => readFileSync(`${h.dir}/${n}`).toString('latin1'))
    .join('');
}

const GCP_LINE = JSON.stringify({
  name: '//compute.googleapis.com/projects/pay-prod-7f3a/zones/europe-west1-b/instances/batch-old',
  asset_type: 'compute.googleapis.com/Instance',
  resource: {
    parent: '//cloudresourcemanager.googleapis.com/projects/482910376655',
    data: {
      creationTimestamp: '2022-01-10T00:00:00Z', id: '1', name: 'batch-old',
      labels: { criticality: 'tier1', 'db_password=Hunter2Pass99': 'x' },
      networkInterfaces: [{ networkIP: '10.20.0.9' }], status: 'TERMINATED',
    },
  },
  ancestors: ['projects/482910376655', 'organizations/730146829145'],
});

describe('POST /api/v1/ingest never answers with a secret (tester report 2, D)', () => {
  it('masks a label name holding a password; a bad JSON line is named by column', async () => {
    const body = `${GCP_LINE}\n{"name":"x","token":S3cr3tTokenValue99}\n`;
    const r = await h.rs.server.inject({
      method: 'POST',
      url: '/api/v1/ingest?filename=gcp.jsonl&asOf=2026-12-01T00:00:00Z',
      headers: { ...h.auth('ingest'), 'content-type': 'application/x-ndjson' },
      payload: body,
    });
    expect(r.body).not.toContain('Hunter2');
    expect(r.body).not.toContain('S3cr3t');
    const files = (r.json() as { files: { rejections: { field?: string; message: string }[] }[] })
      .files;
    const rejections = files.flatMap((f) => f.rejections);
    expect(rejections.map((x) => x.field)).toContain('attribute name gcp.label.db_password=…');
    expect(rejections.map((x) => x.message)).toContain('not a JSON value at column 21');
    // The run was recorded (the bytes are the right database), the values were not.
    expect(dbBytes()).toContain('gcp.jsonl');
    expect(dbBytes()).not.toContain('Hunter2');
    expect(dbBytes()).not.toContain('S3cr3t');
  });
});

describe('POST /api/v1/ingest masks a secret in the file name (tester report 3)', () => {
  it('keeps and answers ?filename=ghp_….csv masked', async () => {
    const gh = ['ghp', 'aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789'].join('_');
    const csv = readFileSync('examples/estate/cmdb-servers.csv', 'utf8');
    const r = await h.rs.server.inject({
      method: 'POST',
      url: `/api/v1/ingest?filename=${gh}.csv&asOf=2026-12-01T00:00:00Z`,
      headers: { ...h.auth('ingest'), 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(r.statusCode).toBe(201);
    expect(r.body).toContain('….csv');
    expect(r.body).not.toContain(gh);
    const runs = await h.rs.server.inject({ method: 'GET', url: '/api/v1/runs',
      headers: h.auth('read') });
    expect(runs.body).toContain('….csv');
    expect(runs.body).not.toContain(gh);
    expect(dbBytes()).not.toContain(gh);
  });
});
