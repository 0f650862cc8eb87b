import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApp } from '../../src/app.js';
import { ingestFiles } from '../../src/cli/ingest-command.js';
import { fixedClock } from '../../src/model/time.js';
import type { Observation } from '../../src/model/types.js';
import { awsIamCli } from '../../src/sources/aws/index.js';
import { corpusFiles, corpusPath, hasCorpus } from '../helpers/corpus.js';
import { parseFile, type Parsed } from '../helpers/parse.js';

const IAM = 'aws-iam-json';
const AUTH_DETAILS = 'awscli-docs_iam_get-account-authorization-details.json';
const DOCS = '123456789012';
const C7N = '644160558196';

const read = (name: string, scope?: string): Promise<Parsed> =>
  parseFile(awsIamCli, corpusPath(IAM, name), scope ? { scope } : {});
const docs = (shape: string, scope?: string): Promise<Parsed> =>
  read(`awscli-docs_iam_${shape}.json`, scope);

function byId(p: Parsed, sourceId: string): Observation {
  const o = p.observations.find((x) => x.sourceId === sourceId);
  if (!o) throw new Error(`no observation ${sourceId}`);
  return o;
}

const status = (p: Parsed): [string, unknown, unknown][] =>
  p.observations.map((o) => [o.sourceId, o.attributes['active'], o.attributes['createdAt']]);

