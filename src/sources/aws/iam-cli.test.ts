import { describe, expect, it } from 'vitest';
import type { Observation } from '../../model/types.js';
import { parseText, type Parsed } from '../../../test/helpers/parse.js';
import { detectFormat } from '../registry.js';
import { awsIamCli as format } from './iam-cli.js';

const ACCOUNT = '210987654321';
const ARN = `arn:aws:iam::${ACCOUNT}`;
const json = (doc: unknown): string => JSON.stringify(doc, null, 4);
const parse = (doc: unknown, name = 'out.json', scope?: string): Promise<Parsed> =>
  parseText(format, name, json(doc), scope ? { scope } : {});

function byId(p: Parsed, sourceId: string): Observation {
  const o = p.observations.find((x) => x.sourceId === sourceId);
  if (!o) throw new Error(`no observation ${sourceId}`);
  return o;
}

const keys = (doc: unknown[]) => ({ AccessKeyMetadata: doc, IsTruncated: false });
const key = (id: string, status: string, created = '2026-03-02T10:00:00+00:00') =>
  ({ UserName: 'svc-billing', AccessKeyId: id, Status: status, CreateDate: created });
const envelope = (data: unknown) => ({ status_code: 200, data });

describe('aws-iam-cli detection', () => {
  it('claims each output by its top-level member, bare or in a recorded envelope', () => {
    const heads = ['{"Users": [', '{"AccessKeyMetadata": [', '{"Role": {', '{"LoginProfile": {',
      '{"UserName": "x", "AccessKeyLastUsed": {', '{"ServerCertificateMetadataList": [',
      '{"status_code": 200, "data": {"ResponseMetadata": {"RequestId": "r"}, "Roles": ['];
    for (const head of heads) {
      expect(detectFormat({ path: 'x.json', head }).name, head).toBe('aws-iam-cli');
    }
  });

  it('does not claim members nested deeper (EC2 tags, authorization-details profiles)', () => {
    const ec2 = '{"Reservations": [{"Instances": [{"Tags": [{"Key": "Users", "Value": "a"}]}]}]}';
    expect(format.detect({ path: 'i.json', head: ec2 })).toBe(0);
    const details = '{"RoleDetailList": [{"InstanceProfileList": [{"Roles": [';
    expect(detectFormat({ path: 'd.json', head: details }).name)
      .toBe('aws-iam-authorization-details');
    expect(format.detect({ path: 'c.csv', head: 'user,arn,user_creation_time\n' })).toBe(0);
  });
});

