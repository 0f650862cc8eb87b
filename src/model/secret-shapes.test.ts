import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkObservation, DEFAULT_FIELD_LIMITS } from './field-guard.js';
import { secretKindIn } from './secret-shapes.js';
import type { Observation } from './types.js';

const PW_CHARS = 'abcXYZ019!$%^*()_+=~-.'.split('');
const password = fc.array(fc.constantFrom(...PW_CHARS), { minLength: 1, maxLength: 40 })
  .map((a) => a.join(''))
  // Not a placeholder: a mask, an environment variable, the word itself.
  .filter((p) => !/^(\*+|\.{3,}|pass|x{3,}|\$[a-z_][a-z0-9_]*)$/i.test(p));
const scheme = fc.constantFrom('postgres', 'mysql', 'mongodb+srv', 'redis', 'amqp', 'https', 'ftp');
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+'.split('');
const awsValue = fc.array(fc.constantFrom(...B64), { minLength: 1, maxLength: 80 })
  .map((a) => a.join(''));

function purpose(text: string): Observation {
  return {
    kind: 'asset',
    sourceId: 'db-prod-01',
    scope: 'cmdb:test',
    keys: [{ type: 'hostname', value: 'db-prod-01' }],
    attributes: { purpose: text },
  };
}

/** The whole message: it names the field and the kind, and nothing of the value. */
const URL_REFUSED =
  'purpose looks like a password in a URL; Roster never stores secret values, the row is refused';

describe('passwords in URLs', () => {
  it('refuses the tester\'s connection string, naming the field and kind only', () => {
    const url = 'postgres://admin:S3cr3tPassFFFF6@db-prod-01:5432/orders';
    expect(checkObservation(purpose(url), DEFAULT_FIELD_LIMITS)?.message).toBe(URL_REFUSED);
  });

  it('refuses user:password@ in any scheme, anywhere in a text', () => {
    fc.assert(fc.property(scheme, password, (s, pw) => {
      const text = `see ${s}://svc_user:${pw}@db.internal:5432/orders for details`;
      expect(secretKindIn(text)).toBe('a password in a URL');
      expect(checkObservation(purpose(text), DEFAULT_FIELD_LIMITS)?.message).toBe(URL_REFUSED);
    }), { numRuns: 500 });
  });

  it.each([
    'ssh://git@github.com:22/org/repo.git',
    'https://host.example:8443/path@v2',
    'https://user@host.example/x',
    'postgres://admin:${PGPASSWORD}@db:5432/orders',
    'postgres://admin:<password>@db:5432/orders',
    'postgres://admin:****@db:5432/orders',
    'spiffe://example.org/ns/prod/sa/web',
  ])('keeps %s', (text) => {
    expect(secretKindIn(`${text} (connection)`)).toBeUndefined();
  });
});

describe('labelled secret assignments', () => {
  it('refuses aws_secret_access_key=<value> of any length', () => {
    fc.assert(fc.property(awsValue, fc.constantFrom('=', ' = ', ': '), (v, eq) => {
      expect(secretKindIn(`aws_secret_access_key${eq}${v}`)).toBe('an AWS secret access key');
      expect(secretKindIn(`[default] secret_access_key${eq}${v}`))
        .toBe('an AWS secret access key');
    }), { numRuns: 500 });
  });

  it.each([
    'client_secret=abc1',
    '"clientSecret": "q9"',
    'api_key=zz9 for the billing job',
    'x-api-key: k3y',
    'secret_key=abcd12',
    'private_key=Zm9vYmFy',
    'refresh_token=r1',
    'password: hunter22',
  ])('refuses %s', (text) => {
    expect(secretKindIn(`${text} `.padEnd(14, '.'))).toBe('a password or secret assignment');
  });

  it.each([
    'aws_secret_access_key = <your key here>',
    'client_secret=${CLIENT_SECRET}',
    'api_key: {{ vault "billing" }}',
    'the listing has a next_page_token: only one page was read',
    'a field named like a secret: names repeat',
    '"secret": { "secretName": "db-creds" }',
    'token:2c84f488-4133-4ced-87b0-570f93a76830',
  ])('keeps %s', (text) => {
    expect(secretKindIn(text)).toBeUndefined();
  });
});
