import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../model/types.js';
import { parseText, type Parsed } from '../../../test/helpers/parse.js';
import { awsEc2Instances } from './ec2-instances.js';
import { awsIamAuthorizationDetails as format } from './iam-authorization-details.js';

const read = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const FIXTURE = read('iam-authorization-details.json');
const ARN = 'arn:aws:iam::012345678901';

type Entry = Record<string, unknown>;
type Doc = { UserDetailList: Entry[]; RoleDetailList: Entry[]; [k: string]: unknown };

const fixture = (): Doc => JSON.parse(FIXTURE) as Doc;
const parseDoc = (doc: unknown): Promise<Parsed> =>
  parseText(format, 'iam.json', JSON.stringify(doc, null, 4));

function byId(p: Parsed, sourceId: string): Observation {
  const o = p.observations.find((x) => x.sourceId === sourceId);
  if (!o) throw new Error(`no observation ${sourceId}`);
  return o;
}

describe('aws-iam-authorization-details detection', () => {
  it('recognises the response by its detail lists', () => {
    expect(format.detect({ path: 'iam.json', head: FIXTURE })).toBeGreaterThan(0.5);
    expect(format.detect({ path: 'iam.json', head: '{"RoleDetailList": [' })).toBeGreaterThan(0.5);
  });

  it('leaves list-users, list-roles and EC2 output alone', () => {
    expect(format.detect({ path: 'u.json', head: '{"Users": [{"UserName": "a"}]}' })).toBe(0);
    expect(format.detect({ path: 'r.json', head: '{"Roles": []}' })).toBe(0);
    expect(format.detect({ path: 'i.json', head: '{"Reservations": []}' })).toBe(0);
  });
});

describe('aws-iam-authorization-details users', () => {
  it('reads a user with its keys, groups and the policies those groups grant', async () => {
    const p = await parseText(format, 'iam.json', FIXTURE);
    const alice = byId(p, `${ARN}:user/alice`);
    expect(alice).toMatchObject({ kind: 'identity', scope: 'aws:012345678901', item: 1 });
    expect(alice.keys).toEqual([
      { type: 'aws-arn', value: `${ARN}:user/alice` },
      { type: 'aws-unique-id', value: 'AIDAEXAMPLEALICE0001' },
      { type: 'name', value: 'alice' },
    ]);
    expect(alice.attributes).toEqual({
      name: 'alice',
      identityType: 'human',
      createdAt: '2021-05-04T09:00:00.000Z',
      path: '/',
      account: '012345678901',
      'aws.groups': ['admins'],
      'aws.groupPolicies': ['AdministratorAccess', 'deny-billing'],
      'aws.attachedPolicies': ['ReadOnlyAccess'],
      'aws.inlinePolicies': [],
    });
  });

  it('classifies service users by name and by tag, and reads owner tags', async () => {
    const p = await parseText(format, 'iam.json', FIXTURE);
    const deploy = byId(p, `${ARN}:user/automation/deploy-pipeline`);
    expect(deploy.attributes).toMatchObject({
      identityType: 'service',
      owner: 'platform-team',
      criticality: 'high',
      'aws.inlinePolicies': ['push-artifacts'],
      'aws.tag.Owner': 'platform-team',
    });
    expect(deploy.relations).toEqual([
      { type: 'owned-by', target: { type: 'owner', value: 'platform-team' } },
    ]);
    const jenkins = byId(p, `${ARN}:user/jenkins`);
    expect(jenkins.attributes['identityType']).toBe('service');
    expect(jenkins.attributes['aws.groups']).toEqual(['admins', 'builders']);
  });

  it('emits one owner observation per distinct owner', async () => {
    const p = await parseText(format, 'iam.json', FIXTURE);
    const owners = p.observations.filter((o) => o.kind === 'owner').map((o) => o.sourceId);
    expect(owners).toEqual(['owner:platform-team', 'email:web.team@example.com']);
    expect(p.observations).toHaveLength(7);
    expect(p.meta).toEqual({ scopes: ['aws:012345678901'], complete: true });
  });
});

