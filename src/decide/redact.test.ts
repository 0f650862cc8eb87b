import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { redactRequest } from './redact.js';

const clean = {
  subject: { type: 'workload', id: 'spiffe://example.org/ns/prod/sa/payments',
    properties: { tags: ['a', 'b'], tier: 2, owned: true, note: null } },
  action: { name: 'read' },
  resource: { type: 'host', id: 'db-1' },
  context: { time: '2026-12-01T12:00:00Z' },
};

describe('redactRequest', () => {
  it('logs a request with nothing to remove as it is, without a copy', () => {
    expect(redactRequest(clean)).toBe(clean);
  });

  it('copies and redacts a request that holds a proof, a secret field or a token', () => {
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl';
    const req = { ...clean, context: { ...clean.context, password: 'hunter2hunter2',
      x509_svid: '-----BEGIN CERTIFICATE-----', notes: [jwt] } };
    const out = redactRequest(req) as typeof req;
    expect(out).not.toBe(req);
    expect(out.context).toEqual({ time: '2026-12-01T12:00:00Z', password: '[redacted]',
      x509_svid: '[proof: see decision.proof]', notes: ['[redacted]'] });
    expect(out.subject).toEqual(clean.subject);
  });

  it('redacts every credential shape ingest refuses, and HTTP credential headers', () => {
    const token = `rst_${'0123456789abcdef'}_${'A'.repeat(43)}`;
    const context = {
      authorization: 'Bearer abcdefghijklmnopqrstuvwxyz0123456789',
      note: 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789',
      forwarded: token,
      headers: { Authorization: 'Basic dXNlcjpwYXNzd29yZDEyMw==', Cookie: 'session=abcdef',
        'X-API-Key': 'k-1', accept: 'application/json' },
      db: 'postgres://app:s3cretPw1@db.internal/x',
      hook: 'https://hooks.slack.com/services/T0000AAAA/B0000BBBB/abcdefghijklmnopqrstuvwx',
      purpose: 'nightly backup of db-1',
    };
    const out = redactRequest({ ...clean, context }) as { context: typeof context };
    expect(out.context).toEqual({
      authorization: '[redacted]', note: '[redacted]', forwarded: '[redacted]',
      headers: { Authorization: '[redacted]', Cookie: '[redacted]', 'X-API-Key': '[redacted]',
        accept: 'application/json' },
      db: '[redacted]', hook: '[redacted]', purpose: 'nightly backup of db-1',
    });
  });

  it('redacts what tester 2 found kept: tokens in text, header pairs, short values, keys', () => {
    const token = `rst_2c3695128344dff2_${'B'.repeat(43)}`;
    const context = {
      real: `see ${token} now`,
      headers: [{ key: 'authorization', value: 'Basic ZW52b3k6cGFzcw==' },
        { key: 'cookie', value: 'session=ENVOYCOOKIE9f8e7d' }, { name: 'x-api-key', value: 'K77' },
        { key: 'accept', value: 'application/json' }],
      auth: 'Basic QkFSRUJBU0lDOnBhc3N3b3Jk',
      short: 'Bearer shortTOKENx',
      password: 'hunter2', db_password: 'Pw0rd!', apiKey: 'k9x7q2', client_secret: 'Zq1',
      curl: 'curl -u admin:CurlPass99 https://x',
      svc: 'ftpuser:keypassword9@legacy-ftp-01',
      [`Bearer KEYASBEARER1234567890abcdef`]: 1,
      sortKey: 'name', passwordEnabled: true, purpose: 'nightly backup',
    };
    const out = redactRequest({ ...clean, context }) as { context: Record<string, unknown> };
    expect(out.context).toEqual({
      real: '[redacted]',
      headers: [{ key: 'authorization', value: '[redacted]' },
        { key: 'cookie', value: '[redacted]' }, { name: 'x-api-key', value: '[redacted]' },
        { key: 'accept', value: 'application/json' }],
      auth: '[redacted]', short: '[redacted]',
      password: '[redacted]', db_password: '[redacted]', apiKey: '[redacted]',
      client_secret: '[redacted]', curl: '[redacted]', svc: '[redacted]',
      '[redacted key 1]': '[redacted]',
      sortKey: 'name', passwordEnabled: true, purpose: 'nightly backup',
    });
  });

  it('cuts what is too deep or too long, as before', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 10; i++) deep = { d: deep };
    expect(JSON.stringify(redactRequest(deep))).toContain('[truncated]');
    const long = Array.from({ length: 150 }, (_, i) => i);
    expect((redactRequest({ long }) as { long: number[] }).long).toHaveLength(100);
  });

  it('redacts the AWS keys, private key armours and tokens of tester 3 (defect 1, 2)', () => {
    const k = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYEXAMPLEKEY'].join('/');
    const resource = { type: 'host', id: 'db-1', properties: {
      note: `AWSSecretKey=${k}`, creds: `creds:AKIAIOSFODNN7EXAMPLE/${k}`,
      key: '-----BEGIN PGP PRIVATE KEY BLOCK----- lQOYBF0abc -----END PGP PRIVATE KEY BLOCK-----',
      ci: ['glpat', 'xYz1234567890AbCdEfGh'].join('-'), tier: 'gold' } };
    const context = { mail: `SG.${'a'.repeat(22)}.${'B'.repeat(43)}`,
      shop: `shpat_${'ab12'.repeat(8)}`, conn: `AccountKey=${'Ab1+'.repeat(11)}`,
      time: '2026-12-01T12:00:00Z' };
    const out = redactRequest({ ...clean, resource, context }) as {
      resource: typeof resource; context: typeof context };
    expect(out.resource.properties).toEqual({ note: '[redacted]', creds: '[redacted]',
      key: '[redacted]', ci: '[redacted]', tier: 'gold' });
    expect(out.context).toEqual({ mail: '[redacted]', shop: '[redacted]', conn: '[redacted]',
      time: '2026-12-01T12:00:00Z' });
  });
});

describe('redactRequest on requests with nothing to remove', () => {
  const names = ['id', 'type', 'name', 'note', 'tags', 'password', 'apiKey', 'x-api-key',
    'secret_token', 'authorization', 'x509_svid', 'jwt_svid', 'value', 'key', 'sessionId'];
  const texts = ['', ' ', 'db-1', 'true', '2026-12-01', '********', 'hunter2hunter2',
    'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl', 'ghp_' + 'a'.repeat(36),
    `rst_${'0123456789abcdef'}_${'A'.repeat(43)}`, 'Bearer abcdefghijklmnop'];
  const leaf = fc.oneof(fc.constantFrom(...texts), fc.boolean(), fc.integer(), fc.constant(null));
  const tree = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom(...names), tie('node'), { maxKeys: 4 })),
  })).node;

  it('keeps a request as it is only when the full redaction would change nothing', () => {
    fc.assert(fc.property(fc.dictionary(fc.constantFrom(...names), tree, { maxKeys: 5 }),
      (req) => {
        // depth 1 skips the check for nothing to remove and redacts field by field.
        const full = JSON.stringify(redactRequest(req, 1));
        if (redactRequest(req) === req) expect(full).toBe(JSON.stringify(req));
      }), { numRuns: 2000 });
  });
});
