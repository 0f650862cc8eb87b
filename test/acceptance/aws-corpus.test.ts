import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/model/types.js';
import {
  awsCredentialReport,
  awsEc2Instances,
  awsIamAuthorizationDetails,
  awsIamCli,
} from '../../src/sources/aws/index.js';
import { fileInput } from '../../src/sources/read-file.js';
import { corpusFiles, corpusPath, hasCorpus } from '../helpers/corpus.js';
import { parseFile, type Parsed } from '../helpers/parse.js';

const REPORTS = 'aws-iam-credential-report';
const EC2 = 'aws-ec2-describe-instances';
const IAM = 'aws-iam-json';
const AWS_FORMATS = [awsCredentialReport, awsEc2Instances, awsIamAuthorizationDetails, awsIamCli];

const report = (name: string): Promise<Parsed> =>
  parseFile(awsCredentialReport, corpusPath(REPORTS, name));
const ec2 = (...parts: string[]): Promise<Parsed> =>
  parseFile(awsEc2Instances, corpusPath(EC2, ...parts));
const AUTH_DETAILS = 'awscli-docs_iam_get-account-authorization-details.json';

function byId(p: Parsed, sourceId: string): Observation {
  const o = p.observations.find((x) => x.sourceId === sourceId);
  if (!o) throw new Error(`no observation ${sourceId}`);
  return o;
}

const names = (p: Parsed): string[] =>
  p.observations.filter((o) => o.kind === 'identity').map((o) => String(o.attributes['name']));