describe.skipIf(!hasCorpus)('aws-iam-cli over the corpus', () => {
  const files = corpusFiles(IAM).filter((f) => basename(f) !== AUTH_DETAILS);

  it('reads every list/get output without a crash or a rejection', async () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
    for (const path of files) {
      const p = await parseFile(awsIamCli, path);
      expect(p.rejections, path).toEqual([]);
      expect(p.meta.complete, path).toBeTypeOf('boolean');
    }
  });

  it('reads the documented access keys, one Active and one Inactive', async () => {
    const p = await docs('list-access-keys', DOCS);
    expect(status(p)).toEqual([
      ['AKIAIOSFODNN7EXAMPLE', true, '2013-06-04T18:17:34.000Z'],
      ['AKIAI44QH8DHBEXAMPLE', false, '2013-06-06T20:42:26.000Z'],
    ]);
    expect(p.observations[0]?.relations).toEqual([{ type: 'belongs-to',
      target: { type: 'name', value: 'bob' } }]);
    expect(p.meta).toEqual({ scopes: [`aws:${DOCS}:user/Bob:access-keys`], complete: true });
  });

  it('reads recorded ListAccessKeys responses, dated by their HTTP date header', async () => {
    const p = await read(
      'cli-normalized/c7n_test_iam_user_credential_multi_delete_noop__ListAccessKeys.json');
    expect(status(p)).toEqual([
      ['AKIAY5Y4D45RM747RB4P', false, '2020-02-03T09:50:07.000Z'],
      ['AKIAY5Y4D45RLQZNWRQL', true, '2099-02-03T09:50:21.000Z'],
    ]);
    const placebo = await read('c7n_test_iam_access_key_list__ListAccessKeys.placebo.json');
    expect(status(placebo)).toEqual([
      ['AKIAI5PSD5WUP3AO2OPA', true, '1990-08-21T19:35:09.000Z'],
      ['AKIAZL6XWCR2EAE3M5WG', true, '2020-01-21T20:05:55.000Z'],
    ]);
    // Without --scope the account is unknown: partial, so it can mark nothing missing.
    expect(placebo.meta).toMatchObject({ complete: false, asOf: '2020-01-21T20:33:46.000Z' });
  });

  it('reads list-users with PasswordLastUsed, bare and recorded alike', async () => {
    const cli = await read('cli-normalized/c7n_test_iam_user_console_old__ListUsers.json');
    const rec = await read('c7n_test_iam_user_console_old__ListUsers.placebo.json');
    const andrew = `arn:aws:iam::${C7N}:user/andrew`;
    expect(byId(cli, andrew).attributes).toEqual(byId(rec, andrew).attributes);
    expect(byId(rec, andrew).attributes).toMatchObject({ createdAt: '2016-08-30T17:37:35.000Z',
      passwordLastUsedAt: '2016-11-16T14:10:34.000Z', account: C7N });
    expect(byId(rec, andrew).keys).toContainEqual({ type: 'aws-unique-id',
      value: 'AIDAINLXB4P6J26AKFUC6' });
    expect(rec.meta).toEqual({ scopes: [`aws:${C7N}:users`], complete: true,
      asOf: '2016-11-25T12:29:45.000Z' });
  });

  it('does not key users by the access key ids the CLI reference prints as UserId', async () => {
    const p = await docs('list-users');
    expect(p.observations.flatMap((o) => o.keys).map((k) => k.type)).not.toContain('aws-unique-id');
    expect(p.warnings.map((w) => w.field)).toEqual(['UserId', 'UserId']);
  });

  it('reads roles: last use, URL-encoded trust policies and instance profiles', async () => {
    const role = await docs('get-role');
    expect(byId(role, `arn:aws:iam::${DOCS}:role/Test-Role`).attributes).toMatchObject({
      lastUsedAt: '2019-11-13T17:14:00.000Z', 'aws.lastUsedRegion': 'us-east-1' });
    const unused = await read('c7n_test_iam_role_unused__ListRoles.placebo.json');
    expect(byId(unused, `arn:aws:iam::${C7N}:role/custodian-mu`).attributes)
      .toMatchObject({ 'aws.trustedServices': ['lambda.amazonaws.com'],
        createdAt: '2016-08-27T12:02:50.000Z' });
    const profiles = await docs('list-instance-profiles');
    expect(byId(profiles, `arn:aws:iam::${DOCS}:role/example-s3-role`).keys).toContainEqual({
      type: 'aws-arn', value: `arn:aws:iam::${DOCS}:instance-profile/example-s3-role` });
  });

  it('reads the other credentials with their statuses and dates', async () => {
    const ssc = await docs('list-service-specific-credentials');
    expect(status(ssc)).toEqual([
      ['ACCAQFODXMPL4YFHP7DZE', false, '2019-10-01T04:31:41.000Z'],
      ['ACCAQFOXMPL6VW57M7AJP', true, '2019-10-01T04:31:45.000Z'],
    ]);
    expect(ssc.meta.scopes).toEqual([`aws:${DOCS}:user/developer:service-specific-credentials`]);
    expect(status(await docs('list-ssh-public-keys'))).toEqual([
      ['APKA1234567890EXAMPLE', false, '2019-04-18T17:04:49.000Z']]);
    expect(status(await docs('list-signing-certificates'))).toEqual([
      ['TA7SMP42TDN5Z26OBPJE7EXAMPLE', false, '2013-06-06T21:40:08.000Z']]);
    const tls = await docs('list-server-certificates');
    expect(tls.observations.map((o) => [o.attributes['name'], o.attributes['expiresAt']])).toEqual([
      ['myUpdatedServerCertificate', '2019-10-15T22:23:16.000Z'],
      ['MyTestCert', '2018-01-14T17:52:36.000Z'],
    ]);
  });

  it('ties login profiles and MFA devices to the user only when the account is known',
    async () => {
      expect((await docs('get-login-profile')).observations).toEqual([]);
      const login = await docs('get-login-profile', `aws:${DOCS}`);
      expect(login.observations[0]?.attributes).toMatchObject({ passwordEnabled: true,
        'aws.loginProfileCreatedAt': '2012-09-21T23:03:39.000Z' });
      const mfa = await docs('list-mfa-devices');
      expect(mfa.observations[0]?.attributes['aws.mfaDevices']).toHaveLength(4);
      expect(mfa.observations[0]?.keys[0]).toEqual({ type: 'external-id',
        value: `aws-iam-user:${DOCS}:bob` });
      // Neither documented virtual device is assigned to a user.
      expect((await docs('list-virtual-mfa-devices')).observations).toEqual([]);
    });

  it('keeps nothing it cannot tie to a thing, and says what would tie it', async () => {
    for (const shape of ['list-user-tags', 'list-role-tags', 'get-access-key-last-used']) {
      const p = await docs(shape);
      expect(p.observations, shape).toEqual([]);
      expect(p.warnings.map((w) => w.code), shape).toEqual(['UNATTRIBUTED']);
    }
  });

  it('ingests the whole folder through the CLI path with every file read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-iam-corpus-'));
    writeFileSync(join(dir, 'roster.config.yaml'), '');
    const app = await openApp({ db: join(dir, 'r.db'), config: join(dir, 'roster.config.yaml') });
    try {
      const outcomes = await ingestFiles(app, [corpusPath(IAM)], { quiet: true },
        fixedClock('2026-12-04T00:00:00.000Z'), () => undefined);
      expect(outcomes).toHaveLength(files.length + 1);
      expect(outcomes.filter((o) => o.error || o.result?.rejections.length)).toEqual([]);
      const [key] = await app.store.findByKey({ type: 'aws-access-key-id',
        value: 'AKIAI44QH8DHBEXAMPLE' }, 'credential');
      expect(key?.attributes['active']?.value).toBe(false);
      expect(key?.attributes['active']?.format).toBe('aws-iam-cli');
    } finally {
      await app.close();
    }
  });
});