describe('aws-iam-cli users and roles', () => {
  it('reads list-users into the keys the other AWS formats give, plus the account name key',
    async () => {
      const p = await parse({ Users: [{ UserName: 'Dana', Path: '/staff/', UserId:
        'AIDAEXAMPLEDANA00001', Arn: `${ARN}:user/staff/Dana`, CreateDate:
        '2025-01-05T09:00:00Z', PasswordLastUsed: '2026-11-20T08:30:00+00:00' }] });
      const dana = byId(p, `${ARN}:user/staff/Dana`);
      expect(dana.scope).toBe(`aws:${ACCOUNT}:users`);
      expect(dana.keys).toEqual([
        { type: 'aws-arn', value: `${ARN}:user/staff/Dana` },
        { type: 'aws-unique-id', value: 'AIDAEXAMPLEDANA00001' },
        { type: 'name', value: 'dana' },
        { type: 'external-id', value: `aws-iam-user:${ACCOUNT}:dana` },
      ]);
      expect(dana.attributes).toEqual({ name: 'Dana', createdAt: '2025-01-05T09:00:00.000Z',
        path: '/staff/', account: ACCOUNT, identityType: 'human',
        passwordLastUsedAt: '2026-11-20T08:30:00.000Z' });
      // list-users carries no group or policy lists: nothing is said about them.
      expect(dana.attributes).not.toHaveProperty('aws.groups');
      expect(p.meta).toEqual({ scopes: [`aws:${ACCOUNT}:users`], complete: true });
    });

  it('drops a UserId that is not an IAM user id (the CLI reference prints key ids there)',
    async () => {
      const p = await parse({ Users: [{ UserName: 'Eli', UserId: 'AKIAEXAMPLEELI000001',
        Arn: `${ARN}:user/Eli`, CreateDate: '2025-01-05T09:00:00Z' }] });
      expect(byId(p, `${ARN}:user/Eli`).keys.map((k) => k.type))
        .toEqual(['aws-arn', 'name', 'external-id']);
      expect(p.warnings).toEqual([expect.objectContaining({ field: 'UserId', item: 1 })]);
    });

  it('reads get-role with RoleLastUsed as a partial run, and warns on a placeholder policy',
    async () => {
      const p = await parse(envelope({ Role: { RoleName: 'etl-runner', RoleId:
        'AROAEXAMPLEETL000001', Arn: `${ARN}:role/etl-runner`, CreateDate:
        { __class__: 'datetime', year: 2024, month: 2, day: 29, hour: 23, minute: 59,
          second: 1, microsecond: 0 }, AssumeRolePolicyDocument: '<URL-encoded-JSON>',
        RoleLastUsed: { LastUsedDate: '2026-10-01T12:00:00Z', Region: 'eu-west-1' } },
      ResponseMetadata: { HTTPHeaders: { date: 'Wed, 02 Dec 2026 06:00:00 GMT' } } }));
      const role = byId(p, `${ARN}:role/etl-runner`);
      expect(role.attributes).toMatchObject({ identityType: 'role', createdAt:
        '2024-02-29T23:59:01.000Z', lastUsedAt: '2026-10-01T12:00:00.000Z',
        'aws.lastUsedRegion': 'eu-west-1' });
      expect(p.warnings.map((w) => w.field)).toEqual(['AssumeRolePolicyDocument']);
      // The recorded HTTP date is when the answer was given: the run's as-of time.
      expect(p.meta).toEqual({ scopes: [`aws:${ACCOUNT}:roles`], complete: false,
        asOf: '2026-12-02T06:00:00.000Z' });
    });

  it('gives each role of list-instance-profiles every profile ARN that holds it', async () => {
    const role = { RoleName: 'web', RoleId: 'AROAEXAMPLEWEB000001', Arn: `${ARN}:role/web`,
      CreateDate: '2025-06-01T00:00:00Z', AssumeRolePolicyDocument: '%7B%22Statement%22%3A%5B%7B' +
      '%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ec2.amazonaws.com' +
      '%22%7D%7D%5D%7D' };
    const p = await parse({ InstanceProfiles: ['web-a', 'web-b'].map((n) => ({
      InstanceProfileName: n, Arn: `${ARN}:instance-profile/${n}`, Roles: [role] })) });
    expect(p.observations).toHaveLength(1);
    const web = byId(p, `${ARN}:role/web`);
    expect(web.keys.filter((k) => k.type === 'aws-arn').map((k) => k.value)).toEqual([
      `${ARN}:role/web`, `${ARN}:instance-profile/web-a`, `${ARN}:instance-profile/web-b`]);
    expect(web.attributes['aws.trustedServices']).toEqual(['ec2.amazonaws.com']);
  });

  it('marks a truncated page partial', async () => {
    const p = await parse({ Roles: [{ RoleName: 'r', RoleId: 'AROAEXAMPLER00000001',
      Arn: `${ARN}:role/r`, CreateDate: '2025-06-01T00:00:00Z' }], IsTruncated: true,
    Marker: 'abc' });
    expect(p.meta.complete).toBe(false);
    expect(p.warnings.map((w) => w.code)).toEqual(['TRUNCATED_LISTING']);
  });
});

