import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../model/types.js';
import { MAX_RECORD_CHARS } from '../common.js';
import { parseText, type Parsed } from '../../../test/helpers/parse.js';
import { awsCredentialReport as format } from './credential-report.js';

const CSV = readFileSync(new URL('./fixtures/credential-report.csv', import.meta.url), 'utf8');
const HEADER = CSV.split('\n')[0]!;
const ACCOUNT_ARN = 'arn:aws:iam::111122223333';
/** Made up, in the shape of an AWS secret access key (40 base64 characters). */
const FAKE_SECRET = 'abcdEFGHijklMNOPqrstUVWXyz0123456789ABCD';

const parseCsv = (text: string): Promise<Parsed> => parseText(format, 'report.csv', text);
const parseJson = (doc: unknown): Promise<Parsed> =>
  parseText(format, 'report.json', JSON.stringify(doc, null, 2));

function byId(p: Parsed, sourceId: string): Observation {
  const o = p.observations.find((x) => x.sourceId === sourceId);
  if (!o) throw new Error(`no observation ${sourceId}`);
  return o;
}

/** One report row from the fixture's header, every cell "none" unless given. */
function row(cells: Record<string, string>): string {
  return HEADER.split(',')
    .map((c) => cells[c] ?? (c.endsWith('_active') || c === 'mfa_active' ? 'false' : 'N/A'))
    .join(',');
}

describe('aws-credential-report detection', () => {
  it('recognises the CSV header and the GetCredentialReport JSON, bare or in data', () => {
    expect(format.detect({ path: 'r.csv', head: CSV })).toBeGreaterThan(0.5);
    const cli = '{\n  "Content": "dXNlcg==",\n  "ReportFormat": "text/csv"\n}';
    expect(format.detect({ path: 'r.json', head: cli })).toBeGreaterThan(0.5);
    const envelope =
      '{"status_code": 200, "data": {"Content": "user,arn", "ReportFormat": "text/csv"}}';
    expect(format.detect({ path: 'r.json', head: envelope })).toBeGreaterThan(0.5);
  });

  it('claims the report error responses so that they are refused clearly', () => {
    const head = '{"status_code": 410, "data": {"Error": {"Code": "ReportNotPresent"}}}';
    expect(format.detect({ path: 'e.json', head })).toBeGreaterThan(0);
  });

  it('leaves other CSV and JSON alone', () => {
    expect(format.detect({ path: 'u.json', head: '{"Users": [{"UserName": "a"}]}' })).toBe(0);
    expect(format.detect({ path: 'x.csv', head: 'name,arn\nx,y' })).toBe(0);
    expect(format.detect({ path: 'e.json', head: '{"Reservations": []}' })).toBe(0);
  });
});