describe('aws-iam-authorization-details roles', () => {
  it('reads a role with its trust, last use and instance profile keys', async () => {
    const p = await parseText(format, 'iam.json', FIXTURE);
    const role = byId(p, `${ARN}:role/app/web-role`);
    expect(role.keys).toEqual([
      { type: 'aws-arn', value: `${ARN}:role/app/web-role` },
      { type: 'aws-arn', value: `${ARN}:instance-profile/app/web-profile` },
      { type: 'aws-unique-id', value: 'AROAEXAMPLEWEBROLE01' },
      { type: 'name', value: 'web-role' },
    ]);
    expect(role.attributes).toMatchObject({
      identityType: 'role',
      createdAt: '2023-03-03T03:03:03.000Z',
      lastUsedAt: '2024-03-31T23:10:00.000Z',
      path: '/app/',
      'aws.attachedPolicies': ['AmazonS3ReadOnlyAccess'],
      // The Deny statement for ssm.amazonaws.com trusts nobody.
      'aws.trustedServices': ['ec2.amazonaws.com'],
      'aws.trustedPrincipals': ['arn:aws:iam::444455556666:root'],
      environment: 'production',
      owner: 'web.team@example.com',
    });
    expect(role.relations).toEqual([
      { type: 'owned-by', target: { type: 'email', value: 'web.team@example.com' } },
    ]);
  });

  it('reads a trust policy given as an object and a role never used', async () => {
    const p = await parseText(format, 'iam.json', FIXTURE);
    const lambda = byId(p, `${ARN}:role/service-role/lambda-exec`);
    expect(lambda.attributes['aws.trustedServices']).toEqual([
      'edgelambda.amazonaws.com',
      'lambda.amazonaws.com',
    ]);
    expect(lambda.attributes['lastUsedAt']).toBeUndefined();
    expect(lambda.attributes['aws.inlinePolicies']).toEqual(['write-logs']);
  });

  it("links an EC2 instance's profile to the role behind it", async () => {
    const instances = read('ec2-describe-instances.json');
    const ec2 = await parseText(awsEc2Instances, 'instances.json', instances);
    const iam = await parseText(format, 'iam.json', FIXTURE);
    const runsOn = byId(ec2, 'i-0a1b2c3d4e5f60718').relations?.find((r) => r.type === 'runs-on');
    expect(runsOn?.reverse).toBe(true);
    expect(byId(iam, `${ARN}:role/app/web-role`).keys).toContainEqual(runsOn?.target);
  });

  it('warns about an unreadable trust policy and keeps the role', async () => {
    const doc = fixture();
    doc.RoleDetailList[1]!['AssumeRolePolicyDocument'] = '%7Bbroken';
    const p = await parseDoc(doc);
    expect(p.warnings).toEqual([
      expect.objectContaining({
        code: 'INVALID_VALUE',
        field: 'AssumeRolePolicyDocument',
        item: 5,
      }),
    ]);
    const lambda = byId(p, `${ARN}:role/service-role/lambda-exec`);
    expect(lambda.attributes['aws.trustedServices']).toBeUndefined();
  });
});

describe('aws-iam-authorization-details bad input', () => {
  const FAKE_PASSWORD = 'made-up-password-for-tests';

  it('refuses an entry holding a secret, naming the field, and keeps the others', async () => {
    const doc = fixture();
    doc.UserDetailList[0]!['Tags'] = [{ Key: 'initial_password', Value: FAKE_PASSWORD }];
    const p = await parseDoc(doc);
    expect(p.rejections).toEqual([
      expect.objectContaining({ code: 'SECRET_REFUSED', field: 'Tags.initial_password', item: 1 }),
    ]);
    expect(JSON.stringify(p)).not.toContain(FAKE_PASSWORD);
    expect(p.observations.map((o) => o.sourceId)).not.toContain(`${ARN}:user/alice`);
    expect(p.observations.map((o) => o.sourceId)).toContain(`${ARN}:user/jenkins`);
    expect(p.meta.complete).toBe(false);
  });

  it('refuses a secret outside users and roles and still reads them', async () => {
    const policies = [{ PolicyName: 'x', Password: FAKE_PASSWORD }];
    const p = await parseDoc({ ...fixture(), Policies: policies });
    expect(p.rejections).toEqual([
      expect.objectContaining({ code: 'SECRET_REFUSED', field: 'Policies[0].Password' }),
    ]);
    expect(p.observations).toHaveLength(7);
  });

  it('rejects an entry without an IAM ARN', async () => {
    const doc = fixture();
    doc.RoleDetailList[0]!['Arn'] = 'web-role';
    const p = await parseDoc(doc);
    expect(p.rejections).toEqual([
      expect.objectContaining({ code: 'BAD_INPUT', field: 'Arn', item: 4, file: 'iam.json' }),
    ]);
  });

  it('drops a unique id that several ARNs share, with a warning', async () => {
    const doc = fixture();
    doc.UserDetailList[1]!['UserId'] = 'AIDAEXAMPLEALICE0001';
    const p = await parseDoc(doc);
    expect(p.warnings).toEqual([expect.objectContaining({ code: 'DUPLICATE_KEY' })]);
    const ids = p.observations.flatMap((o) => o.keys).filter((k) => k.type === 'aws-unique-id');
    expect(ids.map((k) => k.value)).not.toContain('AIDAEXAMPLEALICE0001');
  });

  it('treats a truncated page as a partial run and reads a data envelope', async () => {
    const page = { ...fixture(), IsTruncated: true, Marker: 'm' };
    const p = await parseDoc({ status_code: 200, data: page });
    expect(p.meta).toEqual({ scopes: ['aws:012345678901'], complete: false });
    expect(p.warnings).toEqual([expect.objectContaining({ code: 'TRUNCATED_LISTING' })]);
    expect(p.observations).toHaveLength(7);
  });

  it('refuses a document with no detail lists', async () => {
    const p = await parseDoc({ Users: [] });
    expect(p.rejections).toEqual([expect.objectContaining({ code: 'BAD_INPUT' })]);
    expect(p.meta).toEqual({ complete: false });
  });
});