describe.skipIf(!hasCorpus)('AWS parsers over the corpus', () => {
  describe('detection', () => {
    it('sends each file of the four formats to its parser, and no other file', () => {
      const expected = (path: string): string | undefined => {
        if (path.includes(`/${REPORTS}/`)) return awsCredentialReport.name;
        if (path.includes(`/${EC2}/`)) return awsEc2Instances.name;
        if (basename(path) === AUTH_DETAILS) return awsIamAuthorizationDetails.name;
        if (path.includes(`/${IAM}/`)) return awsIamCli.name;
        return undefined;
      };
      const files = [REPORTS, EC2, IAM].flatMap((folder) => corpusFiles(folder));
      expect(files.length).toBeGreaterThan(50);
      for (const path of files) {
        const input = fileInput(path);
        const claimed = AWS_FORMATS.filter((f) => f.detect(input) > 0).map((f) => f.name);
        expect(claimed, path).toEqual(expected(path) ? [expected(path)] : []);
      }
    });
  });

  describe('aws-credential-report', () => {
    const files = corpusFiles(REPORTS);

    it('reads every report and error response without a crash', async () => {
      for (const path of files) {
        const p = await parseFile(awsCredentialReport, path);
        if (basename(path).startsWith('c7n_error_')) {
          expect(p.rejections, path).toEqual([expect.objectContaining({ field: 'Error.Code' })]);
          expect(p.observations, path).toEqual([]);
        } else {
          expect(p.rejections, path).toEqual([]);
          expect(p.observations.length, path).toBeGreaterThan(0);
          expect(p.meta.complete, path).toBe(true);
        }
      }
    });

    it('names the error codes IAM returned', async () => {
      const notPresent = await report('c7n_error_ReportNotPresent.placebo.json');
      expect(notPresent.rejections[0]!.message).toContain('ReportNotPresent');
      const inProgress = await report('c7n_error_ReportInProgress.placebo.json');
      expect(inProgress.rejections[0]!.message).toContain('ReportInProgress');
    });

    it('reads the users of an account, the user on two rows once, with a warning', async () => {
      const p = await report('c7n_account_credential_report.csv');
      expect(names(p)).toEqual(expect.arrayContaining(['andrew', 'Jennifer', 'kit', 'steven']));
      expect(names(p).filter((n) => n === 'christopher')).toHaveLength(1);
      expect(p.warnings).toEqual([
        expect.objectContaining({ code: 'DUPLICATE_RECORD', field: 'user', line: 10 }),
      ]);
      const christopher = byId(p, 'arn:aws:iam::644160558196:user/christopher');
      expect(christopher.attributes['passwordLastUsedAt']).toBe('2016-11-21T14:42:22.000Z');
      const root = byId(p, 'arn:aws:iam::644160558196:root');
      expect(root.attributes).toMatchObject({ identityType: 'root', mfaActive: true });
      expect(p.meta.scopes).toEqual(['aws:644160558196']);
    });

    it('reads a root account with an active access key and signing certificate', async () => {
      const p = await report('c7n_unused_keys.csv');
      const rootArn = 'arn:aws:iam::619193117841:root';
      const key = byId(p, `${rootArn}#access-key-1@2011-08-19T05:12:23.000Z`);
      expect(key.attributes).toMatchObject({
        active: true,
        lastUsedAt: '2015-07-04T15:09:00.000Z',
        'aws.lastUsedService': 's3',
      });
      expect(key.relations).toEqual([
        { type: 'belongs-to', target: { type: 'aws-arn', value: rootArn } },
      ]);
      const cert = byId(p, `${rootArn}#cert-1@2008-06-25T02:07:10.000Z`);
      expect(cert.attributes).toMatchObject({
        credentialType: 'signing-certificate',
        active: true,
      });
      const oldKey = byId(p, `${rootArn}#access-key-2@2007-10-13T16:49:50.000Z`);
      expect(oldKey.attributes['active']).toBe(false);
    });

    it('reads upper-case booleans and keys never used', async () => {
      const p = await report('c7n_reverse_filter_delete.csv');
      const arn = 'arn:aws:iam::123456789012:user/zscholl';
      expect(byId(p, arn).attributes).toMatchObject({ passwordEnabled: false, mfaActive: false });
      const key2 = byId(p, `${arn}#access-key-2@2099-08-10T11:13:31.000Z`);
      expect(key2.attributes).toMatchObject({ active: true, 'aws.lastUsedRegion': 'us-west-1' });
    });

    it('gives the same observations for a CSV and its recorded response, with asOf', async () => {
      const csv = await report('c7n_multi_delete_noop.csv');
      const json = await report('c7n_multi_delete_noop.placebo.json');
      expect(json.observations).toEqual(csv.observations);
      expect(json.meta.asOf).toBe('2021-02-04T15:24:53.000Z');
      const test1 = 'arn:aws:iam::644160558196:user/test1';
      const inactive = byId(csv, `${test1}#access-key-1@2020-02-03T09:50:07.000Z`);
      expect(inactive.attributes['active']).toBe(false);
    });
  });

  describe('aws-ec2-instances', () => {
    const files = corpusFiles(EC2);

    it('reads every describe-instances file without a rejection', async () => {
      expect(files.length).toBeGreaterThanOrEqual(9);
      for (const path of files) {
        const p = await parseFile(awsEc2Instances, path);
        expect(p.rejections, path).toEqual([]);
        expect(p.observations.some((o) => o.kind === 'asset'), path).toBe(true);
        expect(p.meta.complete, path).toBe(true);
      }
    });

    it('reads the CLI documentation example and warns about its invalid address', async () => {
      const p = await ec2('awscli-docs_ec2_describe-instances.json');
      const inst = byId(p, 'i-1234567890abcdef0');
      expect(inst.scope).toBe('aws:111111111111:us-east-2');
      expect(inst.attributes).toMatchObject({ runState: 'running', name: 'my-instance' });
      expect(p.warnings).toEqual([
        expect.objectContaining({ code: 'INVALID_IP', field: 'PrivateIpAddress' }),
      ]);
      const profile =
        'arn:aws:iam::111111111111:instance-profile/AmazonSSMRoleForInstancesQuickSetup';
      expect(inst.relations).toContainEqual({
        type: 'runs-on',
        target: { type: 'aws-arn', value: profile },
        reverse: true,
      });
    });

    it('derives owners from Owner and ownerEmail tags', async () => {
      const md = await ec2('cli-normalized', 'c7n_test_ec2_set_md_access__DescribeInstances.json');
      const box = byId(md, 'i-02357547fb91718be');
      expect(box.attributes).toMatchObject({ runState: 'stopped', owner: 'owner.one@example.com' });
      expect(box.relations).toContainEqual({
        type: 'owned-by',
        target: { type: 'email', value: 'owner.one@example.com' },
      });
      expect(byId(md, 'i-0d4526dcaa95692db').attributes['environment']).toBe('development');

      const tp = await ec2(
        'cli-normalized',
        'c7n_test_ec2_termination-protected_filter__DescribeInstances.json',
      );
      expect(byId(tp, 'i-092f500eaad726b71').attributes['owner']).toBe('foo@example.com');
      expect(byId(tp, 'i-0718418de3bb4ae2a').attributes['owner']).toBeUndefined();
      expect(tp.observations.filter((o) => o.kind === 'owner').map((o) => o.sourceId)).toEqual([
        'email:foo@example.com',
      ]);
      expect(tp.meta.scopes).toEqual(['aws:000000000000:us-west-2']);
    });

    it('reads NULL tag values as none and keeps a tag key with a space', async () => {
      const p = await ec2('c7n_test_ec2_reboot__DescribeInstances.placebo.json');
      const inst = byId(p, 'i-011212121212112');
      expect(inst.attributes).toMatchObject({
        environment: 'production',
        createdAt: '2017-09-14T20:29:57.000Z',
        'aws.tag.Application': 'NULL',
        'aws.tag.Resource Purpose': 'Nodes used to execute event triggered SSM commands',
      });
      expect(inst.attributes['purpose']).toBeUndefined();
    });

    it('reads legacy short ids, the same from recorded and CLI files', async () => {
      const recorded = await ec2('c7n_test_ec2_tag_trim__DescribeInstances.placebo.json');
      const cli = await ec2('cli-normalized', 'c7n_test_ec2_tag_trim__DescribeInstances.json');
      expect(cli.observations).toEqual(recorded.observations);
      expect(byId(cli, 'i-fdb01920').attributes).toMatchObject({
        runState: 'stopped',
        environment: 'production',
        name: 'VocalReason',
      });
      expect(byId(cli, 'i-9432cb49').attributes['runState']).toBe('stopped');
    });
  });

  describe('aws-iam-authorization-details', () => {
    const doc = (): string => corpusPath(IAM, AUTH_DETAILS);

    it('reads the documented users and role; the instance profile keys the role', async () => {
      const p = await parseFile(awsIamAuthorizationDetails, doc());
      expect(p.rejections).toEqual([]);
      expect(names(p)).toEqual(['Alice', 'Bob', 'Charlie', 'EC2role']);
      const role = byId(p, 'arn:aws:iam::123456789012:role/EC2role');
      expect(role.keys).toContainEqual({
        type: 'aws-arn',
        value: 'arn:aws:iam::123456789012:instance-profile/EC2role',
      });
      expect(role.attributes).toMatchObject({
        identityType: 'role',
        lastUsedAt: '2019-11-13T17:30:00.000Z',
        'aws.trustedServices': ['ec2.amazonaws.com'],
        'aws.attachedPolicies': ['AmazonS3FullAccess', 'AmazonDynamoDBFullAccess'],
      });
      const alice = byId(p, 'arn:aws:iam::123456789012:user/Alice');
      expect(alice.attributes['aws.groupPolicies']).toEqual(['AdministratorAccess']);
    });

    it('treats the truncated example page as partial and drops its shared unique id', async () => {
      const p = await parseFile(awsIamAuthorizationDetails, doc());
      expect(p.meta).toEqual({ scopes: ['aws:123456789012'], complete: false });
      const codes = p.warnings.map((w) => w.code).sort();
      expect(codes).toEqual(['DUPLICATE_KEY', 'TRUNCATED_LISTING']);
    });

    it('refuses, without a crash, the IAM files of other shapes', async () => {
      const others = corpusFiles(IAM).filter((f) => basename(f) !== AUTH_DETAILS);
      for (const path of others) {
        const p = await parseFile(awsIamAuthorizationDetails, path);
        expect(p.observations, path).toEqual([]);
        expect(p.rejections, path).toEqual([expect.objectContaining({ code: 'BAD_INPUT' })]);
      }
    });
  });
});