describe('aws-credential-report CSV', () => {
  it('leaves out a row past the record bound by its line and reads the rows after it', async () => {
    const lines = CSV.trimEnd().split('\n');
    const huge = `"${'x'.repeat(MAX_RECORD_CHARS)}"`;
    const text = [lines[0], lines[1]!.replace(/^[^,]*/, huge), ...lines.slice(2)].join('\n');
    const p = await parseCsv(text);
    const expected = await parseCsv([lines[0], '', ...lines.slice(2)].join('\n'));
    expect(p.rejections).toEqual([expect.objectContaining({ line: 2, code: 'BAD_CSV',
      message: expect.stringContaining('it was left out, the rest was read') as string })]);
    expect(p.observations).toEqual(expected.observations);
    expect(p.observations.length).toBeGreaterThan(0);
  });

  it('reads the root account with its active key and signing certificate', async () => {
    const p = await parseCsv(CSV);
    const root = byId(p, `${ACCOUNT_ARN}:root`);
    expect(root).toMatchObject({ kind: 'identity', scope: 'aws:111122223333', line: 2 });
    expect(root.attributes).toEqual({
      name: '<root_account>',
      identityType: 'root',
      createdAt: '2020-01-10T08:00:00.000Z',
      passwordLastUsedAt: '2024-03-05T07:15:00.000Z',
      mfaActive: true,
      lastUsedAt: '2024-03-05T07:15:00.000Z',
      account: '111122223333',
    });
    // not_supported password fields are "none", and the shared <root_account> name is no key.
    expect(root.keys).toEqual([{ type: 'aws-arn', value: `${ACCOUNT_ARN}:root` }]);

    const key = byId(p, `${ACCOUNT_ARN}:root#access-key-1@2020-02-01T00:00:00.000Z`);
    expect(key.attributes).toMatchObject({
      name: '<root_account> access key 1',
      credentialType: 'access-key',
      active: true,
      lastUsedAt: '2024-03-01T10:00:00.000Z',
      'aws.lastUsedRegion': 'us-east-1',
      'aws.lastUsedService': 's3',
    });
    const cert = byId(p, `${ACCOUNT_ARN}:root#cert-1@2020-03-01T00:00:00.000Z`);
    expect(cert.attributes).toMatchObject({ credentialType: 'signing-certificate', active: true });
  });

  it('gives each credential slot its strong key, dates and owner', async () => {
    const p = await parseCsv(CSV);
    const id = `${ACCOUNT_ARN}:user/build-bot#access-key-2@2024-02-15T00:00:00.000Z`;
    const key = byId(p, id);
    expect(key.keys).toEqual([{ type: 'aws-credential-slot', value: id }]);
    expect(key.attributes).toEqual({
      name: 'build-bot access key 2',
      credentialType: 'access-key',
      active: true,
      createdAt: '2024-02-15T00:00:00.000Z',
      rotatedAt: '2024-02-15T00:00:00.000Z',
      lastUsedAt: '2024-03-01T11:00:00.000Z',
      usageTracked: true,
      'aws.lastUsedRegion': 'us-west-2',
      'aws.lastUsedService': 'ec2',
    });
    expect(key.relations).toEqual([
      {
        type: 'belongs-to',
        target: { type: 'aws-arn', value: `${ACCOUNT_ARN}:user/build-bot` },
      },
    ]);
    const unused = byId(p, `${ACCOUNT_ARN}:user/build-bot#access-key-1@2024-01-15T00:00:00.000Z`);
    // N/A: never used, which the report does know.
    expect(unused.attributes['lastUsedAt']).toBeUndefined();
    expect(unused.attributes['usageTracked']).toBe(true);
    const cert = byId(p, `${ACCOUNT_ARN}:root#cert-1@2020-03-01T00:00:00.000Z`);
    expect(cert.attributes['usageTracked']).toBeUndefined();
  });

  it('keeps an inactive key that still has a rotation date, and skips empty slots', async () => {
    const p = await parseCsv(CSV);
    const svc = `${ACCOUNT_ARN}:user/automation/svc-backup`;
    const old = byId(p, `${svc}#access-key-2@2022-01-01T00:00:00.000Z`);
    expect(old.attributes['active']).toBe(false);
    const slots = p.observations.filter((o) => o.sourceId.startsWith(`${ACCOUNT_ARN}:user/alice#`));
    expect(slots.map((o) => o.sourceId)).toEqual([
      `${ACCOUNT_ARN}:user/alice#access-key-1@2024-03-01T08:00:00.000Z`,
    ]);
  });

  it('reads booleans in any case and tells services from humans', async () => {
    const p = await parseCsv(CSV);
    const svc = byId(p, `${ACCOUNT_ARN}:user/automation/svc-backup`);
    expect(svc.attributes).toMatchObject({ identityType: 'service', passwordEnabled: false });
    expect(svc.keys).toContainEqual({ type: 'name', value: 'svc-backup' });
    expect(byId(p, `${ACCOUNT_ARN}:user/build-bot`).attributes['identityType']).toBe('service');
    expect(byId(p, `${ACCOUNT_ARN}:user/alice`).attributes['identityType']).toBe('human');
  });

  it('warns about a user on two rows and keeps the later row', async () => {
    const p = await parseCsv(CSV);
    const alices = p.observations.filter((o) => o.sourceId === `${ACCOUNT_ARN}:user/alice`);
    expect(alices).toHaveLength(1);
    expect(alices[0]!.attributes).toMatchObject({
      mfaActive: true,
      passwordEnabled: true,
      passwordLastUsedAt: '2024-03-30T16:45:00.000Z',
      passwordLastChangedAt: '2024-01-01T00:00:00.000Z',
      'aws.passwordNextRotationAt': '2024-04-01T00:00:00.000Z',
    });
    expect(alices[0]!.line).toBe(6);
    expect(p.warnings).toEqual([
      expect.objectContaining({
        code: 'DUPLICATE_RECORD',
        field: 'user',
        line: 6,
        file: 'report.csv',
      }),
    ]);
  });

  it('reports the account scope as complete, with or without a final newline', async () => {
    const bare = await parseCsv(CSV);
    const ended = await parseCsv(`${CSV}\n`);
    const crlf = await parseCsv(CSV.replace(/\n/g, '\r\n'));
    expect(bare.meta).toEqual({ scopes: ['aws:111122223333'], complete: true });
    expect(bare.observations).toHaveLength(11);
    expect(ended.observations).toEqual(bare.observations);
    expect(crlf.observations).toEqual(bare.observations);
  });

  it('keeps the leading zeros of an account id', async () => {
    const arn = 'arn:aws:iam::000123456789:user/zed';
    const p = await parseCsv(`${HEADER}\n${row({ user: 'zed', arn })}\n`);
    expect(byId(p, arn)).toMatchObject({ scope: 'aws:000123456789' });
    expect(byId(p, arn).attributes['account']).toBe('000123456789');
  });
});

