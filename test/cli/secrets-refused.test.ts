import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_RECORD_CHARS } from '../../src/sources/common.js';
import { AWS_SECRET, GITHUB, SECRET_SAMPLES } from '../helpers/secret-samples.js';
import { roster } from '../helpers/cli.js';

const CMDB = readFileSync('examples/estate/cmdb-servers.csv', 'utf8');
const REPORT = readFileSync('examples/estate/aws-credential-report.csv', 'utf8');
const AS_OF = ['--as-of', '2026-11-30T07:00:00Z', '--no-judge', '-q'];

let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'roster-secrets-'));
  db = join(dir, 'r.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Every byte Roster wrote for the database (the file, its WAL and journal). */
function dbBytes(): string {
  return readdirSync(dir)
    .filter((n) => n.startsWith('r.db'))
    .map((n) => readFileSync(join(dir, n)).toString('latin1'))
    .join('');
}

async function ingestText(name: string, text: string, ...flags: string[]) {
  const file = join(dir, name);
  writeFileSync(file, text);
  return { file, r: await roster('--db', db, 'ingest', file, ...AS_OF, ...flags) };
}

describe('roster ingest refuses rows that hold a secret', () => {
  it('stores nothing of a file whose every row is refused, not even the owners they name', async () => {
    // Every CMDB row's description holds a password: all 11 rows are refused.
    const rows = parse(CMDB, { columns: true }) as Record<string, string>[];
    const bad = rows.map((row) => ({ ...row, short_description: 'password=Hunter2Secret99' }));
    const text = stringify(bad, { header: true });
    const { r } = await ingestText('cmdb.csv', text);
    expect(r.code).toBe(1);
    expect(r.err.match(/rejected: /g)).toHaveLength(rows.length);
    expect(r.out).toMatch(/cmdb\.csv\s+servicenow-cmdb\s+0\s+0\s+0\s+0\s+11\s/);
    expect((await roster('--db', db, 'owners')).out).not.toContain('Maria Okafor');
    // One good row: its owners land, the refused rows' owners only where it names them.
    const good = stringify([rows[0]!, ...bad.slice(1)], { header: true });
    const again = await ingestText('cmdb2.csv', good);
    // web-prod-01, its owner and its support group.
    expect(again.r.out).toMatch(/cmdb2\.csv\s+servicenow-cmdb\s+3\s/);
    const owners = (await roster('--db', db, 'owners')).out;
    expect(owners).toContain('Maria Okafor');
    expect(owners).not.toContain('Data Platform');
  });

  it('an AWS secret in a CMDB description: refused, the rest lands, value not stored', async () => {
    const text = CMDB.replace('Customer-facing web tier', `aws_secret_access_key = ${AWS_SECRET}`);
    const { file, r } = await ingestText('cmdb.csv', text);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`rejected: ${file}:line 2 field purpose: purpose looks like an AWS`);
    expect(r.err).not.toContain(AWS_SECRET);
    expect(dbBytes()).not.toContain(AWS_SECRET.slice(0, 20));
    expect((await roster('--db', db, 'show', 'web-prod-01')).code).not.toBe(0);
    expect((await roster('--db', db, 'show', 'db-prod-01')).out).toContain('db-prod-01');
  });

  it('a GitHub token in a CMDB short_description', async () => {
    const text = CMDB.replace('Orders database', `"Orders database, deploy token ${GITHUB}"`);
    const { file, r } = await ingestText('cmdb.csv', text);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/line 3 field (short_description|purpose): .*(GitHub token|secret)/);
    expect(r.err).toContain(`rejected: ${file}:line 3`);
    expect(r.err).not.toContain(GITHUB);
    expect(dbBytes()).not.toContain(GITHUB);
    expect(dbBytes()).toContain('web-prod-01');
  });

  it.each([
    ['labelled', `aws_secret_access_key = ${AWS_SECRET}`],
    ['bare', AWS_SECRET],
  ])('an AWS secret (%s) in the arn column of a credential report', async (_, secret) => {
    const text = REPORT.replace('arn:aws:iam::048211339100:user/maria.okafor', secret);
    const { file, r } = await ingestText('credential-report.csv', text);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`rejected: ${file}:line 3 field arn: arn looks like an AWS secret`);
    expect(r.err).not.toContain(AWS_SECRET);
    expect(dbBytes()).not.toContain(AWS_SECRET.slice(0, 20));
    expect(dbBytes()).toContain('048211339100');
  });

  it.each(SECRET_SAMPLES.map(([v, kind]) => [kind, v] as const))(
    '%s in a description is refused and absent from the database file (%s)',
    async (_kind, value) => {
      const escaped = `"${value.replace(/"/g, '""')}"`;
      const text = CMDB.replace('Customer-facing web tier', escaped);
      const { r } = await ingestText('cmdb.csv', text);
      expect(r.code).toBe(1);
      // The CMDB reader's own check or the field guard, whichever sees it first.
      expect(r.err).toMatch(/line 2 field (short_description|purpose): .*secret/);
      const needle = value.length > 40 ? value.slice(-24) : value;
      expect(dbBytes()).not.toContain(needle);
    },
  );

  it.each([
    ['a password in a URL', 'postgres://admin:', 'S3cr3tPassFFFF6', '@db-prod-01:5432/orders'],
    // 39 characters: one short of the standalone shape, caught by its label.
    ['an AWS secret access key', 'aws_secret_access_key=', AWS_SECRET.slice(1), ''],
  ])('%s in legacy-ftp-01\'s description is refused, named by field and kind', async (
    kind, before, secret, after,
  ) => {
    const text = CMDB.replace('Partner file drop', `${before}${secret}${after}`);
    const { file, r } = await ingestText('cmdb.csv', text);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`rejected: ${file}:line 8 field purpose: purpose looks like ${kind}`);
    expect(r.err).not.toContain(secret);
    expect(dbBytes()).not.toContain(secret);
    expect((await roster('--db', db, 'show', 'legacy-ftp-01')).code).not.toBe(0);
  });

  it('identifiers in a description are kept', async () => {
    const ids = 'AKIAIOSFODNN7EXAMPLE 550e8400-e29b-41d4-a716-446655440000 ' +
      'spiffe://example.org/ns/prod/sa/web SHA256:' + 'ab12'.repeat(16);
    const { r } = await ingestText('cmdb.csv', CMDB.replace('Customer-facing web tier', ids));
    expect(r.err).not.toContain('rejected');
    expect(r.code).toBe(0);
    expect(dbBytes()).toContain('spiffe://example.org/ns/prod/sa/web');
  });

  it('a value over the limit is refused naming the field; the limit is configurable', async () => {
    const long = 'x'.repeat(70_000);
    const text = CMDB.replace('Customer-facing web tier', long);
    const { file, r } = await ingestText('cmdb.csv', text);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${file}:line 2 field purpose: purpose is 70000 characters long`);
    const config = join(dir, 'roster.config.yaml');
    writeFileSync(config, 'ingest:\n  maxValueLength: 100000\n');
    const again = await roster('--config', config, '--db', db, 'ingest', file, ...AS_OF);
    expect(again.err).not.toContain('rejected');
    expect(again.code).toBe(0);
  });

  it('a CSV record past the reader bound is refused by its line; later rows land', async () => {
    const huge = `"${'y'.repeat(10 * 1024 * 1024)}"`;
    const text = CMDB.replace('Customer-facing web tier', huge);
    const { file, r } = await ingestText('cmdb.csv', text);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`rejected: ${file}:line 2 a record longer than ${MAX_RECORD_CHARS} ` +
      'characters; it was left out, the rest was read');
    expect(r.out).toMatch(/servicenow-cmdb\s+17\s+0\s+0\s+0\s+1\s.*partial: 1 row refused/);
    expect(dbBytes()).not.toContain('y'.repeat(100));
    expect(dbBytes()).not.toContain('web-prod-01.halvard');
    for (const name of ['db-prod-01', 'report-gen-02', 'legacy-ftp-01', 'svc-reportgen']) {
      expect((await roster('--db', db, 'show', name)).code, name).toBe(0);
    }
  });

  it.each([
    [2000, 'field key k8s-ref: key k8s-ref is 2017 characters long, more than the limit of 1024'],
    [2 * MAX_RECORD_CHARS, `a JSON value longer than ${MAX_RECORD_CHARS} characters`],
  ])('a Pod with a %i-character name is refused and not stored', async (length, message) => {
    const name = 'p'.repeat(length);
    const pod = {
      apiVersion: 'v1', kind: 'Pod', status: { phase: 'Running' },
      metadata: { name, namespace: 'default', uid: '550e8400-e29b-41d4-a716-446655440000' },
      spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx' }] },
    };
    const { r } = await ingestText('pod.json', JSON.stringify(pod), '--scope', 'k8s:test');
    expect(r.code).toBe(1);
    expect(r.err).toContain(message);
    expect(dbBytes()).not.toContain('p'.repeat(1000));
  });
});

/** A GCP Cloud Asset Inventory line for one instance, with these labels. */
function gcpInstance(labels: Record<string, string>): string {
  return JSON.stringify({
    name: '//compute.googleapis.com/projects/pay-prod-7f3a/zones/europe-west1-b' +
      '/instances/batch-old',
    asset_type: 'compute.googleapis.com/Instance',
    resource: {
      parent: '//cloudresourcemanager.googleapis.com/projects/482910376655',
      data: {
        creationTimestamp: '2022-01-10T00:00:00Z', id: '1', labels, name: 'batch-old',
        networkInterfaces: [{ networkIP: '10.20.0.9' }], status: 'TERMINATED',
      },
    },
    ancestors: ['projects/482910376655', 'organizations/730146829145'],
  });
}

describe('tester report 2: common secret patterns are refused, never echoed (C, D)', () => {
  it.each([
    ['PGPASSWORD=QQd9f8e7d6', 'QQd9f8e7d6', 'a password or secret assignment'],
    ['"PGPASSWORD=""QQx9f8e7d6"""', 'QQx9f8e7d6', 'a password or secret assignment'],
    ['MYSQL_ROOT_PASSWORD=QQy9f8e7d6', 'QQy9f8e7d6', 'a password or secret assignment'],
    ['pass=W0rdQQ7zzzzz', 'W0rdQQ7zzzzz', 'a password or secret assignment'],
    ['passphrase: W0rdQQ8zzzzz', 'W0rdQQ8zzzzz', 'a password or secret assignment'],
    ['Authorization: Bearer QQa9f8e7d6c5b4a3928171', 'QQa9f8e7d6c5b4a3928171',
      'an HTTP Authorization credential'],
    ['Authorization: Basic YWRtaW46UVFiOWY4ZTdkNg==', 'YWRtaW46UVFiOWY4ZTdkNg',
      'an HTTP Authorization credential'],
    ['https://hooks.slack.com/services/T00000000/B00000000/QQp9f8e7d6c5b4a392817',
      'QQp9f8e7d6c5b4a392817', 'a Slack webhook URL'],
    ['https://acct.blob.core.windows.net/c?sv=2020&sig=QQq9f8e7d6c5b4a3928171%3D',
      'QQq9f8e7d6c5b4a3928171', 'an Azure SAS signature'],
    ['mysql -u root -pQQe9f8e7d6zz', 'QQe9f8e7d6zz', 'a password on a command line'],
    ['sshpass -p QQf9f8e7d6zz ssh root@x', 'QQf9f8e7d6zz', 'a password on a command line'],
  ])('a CMDB description %s: refused, not stored', async (cell, value, kind) => {
    const { file, r } = await ingestText('cmdb.csv', CMDB.replace('Orders database', cell));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`rejected: ${file}:line 3 field purpose: purpose looks like ${kind}`);
    expect(r.err).not.toContain(value);
    expect(dbBytes()).not.toContain(value);
    expect(dbBytes()).toContain('web-prod-01');
  });

  it('a userinfo password without a scheme in the fqdn key column', async () => {
    const fqdn = 'user:W0rdQQSzzzz@legacy-ftp-01.halvard.example';
    const text = CMDB.replace('legacy-ftp-01.halvard.example', fqdn);
    const { r } = await ingestText('cmdb.csv', text);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/field fqdn: fqdn looks like a password in user:password@host/);
    expect(r.err).not.toContain('W0rdQQSzzzz');
    expect(dbBytes()).not.toContain('W0rdQQSzzzz');
  });

  it('a GCP label whose name holds a password: the name is masked', async () => {
    const line = gcpInstance({ criticality: 'tier1', 'db_password=Hunter2Pass99': 'x' });
    const { r } = await ingestText('gcp.jsonl', `${line}\n`);
    expect(r.code).toBe(1);
    expect(r.err).toContain('gcp.label.db_password=…');
    expect(r.err).toContain('the name itself holds what looks like a password');
    expect(r.err).not.toContain('Hunter2');
    expect(dbBytes()).not.toContain('Hunter2');
  });

  it('a CSV column whose header holds a password: warned and refused, masked', async () => {
    const lines = CMDB.split('\n');
    const text = [`${lines[0]},db_password=Hunter2Pass99`, `${lines[1]},x`].join('\n');
    const { r } = await ingestText('cmdb.csv', `${text}\n`);
    expect(r.code).toBe(1);
    expect(r.err).toContain("column 'db_password=…' is not a known ServiceNow field");
    expect(r.err).toContain('cmdb.db_password=…: the name itself holds');
    expect(r.err).not.toContain('Hunter2');
    expect(dbBytes()).not.toContain('Hunter2');
  });

  it('a JSON line that is not JSON: its line and column, not its text', async () => {
    const bad = '{"name":"x","token":S3cr3tTokenValue99}';
    const { file, r } = await ingestText('gcp.jsonl', `${gcpInstance({ env: 'prod' })}\n${bad}\n`);
    expect(r.err).toContain(`${file}:line 2`);
    expect(r.err).toContain('not a JSON value at column 21');
    expect(r.err).not.toContain('S3cr3t');
    expect(dbBytes()).not.toContain('S3cr3t');
  });
});

describe('tester report 3: AWS keys, private key armours, tokens, run file names', () => {
  const K = AWS_SECRET;
  const id = (n: number) => n.toString(16).padStart(32, '0');
  const GITLAB = ['glpat', 'xYz1234567890AbCdEfGh'].join('-');

  it('refuses an AWS key after a label or an access key id, and a PGP private key', async () => {
    const text = 'sys_id,name,sys_class_name,short_description\n' +
      `${id(1)},h1,cmdb_ci_linux_server,"AWSSecretKey=${K}"\n` +
      `${id(2)},h2,cmdb_ci_linux_server,"creds:AKIAIOSFODNN7EXAMPLE/${K}"\n` +
      `${id(3)},h3,cmdb_ci_linux_server,"-----BEGIN PGP PRIVATE KEY BLOCK----- lQOYBF0abc ` +
      '-----END PGP PRIVATE KEY BLOCK-----"\n' +
      `${id(4)},h4,cmdb_ci_linux_server,"ci token ${GITLAB}"\n` +
      `${id(5)},h5,cmdb_ci_linux_server,"key 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"\n`;
    const { file, r } = await ingestText('l.csv', text);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`rejected: ${file}:line 2 field purpose: purpose looks like an AWS`);
    expect(r.err).toContain(`rejected: ${file}:line 3 field purpose: purpose looks like an AWS`);
    // The CMDB reader's own scan refuses a private key first, as it does an EC key's.
    expect(r.err).toContain(`rejected: ${file}:line 4 field short_description: 'short_descr`);
    expect(r.err).toContain(`rejected: ${file}:line 5 field purpose: purpose looks like a GitLab`);
    expect(r.err.match(/\[SECRET_(VALUE|REFUSED)\]/g)).toHaveLength(4);
    for (const s of [K, 'lQOYBF0abc', GITLAB]) {
      expect(r.err + r.out).not.toContain(s);
      expect(dbBytes()).not.toContain(s);
    }
    // The fingerprint is an identifier: its row lands.
    expect((await roster('--db', db, 'show', 'h5')).code).toBe(0);
  });

  it('refuses a PGP private key in an EC2 tag value', async () => {
    const ec2 = readFileSync('examples/estate/aws-ec2-instances-2026-11-30.json', 'utf8')
      .replace('"storefront"', '"-----BEGIN PGP PRIVATE KEY BLOCK----- lQOYBF0abc"');
    const { r } = await ingestText('ec2.json', ec2);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/SECRET/);
    expect(r.err + r.out).not.toContain('lQOYBF0abc');
    expect(dbBytes()).not.toContain('lQOYBF0abc');
  });

  it.each([
    [`${GITHUB}.csv`, GITHUB, '….csv'],
    ['postgres:__admin:Sup3rS3cretX@db.csv', 'Sup3rS3cretX', 'postgres:__admin:…@db.csv'],
  ])('a file named %s: the run keeps and prints its name masked', async (name, secret, shown) => {
    const { r } = await ingestText(name, CMDB);
    expect(r.code).toBe(0);
    expect(r.out).toContain(shown);
    expect(r.out + r.err).not.toContain(secret);
    const runs = await roster('--db', db, 'runs', '-o', 'json');
    expect(runs.out).toContain(shown);
    expect(runs.out).not.toContain(secret);
    expect(dbBytes()).not.toContain(secret);
  });

  it('a file name with a secret in a bad row and in an unreadable file is masked', async () => {
    const bad = CMDB.replace('Orders database', 'password=Hunter2Pass99');
    const { r } = await ingestText(`${GITHUB}.csv`, bad);
    expect(r.err).toContain('….csv:line 3 field purpose');
    expect(r.out + r.err).not.toContain(GITHUB);
    const missing = await roster('--db', db, 'ingest', join(dir, `gone-${GITHUB}.csv`), ...AS_OF);
    expect(missing.code).not.toBe(0);
    expect(missing.out + missing.err).not.toContain(GITHUB);
  });
});