describe('aws-iam-cli access keys', () => {
  it('reads Active and Inactive keys of one user, keyed by access key id', async () => {
    const p = await parse(keys([key('AKIAEXAMPLEBILL00001', 'Active'),
      key('AKIAEXAMPLEBILL00002', 'Inactive', '2024-01-01T00:00:00Z')]), 'k.json', ACCOUNT);
    const [on, off] = p.observations;
    expect(on).toEqual({ kind: 'credential', sourceId: 'AKIAEXAMPLEBILL00001',
      scope: `aws:${ACCOUNT}:user/svc-billing:access-keys`,
      keys: [{ type: 'aws-access-key-id', value: 'AKIAEXAMPLEBILL00001' }],
      attributes: { name: 'svc-billing access key AKIAEXAMPLEBILL00001',
        credentialType: 'access-key', active: true, createdAt: '2026-03-02T10:00:00.000Z',
        'aws.userName': 'svc-billing' },
      relations: [{ type: 'belongs-to', target: { type: 'name', value: 'svc-billing' } }],
      item: 1 });
    expect(off?.attributes).toMatchObject({ active: false, createdAt: '2024-01-01T00:00:00.000Z' });
    // Complete for this user only: its scope names the user.
    expect(p.meta).toEqual({ scopes: [`aws:${ACCOUNT}:user/svc-billing:access-keys`],
      complete: true });
  });

  it('is partial when no account is known, since a user name is not unique across accounts',
    async () => {
      const p = await parse(keys([key('AKIAEXAMPLEBILL00001', 'Active')]));
      expect(p.observations[0]?.scope).toBe('aws:unknown-account:user/svc-billing:access-keys');
      expect(p.meta.complete).toBe(false);
      expect(p.warnings[0]?.message).toContain('pass --scope aws:<account id>');
    });

  it('rejects an entry without a key id or with a bad time, keeps the others, goes partial',
    async () => {
      const p = await parse(keys([{ UserName: 'svc-billing', Status: 'Active' },
        key('AKIAEXAMPLEBILL00003', 'Active', 'yesterday'), key('AKIAEXAMPLEBILL00004',
          'Pending')]), 'k.json', ACCOUNT);
      expect(p.rejections.map((r) => [r.item, r.field])).toEqual([[1, 'AccessKeyId'],
        [2, 'CreateDate']]);
      expect(p.observations.map((o) => o.sourceId)).toEqual(['AKIAEXAMPLEBILL00004']);
      expect(p.observations[0]?.attributes).not.toHaveProperty('active');
      expect(p.warnings.map((w) => [w.item, w.field])).toEqual([[3, 'Status']]);
      expect(p.meta.complete).toBe(false);
    });

  it('takes the key of get-access-key-last-used from the file name, else keeps nothing',
    async () => {
    const doc = { UserName: 'svc-billing', AccessKeyLastUsed: { LastUsedDate:
      '2026-06-01T10:00:00Z', ServiceName: 's3', Region: 'eu-west-1' } };
    const named = await parse(doc, 'last-used/AKIAEXAMPLEBILL00001.json');
    expect(byId(named, 'AKIAEXAMPLEBILL00001').attributes).toEqual({ credentialType:
      'access-key', lastUsedAt: '2026-06-01T10:00:00.000Z', usageTracked: true,
    'aws.lastUsedService': 's3',
    'aws.lastUsedRegion': 'eu-west-1', 'aws.userName': 'svc-billing' });
    expect(named.meta.complete).toBe(false);
    const unnamed = await parse(doc, 'last-used.json');
    expect(unnamed.observations).toEqual([]);
    expect(unnamed.rejections).toEqual([]);
    expect(unnamed.warnings[0]).toMatchObject({ field: 'AccessKeyId', item: 1,
      code: 'UNATTRIBUTED' });
    const never = await parse({ UserName: 'u', AccessKeyLastUsed: { ServiceName: 'N/A',
      Region: 'N/A' } }, 'AKIAEXAMPLEBILL00009-last-used.json');
    expect(byId(never, 'AKIAEXAMPLEBILL00009').attributes).not.toHaveProperty('lastUsedAt');
  });
});

