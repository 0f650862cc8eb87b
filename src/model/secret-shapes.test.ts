import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkObservation, DEFAULT_FIELD_LIMITS } from './field-guard.js';
import { findSecret, isPlaceholder, secretKindIn } from './secret-shapes.js';
import type { Observation } from './types.js';

const PW_CHARS = 'abcXYZ019!$%^*()_+=~-.'.split('');
const password = fc.array(fc.constantFrom(...PW_CHARS), { minLength: 1, maxLength: 40 })
  .map((a) => a.join(''))
  // Not a placeholder: a mask, an environment variable, the word itself.
  .filter((p) => !isPlaceholder(p));
const scheme = fc.constantFrom('postgres', 'mysql', 'mongodb+srv', 'redis', 'amqp', 'https', 'ftp');
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+'.split('');
const awsValue = fc.array(fc.constantFrom(...B64), { minLength: 1, maxLength: 80 })
  .map((a) => a.join(''))
  .filter((v) => !isPlaceholder(v));

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

describe('password labels, HTTP credentials, webhooks, command lines (tester report 2)', () => {
  it.each([
    ['PGPASSWORD=QQd9f8e7d6', 'a password or secret assignment'],
    ['export PGPASSWORD="QQd9f8e7d6" && psql', 'a password or secret assignment'],
    ["PGPASSWORD='QQd9f8e7d6' psql -h db", 'a password or secret assignment'],
    ['MYSQL_ROOT_PASSWORD=QQy9f8e7d6', 'a password or secret assignment'],
    ['smtp: SMTP_PASS=QQk2Zq8wer7', 'a password or secret assignment'],
    ['ftp login pass=W0rdQQ7zzzzz', 'a password or secret assignment'],
    ['gpg passphrase: W0rdQQ8zzzzz', 'a password or secret assignment'],
    ['GPG_PASSPHRASE=correcthorse', 'a password or secret assignment'],
    ['curl -H "Authorization: Bearer QQa9f8e7d6c5b4a3928171"', 'an HTTP Authorization credential'],
    ['Authorization: Bearer abc123opaque', 'an HTTP Authorization credential'],
    ['Authorization: Basic YWRtaW46aHVudGVyMg==', 'an HTTP Authorization credential'],
    ['send Bearer 9f8e7d6c5b4a39281706fe with it', 'an HTTP Authorization credential'],
    ['user:W0rdQQSzzzz@legacy-ftp-01.halvard.example', 'a password in user:password@host'],
    ['log in as svc:Hunter2Qwerty9@files then', 'a password in user:password@host'],
    ['https://hooks.slack.com/services/T00000000/B00000000/QQp9f8e7d6c5b4a392817',
      'a Slack webhook URL'],
    ['https://acct.blob.core.windows.net/c?sv=2020&sig=QQq9f8e7d6c5b4a3928171%3D',
      'an Azure SAS signature'],
    ['restore: mysql -u root -pQQe9f8e7d6zz orders', 'a password on a command line'],
    ['sshpass -p QQf9f8e7d6zz ssh root@x', 'a password on a command line'],
    ['sshpass -pQQf9f8e7d6zz scp a b:', 'a password on a command line'],
  ])('refuses %s as %s', (text, kind) => {
    expect(secretKindIn(text)).toBe(kind);
  });

  it.each([
    'PGPASSWORD=${PGPASSWORD} psql',
    'PGPASSWORD=**** (masked)',
    'PGPASSWORD=<password> goes here',
    'PGPASSWORD=abc12 (too short for a secret)',
    'bypass=enabled for now',
    'compass=northwest',
    'Authorization: Bearer <token> header',
    'Bearer authentication is required',
    'fe80::1%eth0 and [2001:db8::1]:443',
    'db-prod-01.example:5432 is the primary',
    'root@db-prod-01.example (console)',
    'contact alice.smith@example.com today',
    'owner:alice.smith@example.com',
    'arn:aws:iam::123456789012:user/x',
    'spiffe://example.org/ns/prod/sa/web',
    'selector k8s:ns:default and k8s:sa:web',
    'image nginx:1.25@sha256:0123456789abcdef',
    'git@github.com:org/repo.git mirror',
    'pkg:npm/lodash@4.17.21 (dependency)',
    'mysql -u root -p orders (asks for it)',
    'mysql -h db -P3306 -u app orders',
    'sshpass -P assphrase -f /etc/pw ssh x',
    'mysql -u root -p${MYSQL_PWD} orders',
    'docs: https://hooks.slack.com/services is the endpoint',
  ])('keeps %s', (text) => {
    expect(secretKindIn(text)).toBeUndefined();
  });

  it('refuses any *PASSWORD= label with any value of 6 characters or more', () => {
    const label = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,8}_?$/);
    const value = fc.stringMatching(/^[A-Za-z0-9]{6,20}[0-9]$/)
      .filter((v) => !isPlaceholder(v));
    const spelling = fc.constantFrom('PASSWORD', 'password', 'Password', 'PASSWD');
    const quote = fc.constantFrom('', '"', "'");
    fc.assert(fc.property(label, spelling, quote, value, (l, s, q, v) => {
      expect(secretKindIn(`run with ${l}${s}=${q}${v}${q} set`)).toBe(
        'a password or secret assignment');
    }), { numRuns: 300 });
  });

  it('keeps user@host, host:port and IPv6 addresses of any shape', () => {
    const label = fc.stringMatching(/^[a-z][a-z0-9._-]{0,15}$/);
    const host = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}(\.[a-z][a-z0-9-]{0,10}){0,3}$/);
    const port = fc.integer({ min: 1, max: 65535 });
    const v6 = fc.ipV6();
    fc.assert(fc.property(label, host, port, v6, (u, h, p, ip) => {
      const text = `${u}@${h} ${h}:${p} [${ip}]:${p} ${ip} ${u}:${h}@${h}`;
      expect(secretKindIn(text)).toBeUndefined();
    }), { numRuns: 300 });
  });
});

describe('findSecret', () => {
  it('gives where the secret part starts, after its label', () => {
    const name = 'gcp.label.db_password=Hunter2Pass99';
    const found = findSecret(name);
    expect(found?.kind).toBe('a password or secret assignment');
    expect(name.slice(0, found?.start)).toBe('gcp.label.db_password=');
  });
});