describe('aws-credential-report bad input', () => {
  it('rejects rows with a bad ARN, time or field count and keeps the good rows', async () => {
    const text = [
      HEADER,
      row({ user: 'nobody', arn: 'user/nobody' }),
      row({ user: 'late', arn: `${ACCOUNT_ARN}:user/late`, user_creation_time: '03/04/2024' }),
      'short,row',
      row({ user: 'good', arn: `${ACCOUNT_ARN}:user/good` }),
    ].join('\n');
    const p = await parseCsv(text);
    expect(p.rejections).toEqual([
      expect.objectContaining({ line: 2, field: 'arn', code: 'BAD_INPUT' }),
      expect.objectContaining({ line: 3, field: 'user_creation_time', code: 'BAD_INPUT' }),
      expect.objectContaining({ line: 4, code: 'BAD_INPUT' }),
    ]);
    expect(p.observations.map((o) => o.sourceId)).toEqual([`${ACCOUNT_ARN}:user/good`]);
    expect(p.meta.complete).toBe(false);
  });

  it('warns about unknown columns and values and keeps unknown column values', async () => {
    const ann = row({ user: 'ann', arn: `${ACCOUNT_ARN}:user/ann`, mfa_active: 'yes' });
    const text = `${HEADER},team_note\n${ann},ops\n`;
    const p = await parseCsv(text);
    expect(p.warnings).toEqual([
      expect.objectContaining({ code: 'UNKNOWN_COLUMN', field: 'team_note', line: 1 }),
      expect.objectContaining({ code: 'UNKNOWN_VALUE', field: 'mfa_active', line: 2 }),
    ]);
    expect(byId(p, `${ACCOUNT_ARN}:user/ann`).attributes['aws.report.team_note']).toBe('ops');
  });

  it('refuses a row holding a secret, naming the field and never the value', async () => {
    const secret = FAKE_SECRET;
    const text = [
      `${HEADER},secret_access_key`,
      `${row({ user: 'leaky', arn: `${ACCOUNT_ARN}:user/leaky` })},${secret}`,
      `${row({ user: 'tidy', arn: `${ACCOUNT_ARN}:user/tidy` })},`,
    ].join('\n');
    const p = await parseCsv(text);
    expect(p.rejections).toEqual([
      expect.objectContaining({ code: 'SECRET_REFUSED', field: 'secret_access_key', line: 2 }),
    ]);
    expect(JSON.stringify(p)).not.toContain(secret);
    expect(p.observations.map((o) => o.sourceId)).toEqual([`${ACCOUNT_ARN}:user/tidy`]);
  });

  it('stops at a broken quote with its line, keeping the rows before it', async () => {
    const text = `${CSV}\n"broken,${ACCOUNT_ARN}:user/x\n`;
    const p = await parseCsv(text);
    expect(p.rejections).toEqual([expect.objectContaining({ code: 'BAD_CSV', line: 7 })]);
    expect(p.observations).toHaveLength(11);
    expect(p.meta.complete).toBe(false);
  });

  it('refuses a CSV that is not a credential report', async () => {
    const p = await parseCsv('name,arn\nx,y\n');
    expect(p.rejections).toEqual([expect.objectContaining({ line: 1, code: 'BAD_INPUT' })]);
    expect(p.observations).toEqual([]);
  });
});