describe('aws-iam-cli secrets', () => {
  it('refuses create-access-key output, naming the field and never the value', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY';
    const p = await parse({ AccessKey: { ...key('AKIAEXAMPLEBILL00005', 'Active'),
      SecretAccessKey: secret } });
    expect(p.observations).toEqual([]);
    expect(p.rejections).toEqual([expect.objectContaining({ code: 'SECRET_REFUSED',
      field: 'AccessKey.SecretAccessKey' })]);
    expect(JSON.stringify(p)).not.toContain(secret);
    expect(p.meta.complete).toBe(false);
    const redacted = await parse({ AccessKey: { ...key('AKIAEXAMPLEBILL00005', 'Active'),
      SecretAccessKey: '****' } }, 'new-key.json', ACCOUNT);
    expect(redacted.observations.map((o) => [o.sourceId, o.attributes['active']]))
      .toEqual([['AKIAEXAMPLEBILL00005', true]]);
    expect(redacted.meta.complete).toBe(false);
  });

  it('refuses a service-specific credential with its ServicePassword', async () => {
    const p = await parse({ ServiceSpecificCredential: { UserName: 'dev', ServiceName:
      'codecommit.amazonaws.com', ServicePassword: 'k4bNq2sVxExamplePasswordValue=',
    ServiceSpecificCredentialId: 'ACCAEXAMPLE000000001', Status: 'Active' } });
    expect(p.rejections.map((r) => r.field)).toEqual(['ServiceSpecificCredential.ServicePassword']);
    expect(JSON.stringify(p)).not.toContain('ExamplePasswordValue');
  });
});

describe('aws-iam-cli other credentials', () => {
  it('reads service-specific credentials with the account from the service user name',
    async () => {
      const p = await parse({ ServiceSpecificCredentials: [{ UserName: 'dev', Status: 'Inactive',
        ServiceUserName: `dev-at-${ACCOUNT}`, CreateDate: '2025-02-01T00:00:00Z',
        ServiceSpecificCredentialId: 'ACCAEXAMPLE000000001',
        ServiceName: 'codecommit.amazonaws.com' }] });
      const c = byId(p, 'ACCAEXAMPLE000000001');
      expect(c.scope).toBe(`aws:${ACCOUNT}:user/dev:service-specific-credentials`);
      expect(c.attributes).toMatchObject({ active: false, credentialType:
        'service-specific-credential', 'aws.serviceName': 'codecommit.amazonaws.com' });
      expect(p.meta.complete).toBe(true);
    });

  it('reads SSH keys and server certificates with their dates', async () => {
    const ssh = await parse({ SSHPublicKeys: [{ UserName: 'ops', SSHPublicKeyId:
      'APKAEXAMPLE000000001', Status: 'Active', UploadDate: '2025-04-18T17:04:49+00:00' }] });
    expect(byId(ssh, 'APKAEXAMPLE000000001').attributes).toMatchObject({ credentialType: 'ssh-key',
      active: true, createdAt: '2025-04-18T17:04:49.000Z' });
    const arn = `${ARN}:server-certificate/shop`;
    const tls = await parse({ ServerCertificateMetadataList: [{ ServerCertificateName: 'shop',
      ServerCertificateId: 'ASCAEXAMPLE000000001', Arn: arn, UploadDate: '2025-01-01T00:00:00Z',
      Expiration: '2026-01-01T00:00:00Z' }] });
    expect(byId(tls, arn).attributes).toMatchObject({ credentialType: 'x509-certificate',
      expiresAt: '2026-01-01T00:00:00.000Z' });
    expect(tls.meta).toEqual({ scopes: [`aws:${ACCOUNT}:server-certificates`], complete: true });
  });
});

