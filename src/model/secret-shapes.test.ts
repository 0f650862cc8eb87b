import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkObservation, DEFAULT_FIELD_LIMITS } from './field-guard.js';
import { containsPrivateKey, looksLikeSecretValue } from './secrets.js';
import {
  findSecret,
  isAwsSecretShape,
  isPlaceholder,
  maskSecrets,
  secretKindIn,
} from './secret-shapes.js';
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

/** 40 base64 characters with both cases and a digit (and a `/` or `+` when `strict`). */
const awsKey = (strict: boolean) => fc.array(fc.constantFrom(...B64), { minLength: 40,
  maxLength: 40 }).map((a) => a.join('')).filter((v) => isAwsSecretShape(v, strict));
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.split('');
const chars = (set: readonly string[], n: number, max = n) =>
  fc.array(fc.constantFrom(...set), { minLength: n, maxLength: max }).map((a) => a.join(''));
const HEX = '0123456789abcdef'.split('');

describe('private keys of any armour (tester report 3, defect 1)', () => {
  it('refuses -----BEGIN … PRIVATE KEY…----- whatever words stand around PRIVATE KEY', () => {
    const before = fc.constantFrom('', 'PGP ', 'OPENSSH ', 'ENCRYPTED ', 'RSA ', 'DSA ', 'EC ',
      'SSH2 ENCRYPTED ');
    const after = fc.constantFrom('', ' BLOCK');
    fc.assert(fc.property(before, after, chars(B64, 0, 30), (b, a, body) => {
      const armour = `${b}PRIVATE KEY${a}-----`;
      const text = `x -----BEGIN ${armour} ${body} -----END ${armour}`;
      expect(secretKindIn(text)).toBe('a private key');
      // The raw-record scans (AWS, Entra, GCP, ...) refuse it by the same armour.
      expect(containsPrivateKey(text)).toBe(true);
      expect(maskSecrets(text)).toBe('x …');
    }), { numRuns: 200 });
  });

  it.each([
    '-----BEGIN PUBLIC KEY----- MFkwEwYHKoZIzj0CAQYIKoZI',
    '-----BEGIN PGP PUBLIC KEY BLOCK----- mQINBF0abc',
    '-----BEGIN CERTIFICATE----- MIIDdzCCAl+gAwIBAgIE',
    'the private key is in the vault, see -----BEGIN markers',
  ])('keeps %s', (text) => {
    expect(secretKindIn(text)).toBeUndefined();
    expect(containsPrivateKey(text)).toBe(false);
  });
});

describe('AWS secret access keys after a label or an access key id (defect 1)', () => {
  const K = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYEXAMPLEKEY'].join('/');
  it.each([
    `AWSSecretKey=${K}`,
    `creds:AKIAIOSFODNN7EXAMPLE/${K}`,
    `secret_key:${K}`,
    `"SecretKey": "${K}"`,
    `aws_key = ${K}`,
    `AKIAIOSFODNN7EXAMPLE:${K}`,
    `AKIAIOSFODNN7EXAMPLE ${K}`,
  ])('refuses %s', (text) => {
    // As an AWS key, or first as a secret assignment (`"SecretKey": "…"`).
    expect(secretKindIn(text)).toMatch(/AWS secret|secret assignment/);
    expect(maskSecrets(text)).not.toContain('EXAMPLEKEY');
  });

  it('refuses a key under any label naming a secret, mixed case and a digit enough', () => {
    const label = fc.tuple(chars(ALNUM, 0, 6), fc.constantFrom('Secret', 'secret', 'SECRET'),
      fc.constantFrom('', 'Key', '_key', 'AccessKey')).map((p) => p.join(''));
    fc.assert(fc.property(label, fc.constantFrom('=', ':', ' = ', '": "'), awsKey(false),
      (l, eq, k) => {
        // Refused: as an AWS key, or first as a secret assignment (`secret_key=…`).
        expect(secretKindIn(`${l}${eq}${k}`)).toMatch(/AWS secret|secret assignment/);
      }), { numRuns: 300 });
  });

  it('refuses a key after an access key id and a separator', () => {
    const id = fc.tuple(fc.constantFrom('AKIA', 'ASIA'), chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
      .split(''), 16)).map((p) => p.join(''));
    fc.assert(fc.property(id, fc.constantFrom('/', ':', ' ', ',', '|', ' / '), awsKey(false),
      (i, sep, k) => {
        expect(secretKindIn(`creds ${i}${sep}${k} end`)).toBe('an AWS secret access key');
      }), { numRuns: 300 });
  });

  it.each([
    'key=2fd4e1c67a2d28fced849ee1bb76e7391b93eb12',
    'AKIAIOSFODNN7EXAMPLE/2fd4e1c67a2d28fced849ee1bb76e7391b93eb12',
    'AKIAIOSFODNN7EXAMPLE is the access key id',
    'secret_name=2FD4E1C67A2D28FCED849EE1BB76E7391B93EB12',
    'cache_key=abcdefghijABCDEFGHIJabcdefghijABCDEFGHIJ',
    'fingerprint: SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8',
    'public_key=AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl',
  ])('keeps %s', (text) => {
    expect(secretKindIn(text)).toBeUndefined();
  });
});