describe('aws-credential-report JSON', () => {
  const base64 = Buffer.from(CSV, 'utf8').toString('base64');

  it('decodes the CLI output and takes asOf from GeneratedTime', async () => {
    const p = await parseJson({
      Content: base64,
      ReportFormat: 'text/csv',
      GeneratedTime: '2024-04-03T12:00:00+00:00',
    });
    const fromCsv = await parseCsv(CSV);
    expect(p.meta).toEqual({
      scopes: ['aws:111122223333'],
      complete: true,
      asOf: '2024-04-03T12:00:00.000Z',
    });
    expect(p.observations).toEqual(fromCsv.observations);
  });

  it('reads a recorded response under data, with plain Content and a datetime object', async () => {
    const generated = { __class__: 'datetime', year: 2024, month: 4, day: 3, hour: 12 };
    const p = await parseJson({
      status_code: 200,
      data: { Content: CSV, ReportFormat: 'text/csv', GeneratedTime: generated },
    });
    expect(p.meta.asOf).toBe('2024-04-03T12:00:00.000Z');
    expect(p.observations).toHaveLength(11);
  });

  it('takes a GeneratedTime before 1970 for none, and compares no time with it', async () => {
    const tim = `${ACCOUNT_ARN}:user/tim`;
    const p = await parseJson({
      Content: `${HEADER}\n${row({ user: 'tim', arn: tim,
        user_creation_time: '2019-03-04T00:00:00+00:00' })}`,
      ReportFormat: 'text/csv',
      GeneratedTime: '0026-12-01T06:00:00Z',
    });
    expect(p.meta.asOf).toBeUndefined();
    expect(p.warnings).toEqual([expect.objectContaining({ code: 'INVALID_VALUE',
      field: 'GeneratedTime', message: '0026-12-01T06:00:00.000Z is before 1970, almost surely ' +
        'a typo; the run has no generation time' })]);
  });

  it('warns about a past event dated after the report was generated', async () => {
    const tim = `${ACCOUNT_ARN}:user/tim`;
    const created = '2099-01-01T00:00:00+00:00';
    const p = await parseJson({
      Content: `${HEADER}\n${row({ user: 'tim', arn: tim, user_creation_time: created })}`,
      ReportFormat: 'text/csv',
      GeneratedTime: '2024-04-03T12:00:00Z',
    });
    expect(p.warnings).toEqual([
      expect.objectContaining({ code: 'FUTURE_TIME', field: 'user_creation_time', line: 2 }),
    ]);
    expect(byId(p, tim).attributes['createdAt']).toBe('2099-01-01T00:00:00.000Z');
  });

  it('warns the same in the CSV form, against the run\'s as-of the ingest gives', async () => {
    const tim = `${ACCOUNT_ARN}:user/tim`;
    const text = `${HEADER}\n${row({ user: 'tim', arn: tim, access_key_2_active: 'true',
      access_key_2_last_rotated: '2099-02-03T09:50:21+00:00' })}`;
    const runAsOf = '2026-12-01T00:00:00.000Z';
    const csv = await parseText(format, 'report.csv', text, { runAsOf });
    const json = await parseText(format, 'report.json', JSON.stringify({
      Content: text, ReportFormat: 'text/csv',
    }), { runAsOf });
    for (const p of [csv, json]) {
      expect(p.warnings).toEqual([expect.objectContaining({
        code: 'FUTURE_TIME', field: 'access_key_2_last_rotated', line: 2,
        message: `2099-02-03T09:50:21.000Z is later than the run's as-of ${runAsOf}`,
      })]);
      expect(p.meta.asOf).toBeUndefined(); // the run's as-of is not the file's own
    }
  });

  it('checks against the report\'s own generation time before the run\'s as-of', async () => {
    const tim = `${ACCOUNT_ARN}:user/tim`;
    const p = await parseText(format, 'report.json', JSON.stringify({
      Content: `${HEADER}\n${row({ user: 'tim', arn: tim,
        user_creation_time: '2025-01-01T00:00:00+00:00' })}`,
      ReportFormat: 'text/csv', GeneratedTime: '2024-04-03T12:00:00Z',
    }), { runAsOf: '2026-12-01T00:00:00.000Z' });
    expect(p.warnings).toEqual([expect.objectContaining({
      code: 'FUTURE_TIME', field: 'user_creation_time',
      message: "2025-01-01T00:00:00.000Z is later than the report's generation time " +
        '2024-04-03T12:00:00.000Z',
    })]);
  });

  it.each([
    ['ReportNotPresent', { Error: { Code: 'ReportNotPresent', Type: 'Sender' } }],
    ['ReportInProgress', { status_code: 404, data: { Error: { Code: 'ReportInProgress' } } }],
  ])('refuses the %s error response for the whole file', async (code, doc) => {
    const p = await parseJson(doc);
    expect(p.rejections).toEqual([
      expect.objectContaining({ field: 'Error.Code', code: 'BAD_INPUT', file: 'report.json' }),
    ]);
    expect(p.rejections[0]!.message).toContain(code);
    expect(p.observations).toEqual([]);
    expect(p.meta).toEqual({ complete: false });
  });

  it('refuses Content that is neither base64 nor CSV, and JSON without echoing it', async () => {
    const bad = await parseJson({ Content: 'not a report!', ReportFormat: 'text/csv' });
    expect(bad.rejections).toEqual([expect.objectContaining({ field: 'Content' })]);
    const broken = await parseText(format, 'r.json', '{\n  "Content": "ghp_secretsecret\n');
    expect(broken.rejections).toHaveLength(1);
    expect(broken.rejections[0]!.message).not.toContain('ghp_');
  });

  it('refuses a secret in the response around the report and still reads the report', async () => {
    const p = await parseJson({
      Content: base64,
      ReportFormat: 'text/csv',
      SecretAccessKey: FAKE_SECRET,
    });
    expect(p.rejections).toEqual([
      expect.objectContaining({ code: 'SECRET_REFUSED', field: 'SecretAccessKey' }),
    ]);
    expect(JSON.stringify(p)).not.toContain(FAKE_SECRET);
    expect(p.observations).toHaveLength(11);
  });
});