describe('aws-iam-cli user facts', () => {
  it('sets passwordEnabled from get-login-profile on the user found by account and name',
    async () => {
      const p = await parse({ LoginProfile: { UserName: 'svc-billing', CreateDate:
        '2026-01-10T00:00:00Z', PasswordResetRequired: false } }, 'lp.json', `aws:${ACCOUNT}`);
      const o = p.observations[0];
      expect(o?.keys).toEqual([
        { type: 'external-id', value: `aws-iam-user:${ACCOUNT}:svc-billing` },
        { type: 'name', value: 'svc-billing' }]);
      expect(o?.attributes).toEqual({ name: 'svc-billing', account: ACCOUNT, passwordEnabled: true,
        'aws.loginProfileCreatedAt': '2026-01-10T00:00:00.000Z',
        'aws.passwordResetRequired': false });
      expect(p.meta.complete).toBe(false);
    });

  it('sets a login profile aside when the account is unknown, never making a second user',
    async () => {
      const p = await parse({ LoginProfile: { UserName: 'svc-billing', CreateDate:
        '2026-01-10T00:00:00Z' } });
      expect(p.observations).toEqual([]);
      expect(p.rejections).toEqual([]);
      expect(p.warnings[0]).toMatchObject({ code: 'UNATTRIBUTED', field: 'UserName', item: 1 });
      expect(p.warnings[0]?.message).toContain('--scope aws:<account id>');
    });

  it('reads MFA devices (account from the serial ARN) and assigned virtual devices', async () => {
    const mfa = await parse({ MFADevices: [{ UserName: 'Dana', SerialNumber: `${ARN}:mfa/Dana`,
      EnableDate: '2025-10-28T20:37:09+00:00' }] });
    expect(mfa.observations[0]?.attributes).toMatchObject({ mfaActive: true });
    expect(mfa.observations[0]?.keys[0]).toEqual({ type: 'external-id',
      value: `aws-iam-user:${ACCOUNT}:dana` });
    const virtual = await parse({ VirtualMFADevices: [{ SerialNumber: `${ARN}:mfa/spare` },
      { SerialNumber: `${ARN}:mfa/Dana`, User: { UserName: 'Dana', UserId: 'AIDAEXAMPLEDANA00001',
        Arn: `${ARN}:user/Dana`, CreateDate: '2025-01-05T09:00:00Z' } }] });
    expect(virtual.observations).toHaveLength(1);
    expect(byId(virtual, `${ARN}:user/Dana`).attributes).toMatchObject({ mfaActive: true,
      'aws.mfaDevices': [`${ARN}:mfa/Dana`] });
  });
});

describe('aws-iam-cli refusals', () => {
  it('says why a bare tag listing cannot be read', async () => {
    const p = await parse({ Tags: [{ Key: 'Team', Value: 'billing' }], IsTruncated: false });
    expect(p.rejections).toEqual([]);
    expect(p.warnings).toEqual([expect.objectContaining({ field: 'Tags', code: 'UNATTRIBUTED' })]);
    expect(p.warnings[0]?.message).toContain('does not say whose tags');
    expect(p.meta).toEqual({ complete: false });
  });

  it('names what it found in a file that is not IAM data, and reads no broken JSON', async () => {
    const other = await parse({ Reservations: [] });
    expect(other.rejections[0]?.message).toMatch(/not an AWS IAM CLI output.*found Reservations/);
    const broken = await parseText(format, 'b.json', '{"Users": [\n  {"UserName": ');
    expect(broken.rejections[0]?.message).toMatch(/^not valid JSON/);
    const bare = await parse({ data: { Users: [] } });
    expect(bare.rejections).toEqual([]);
    const failed = await parse({ status_code: 404, data: { Error: { Code: 'NoSuchEntity' } } });
    expect(failed.rejections[0]).toMatchObject({ field: 'Error.Code',
      message: 'the recorded call failed with NoSuchEntity' });
  });
});
