import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';
import { REPORT_HEADER, reportRow } from '../helpers/credential-report.js';

interface FileOut {
  file: string;
  format: string | null;
  run: { id: string; status: string; asOf: string } | null;
  counts: { added: number } | null;
  rejections: { file: string; line?: number; field?: string; message: string }[];
  rejectionsTotal: number;
  error: { code: string; message: string } | null;
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ empty: true, server: { uploadLimit: 4096 } });
});
afterAll(() => h.close());

/** A multipart body as a browser would send it. */
async function multipart(files: Record<string, string>, fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const [name, text] of Object.entries(files)) form.append('file', new Blob([text]), name);
  const req = new Request('http://localhost/', { method: 'POST', body: form });
  return {
    payload: Buffer.from(await req.arrayBuffer()),
    contentType: req.headers.get('content-type')!,
  };
}

describe('POST /api/v1/ingest', () => {
  it('ingests a raw body: format detected, one run, good rows land, bad rows named', async () => {
    const csv = [
      REPORT_HEADER,
      reportRow('bob', 'last-tuesday'),
      reportRow('alice', '2024-02-01T00:00:00+00:00'),
    ].join('\n');
    const r = await h.rs.server.inject({
      method: 'POST',
      url: '/api/v1/ingest?filename=report.csv&asOf=2026-12-01T00:00:00Z',
      headers: { ...h.auth('ingest'), 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(r.statusCode).toBe(201);
    const body = r.json() as { files: FileOut[]; judged: { open: number } | null };
    expect(body.files).toHaveLength(1);
    const f = body.files[0]!;
    expect(f).toMatchObject({
      file: 'report.csv', format: 'aws-credential-report', error: null, rejectionsTotal: 1,
      run: { status: 'committed', asOf: '2026-12-01T00:00:00.000Z' },
    });
    expect(f.rejections[0]).toMatchObject({
      file: 'report.csv',
      line: 2,
      field: 'access_key_1_last_rotated',
    });
    expect(body.judged?.open).toBeGreaterThan(0);
    const ids = await h.rs.server.inject({ url: '/api/v1/identities', headers: h.auth('read') });
    expect(ids.json().items.map((i: { name: string }) => i.name)).toEqual(['alice']);
    const audit = await h.rs.server.inject({
      url: '/api/v1/audit?action=ingest',
      headers: h.auth('admin'),
    });
    expect(audit.json().items[0]).toMatchObject({
      actorName: 'test-ingest', target: f.run!.id,
      details: { files: [{ file: 'report.csv', format: 'aws-credential-report', rejected: 1 }] },
    });
  });

  it('ingests multipart uploads, one run per file, with form fields as parameters', async () => {
    const { payload, contentType } = await multipart({
      'a.csv': [REPORT_HEADER, reportRow('carol', '2024-03-01T00:00:00+00:00')].join('\n'),
      'b.csv': [REPORT_HEADER, reportRow('dave', '2024-03-01T00:00:00+00:00')].join('\n'),
    }, { asOf: '2026-12-01T01:00:00Z' });
    const r = await h.rs.server.inject({
      method: 'POST', url: '/api/v1/ingest',
      headers: { ...h.auth('ingest'), 'content-type': contentType }, payload,
    });
    expect(r.statusCode).toBe(201);
    const files = (r.json() as { files: FileOut[] }).files;
    expect(files.map((f) => [f.file, f.format, f.run?.status, f.run?.asOf])).toEqual([
      ['a.csv', 'aws-credential-report', 'committed', '2026-12-01T01:00:00.000Z'],
      ['b.csv', 'aws-credential-report', 'committed', '2026-12-01T01:00:00.000Z'],
    ]);
    expect(new Set(files.map((f) => f.run!.id)).size).toBe(2);
  });

  it('refuses an upload over the limit with 413, raw or multipart; stores nothing', async () => {
    const runsBefore = (await h.rs.server.inject({
      url: '/api/v1/runs',
      headers: h.auth('read'),
    })).json().items.length;
    const big = [
      REPORT_HEADER,
      ...Array.from({ length: 40 }, (_, i) => reportRow(`u${i}`, '2024-01-01T00:00:00+00:00')),
    ].join('\n');
    expect(big.length).toBeGreaterThan(4096);
    const raw = await h.rs.server.inject({
      method: 'POST', url: '/api/v1/ingest', headers: {
        ...h.auth('ingest'),
        'content-type': 'text/csv',
      }, payload: big,
    });
    expect(raw.statusCode).toBe(413);
    expect(raw.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    const { payload, contentType } = await multipart({ 'big.csv': big });
    const mp = await h.rs.server.inject({
      method: 'POST', url: '/api/v1/ingest', headers: {
        ...h.auth('ingest'),
        'content-type': contentType,
      }, payload,
    });
    expect(mp.statusCode).toBe(413);
    expect(mp.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    const runsAfter = (await h.rs.server.inject({
      url: '/api/v1/runs',
      headers: h.auth('read'),
    })).json().items.length;
    expect(runsAfter).toBe(runsBefore);
  });

  it('an unknown format is 422 naming the file; a wrong format name is named', async () => {
    const r = await h.rs.server.inject({
      method: 'POST', url: '/api/v1/ingest?filename=mystery.json',
      headers: {
        ...h.auth('ingest'),
        'content-type': 'application/json',
      }, payload: '{"hello":"world"}',
    });
    expect(r.statusCode).toBe(422);
    const err = r.json().error as { code: string; details: { files: FileOut[] } };
    expect(err.code).toBe('INGEST_FAILED');
    expect(err.details.files[0]).toMatchObject({
      file: 'mystery.json',
      run: null,
      error: { code: 'UNKNOWN_FORMAT' },
    });
    expect(err.details.files[0]!.error!.message).toContain('mystery.json');
  });

  it('a bad format, types, scope or timezone is 400 naming it before any file', async () => {
    const cases = [
      ['scope=fleet:corp/*', 'scope', /^scope 'fleet:corp\/\*' ends in \/\*, which names a family/],
      ['types=%20,', 'types', /^no type given$/],
      ['timezone=Mars/Olympus', 'timezone', /^unknown time zone$/],
      ['format=no-such-format', 'format', /^unknown format 'no-such-format'; known formats: /],
      ['format=k8s&types=pdos', 'types', /^'pdos' is not a kubectl resource/],
      ['format=servicenow-cmdb&types=pods', 'types',
        /^format servicenow-cmdb does not read types$/],
    ] as const;
    for (const [query, field, message] of cases) {
      const r = await h.rs.server.inject({
        method: 'POST', url: `/api/v1/ingest?${query}`,
        headers: { ...h.auth('ingest'), 'content-type': 'text/csv' }, payload: 'a,b\n1,2',
      });
      expect(r.statusCode).toBe(400);
      const issues = (r.json() as { error: { details: { issues: object[] } } }).error.details.issues;
      expect(issues).toEqual([{ path: field, message: expect.stringMatching(message) }]);
    }
  });

  it('refuses a parameter given as query and form field with two values, naming it', async () => {
    const { payload, contentType } = await multipart({ 'a.csv': 'a,b\n1,2' },
      { scope: 'k8s:prod/*' });
    const r = await h.rs.server.inject({
      method: 'POST', url: '/api/v1/ingest?scope=prod',
      headers: { ...h.auth('ingest'), 'content-type': contentType }, payload,
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toBe('scope: given as a query parameter and as a form ' +
      'field with different values; give it once');
    const form = new FormData();
    form.append('asOf', '2026-12-02T09:00:00Z');
    form.append('asOf', '2026-12-02T10:00:00Z');
    form.append('file', new Blob(['a,b\n1,2']), 'a.csv');
    const req = new Request('http://localhost/', { method: 'POST', body: form });
    const twice = await h.rs.server.inject({ method: 'POST', url: '/api/v1/ingest',
      headers: { ...h.auth('ingest'), 'content-type': req.headers.get('content-type')! },
      payload: Buffer.from(await req.arrayBuffer()) });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().error.message).toBe('asOf: form field given more than once; give it once');
  });

  it('a file that is not UTF-8 is refused whole, naming the line and the conversion', async () => {
    const csv = [REPORT_HEADER, reportRow('bob', '2024-02-01T00:00:00+00:00'),
      reportRow('al\xefce', '2024-02-01T00:00:00+00:00')].join('\n');
    const r = await h.rs.server.inject({
      method: 'POST', url: '/api/v1/ingest?filename=latin1.csv&asOf=2026-12-01T00:00:00Z',
      headers: { ...h.auth('ingest'), 'content-type': 'text/csv' },
      payload: Buffer.from(csv, 'latin1'),
    });
    expect(r.statusCode).toBe(422);
    const f = (r.json().error as { details: { files: FileOut[] } }).details.files[0]!;
    expect(f).toMatchObject({ file: 'latin1.csv', run: null, error: { code: 'BAD_INPUT' } });
    expect(f.error!.message).toMatch(/^latin1\.csv: the file is not UTF-8: line 3 \(byte offset/);
    expect(f.error!.message).toContain("iconv -f LATIN1 -t UTF-8 'latin1.csv' > 'utf8-latin1.csv'");
  });

  it('an empty body is 400 saying what to send', async () => {
    const r = await h.rs.server.inject({
      method: 'POST', url: '/api/v1/ingest', headers: {
        ...h.auth('ingest'),
        'content-type': 'text/csv',
      }, payload: '',
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toContain('no file in the request');
  });

  it('an asOf later than the clock is 422 naming the file, the as-of and the clock', async () => {
    const csv = [REPORT_HEADER, reportRow('mallory', '2024-02-01T00:00:00+00:00')].join('\n');
    const r = await h.rs.server.inject({
      method: 'POST', url: '/api/v1/ingest?filename=poison.csv&asOf=2999-01-01T00:00:00Z',
      headers: { ...h.auth('ingest'), 'content-type': 'text/csv' }, payload: csv,
    });
    expect(r.statusCode).toBe(422);
    const err = r.json().error as { code: string; details: { files: FileOut[] } };
    expect(err.details.files[0]).toMatchObject({ file: 'poison.csv', run: null,
      error: { code: 'BAD_INPUT' } });
    expect(err.details.files[0]!.error!.message).toContain(
      'poison.csv: as of 2999-01-01T00:00:00.000Z (given as --as-of or the API\'s asOf) is ' +
        'later than the clock 2026-12-01T12:00:00.000Z by more than 15 minutes');
    const ids = await h.rs.server.inject({ url: '/api/v1/identities', headers: h.auth('read') });
    expect(JSON.stringify(ids.json())).not.toContain('mallory');
  });

  it('asOf 0001-01-01 is 400 saying it reads as no time', async () => {
    const r = await h.rs.server.inject({
      method: 'POST', url: '/api/v1/ingest?asOf=0001-01-01T00:00:00Z',
      headers: { ...h.auth('ingest'), 'content-type': 'text/csv' }, payload: 'a,b\n1,2',
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toContain(
      'asOf: \'0001-01-01T00:00:00Z\' reads as "no time"');
  });

  it('takes every query option as a form field too, types included', async () => {
    const cai = JSON.stringify({ name: '//compute.googleapis.com/projects/p1/zones/z/instances/v',
      asset_type: 'compute.googleapis.com/Instance', resource: { data: { name: 'v' } } });
    const { payload, contentType } = await multipart({ 'vms.jsonl': `${cai}\n` },
      { types: 'compute.googleapis.com/Instance,cloudresourcemanager.googleapis.com/Project',
        asOf: '2026-12-01T02:00:00Z' });
    const r = await h.rs.server.inject({
      method: 'POST', url: '/api/v1/ingest',
      headers: { ...h.auth('ingest'), 'content-type': contentType }, payload,
    });
    expect(r.statusCode).toBe(201);
    const run = (r.json() as { files: { run: { scopes: string[] } }[] }).files[0]!.run;
    expect(run.scopes).toEqual(['gcp:p1/cloudresourcemanager.googleapis.com/Project',
      'gcp:p1/compute.googleapis.com/Instance']);
  });
});