describe('well-known tokens by their prefixes (tester report 3, defect 2)', () => {
  const shapes: ReadonlyArray<[string, fc.Arbitrary<string>]> = [
    ['a GitLab token', fc.tuple(fc.constantFrom('glpat-', 'gldt-', 'glrt-'),
      chars([...ALNUM, '_', '-'], 20, 40)).map((p) => p.join(''))],
    ['a SendGrid API key', fc.tuple(chars(ALNUM, 22), chars(ALNUM, 43))
      .map(([a, b]) => `SG.${a}.${b}`)],
    ['an Atlassian API token', chars(ALNUM, 20, 190).map((t) => `ATATT3x${t}`)],
    ['a DigitalOcean token', fc.tuple(fc.constantFrom('dop', 'doo', 'dor'), chars(HEX, 64))
      .map(([p, t]) => `${p}_v1_${t}`)],
    ['a Shopify token', fc.tuple(fc.constantFrom('shpat', 'shpss', 'shpca', 'shppa'),
      chars(HEX, 32)).map(([p, t]) => `${p}_${t}`)],
    ['an Azure storage account key', chars(B64, 43).map((k) => `AccountKey=${k}=`)],
  ];
  it.each(shapes)('refuses %s anywhere in a text, and the raw scans refuse it alone',
    (kind, token) => {
      fc.assert(fc.property(token, (t) => {
        expect(secretKindIn(`deploy with ${t}; then`)).toBe(kind);
        expect(maskSecrets(`deploy with ${t}; then`)).not.toContain(t.slice(-12));
        if (!t.startsWith('AccountKey')) expect(looksLikeSecretValue(t)).toBe(true);
      }), { numRuns: 100 });
    });

  it.each([
    'glpat-short',
    'SG.mysite.example.com',
    'ATATT3 is a ticket',
    'dop_v1_notes',
    'shpat_1234',
    'AccountKey=<your key>',
    'AccountKey=****************************',
  ])('keeps %s', (text) => {
    expect(secretKindIn(`${text} `.padEnd(14, '.'))).toBeUndefined();
  });
});

describe('maskSecrets', () => {
  it('replaces each secret part by … and keeps the rest of a name', () => {
    const gh = ['ghp', 'aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789'].join('_');
    expect(maskSecrets(`/uploads/${gh}.csv`)).toBe('/uploads/….csv');
    expect(maskSecrets('/tmp/postgres:__admin:Sup3rS3cretX@db.csv'))
      .toBe('/tmp/postgres:__admin:…@db.csv');
    expect(maskSecrets(`a ${gh} b ${gh} c`)).toBe('a … b … c');
    expect(maskSecrets('/tmp/cmdb-servers.csv')).toBe('/tmp/cmdb-servers.csv');
  });

  it('leaves nothing a secret in any text it masks', () => {
    fc.assert(fc.property(scheme, password, fc.string(), (s, pw, rest) => {
      const masked = maskSecrets(`${rest}${s}://u:${pw}@db/${rest}`);
      expect(secretKindIn(masked)).toBeUndefined();
    }), { numRuns: 300 });
  });
});
