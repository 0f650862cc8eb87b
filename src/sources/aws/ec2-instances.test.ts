import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../model/types.js';
import { parseText, type Parsed } from '../../../test/helpers/parse.js';
import { awsEc2Instances as format } from './ec2-instances.js';

const FIXTURE_URL = new URL('./fixtures/ec2-describe-instances.json', import.meta.url);
const FIXTURE = readFileSync(FIXTURE_URL, 'utf8');
const SCOPE = 'aws:012345678901:eu-west-1';
const PROFILE = 'arn:aws:iam::012345678901:instance-profile/app/web-profile';

type Doc = { Reservations: { OwnerId: string; Instances: Record<string, unknown>[] }[] };

/** A fresh copy of the fixture to alter. */
const fixture = (): Doc => JSON.parse(FIXTURE) as Doc;
const firstInstance = (doc: Doc): Record<string, unknown> => doc.Reservations[0]!.Instances[0]!;
const parseDoc = (doc: unknown, scope?: string): Promise<Parsed> =>
  parseText(format, 'instances.json', JSON.stringify(doc, null, 4), scope ? { scope } : {});

function byId(p: Parsed, sourceId: string): Observation {
  const o = p.observations.find((x) => x.sourceId === sourceId);
  if (!o) throw new Error(`no observation ${sourceId}`);
  return o;
}

describe('aws-ec2-instances detection', () => {
  it('recognises describe-instances output, bare or in a data envelope', () => {
    expect(format.detect({ path: 'i.json', head: FIXTURE })).toBeGreaterThan(0.5);
    const head = '{"status_code": 200, "data": {"Reservations": [';
    expect(format.detect({ path: 'i.json', head })).toBeGreaterThan(0.5);
  });

  it('leaves other documents alone', () => {
    expect(format.detect({ path: 'u.json', head: '{"Users": []}' })).toBe(0);
    expect(format.detect({ path: 'r.csv', head: 'user,arn,user_creation_time' })).toBe(0);
  });
});

describe('aws-ec2-instances', () => {
  it('reads an instance with its keys, state, placement and tag-derived facts', async () => {
    const p = await parseText(format, 'instances.json', FIXTURE);
    const web = byId(p, 'i-0a1b2c3d4e5f60718');
    expect(web).toMatchObject({ kind: 'asset', scope: SCOPE, item: 1 });
    expect(web.keys).toEqual([
      { type: 'aws-instance-id', value: 'i-0a1b2c3d4e5f60718' },
      { type: 'hostname', value: 'ip-10-1-2-3.eu-west-1.compute.internal' },
      { type: 'hostname', value: 'ec2-203-0-113-10.eu-west-1.compute.amazonaws.com' },
      { type: 'ip', value: '10.1.2.3' },
      { type: 'ip', value: '203.0.113.10' },
      { type: 'mac', value: '0a:1b:2c:3d:4e:5f' },
      { type: 'hostname', value: 'ip-10-1-2-4.eu-west-1.compute.internal' },
      { type: 'ip', value: '10.1.2.4' },
      { type: 'ip', value: '2001:db8::10' },
      { type: 'name', value: 'web-01' },
    ]);
    expect(web.attributes).toMatchObject({
      name: 'web-01',
      class: 'aws-ec2-instance',
      platform: 'aws',
      runState: 'running',
      createdAt: '2024-02-01T10:00:00.000Z',
      account: '012345678901',
      region: 'eu-west-1',
      'aws.instanceType': 'm6i.large',
      'aws.imageId': 'ami-0123456789abcdef0',
      environment: 'production',
      criticality: 'high',
      owner: 'Web.Team@Example.com',
      purpose: 'storefront',
      'aws.tag.Cost Center': 'cc-42',
      'aws.tag.Env': 'Prod',
    });
  });

  it('links the owner by e-mail and the instance profile role as running on it', async () => {
    const p = await parseText(format, 'instances.json', FIXTURE);
    expect(byId(p, 'i-0a1b2c3d4e5f60718').relations).toEqual([
      { type: 'owned-by', target: { type: 'email', value: 'web.team@example.com' } },
      { type: 'runs-on', target: { type: 'aws-arn', value: PROFILE }, reverse: true },
    ]);
  });

  it('emits one owner observation per distinct owner', async () => {
    const p = await parseText(format, 'instances.json', FIXTURE);
    const owners = p.observations.filter((o) => o.kind === 'owner');
    expect(owners).toEqual([
      expect.objectContaining({
        sourceId: 'email:web.team@example.com',
        scope: SCOPE,
        keys: [{ type: 'email', value: 'web.team@example.com' }],
        attributes: {
          name: 'Web.Team@Example.com',
          email: 'web.team@example.com',
          ownerType: 'person',
        },
      }),
      expect.objectContaining({
        sourceId: 'owner:data platform',
        keys: [{ type: 'owner', value: 'data platform' }],
        attributes: { name: 'Data Platform', ownerType: 'team' },
      }),
    ]);
  });

  it('reads other tag spellings, NULL values and off-scale criticality', async () => {
    const p = await parseText(format, 'instances.json', FIXTURE);
    expect(byId(p, 'i-0b2c3d4e5f6071829').attributes).toMatchObject({
      runState: 'stopped',
      environment: 'test',
      criticality: 'medium',
      owner: 'Data Platform',
      purpose: 'nightly-etl',
      'aws.tag.Purpose': 'NULL',
    });
    const old = byId(p, 'i-0c3d4e5f607182930');
    expect(old.attributes).toMatchObject({ runState: 'terminated', environment: 'staging' });
    expect(old.attributes['criticality']).toBeUndefined();
    expect(p.warnings).toContainEqual(
      expect.objectContaining({ code: 'UNKNOWN_VALUE', field: 'Tags.criticality', item: 3 }),
    );
  });

  it('warns about an invalid IP, naming the field, and still lands the instance', async () => {
    const p = await parseText(format, 'instances.json', FIXTURE);
    expect(p.warnings).toContainEqual(
      expect.objectContaining({ code: 'INVALID_IP', field: 'PrivateIpAddress', item: 2 }),
    );
    const batch = byId(p, 'i-0b2c3d4e5f6071829');
    expect(batch.keys.filter((k) => k.type === 'ip')).toEqual([]);
    expect(p.rejections).toEqual([]);
  });

  it('covers the account and region as a complete run, without a generation time', async () => {
    const p = await parseText(format, 'instances.json', FIXTURE);
    expect(p.meta).toEqual({ scopes: [SCOPE], complete: true });
    expect(p.observations).toHaveLength(5);
  });

  it.each([
    ['pending', 'pending'],
    ['stopped', 'stopped'],
    ['terminated', 'terminated'],
  ])('maps state %s to %s', async (state, runState) => {
    const doc = fixture();
    firstInstance(doc)['State'] = { Code: 0, Name: state };
    const p = await parseDoc(doc);
    expect(byId(p, 'i-0a1b2c3d4e5f60718').attributes['runState']).toBe(runState);
  });

  it('warns about an unknown state and records it as unknown', async () => {
    const doc = fixture();
    firstInstance(doc)['State'] = { Code: 99, Name: 'hibernating' };
    const p = await parseDoc(doc);
    expect(byId(p, 'i-0a1b2c3d4e5f60718').attributes['runState']).toBe('unknown');
    expect(p.warnings).toContainEqual(
      expect.objectContaining({ code: 'UNKNOWN_VALUE', field: 'State.Name', item: 1 }),
    );
  });

  it('reads CLI v1 dates and recorded datetime objects as the same instant', async () => {
    const v1 = fixture();
    firstInstance(v1)['LaunchTime'] = '2024-02-01T10:00:00.000Z';
    const recorded = fixture();
    firstInstance(recorded)['LaunchTime'] = {
      __class__: 'datetime',
      year: 2024,
      month: 2,
      day: 1,
      hour: 10,
      minute: 0,
      second: 0,
      microsecond: 0,
    };
    for (const p of [await parseDoc(v1), await parseDoc({ status_code: 200, data: recorded })]) {
      const launched = byId(p, 'i-0a1b2c3d4e5f60718').attributes['createdAt'];
      expect(launched).toBe('2024-02-01T10:00:00.000Z');
    }
  });

  it('takes the region of a Local Zone from its name', async () => {
    const doc = fixture();
    firstInstance(doc)['Placement'] = { AvailabilityZone: 'us-west-2-lax-1a' };
    const p = await parseDoc(doc);
    expect(byId(p, 'i-0a1b2c3d4e5f60718').scope).toBe('aws:012345678901:us-west-2');
    expect(p.meta.scopes).toEqual(['aws:012345678901:eu-west-1', 'aws:012345678901:us-west-2']);
  });
});

describe('aws-ec2-instances bad input', () => {
  const FAKE_PASSWORD = 'made-up-password-for-tests';

  it('refuses an instance with a secret in a tag, naming the tag; others land', async () => {
    const doc = fixture();
    (firstInstance(doc)['Tags'] as unknown[]).push({ Key: 'db_password', Value: FAKE_PASSWORD });
    const p = await parseDoc(doc);
    expect(p.rejections).toEqual([
      expect.objectContaining({ code: 'SECRET_REFUSED', field: 'Tags.db_password', item: 1 }),
    ]);
    expect(JSON.stringify(p)).not.toContain(FAKE_PASSWORD);
    expect(p.observations.map((o) => o.sourceId)).not.toContain('i-0a1b2c3d4e5f60718');
    expect(p.observations.map((o) => o.sourceId)).toContain('i-0b2c3d4e5f6071829');
    expect(p.meta.complete).toBe(false);
  });

  it('rejects an instance without a valid id, naming file, record and field', async () => {
    const doc = fixture();
    doc.Reservations[0]!.Instances[1]!['InstanceId'] = 'web-02';
    const p = await parseDoc(doc);
    expect(p.rejections).toEqual([
      {
        file: 'instances.json',
        item: 2,
        field: 'InstanceId',
        code: 'BAD_INPUT',
        message: expect.any(String),
      },
    ]);
    expect(p.observations.filter((o) => o.kind === 'asset')).toHaveLength(2);
  });

  it('warns about an instance listed twice and keeps the later one', async () => {
    const doc = fixture();
    const copy = { ...firstInstance(doc), InstanceType: 'm6i.xlarge' };
    doc.Reservations[1]!.Instances.push(copy);
    const p = await parseDoc(doc);
    const assets = p.observations.filter((o) => o.sourceId === 'i-0a1b2c3d4e5f60718');
    expect(assets).toHaveLength(1);
    expect(assets[0]!.attributes['aws.instanceType']).toBe('m6i.xlarge');
    expect(p.warnings).toContainEqual(
      expect.objectContaining({ code: 'DUPLICATE_RECORD', field: 'InstanceId', item: 4 }),
    );
  });

  it('treats a page with a NextToken as a partial run', async () => {
    const p = await parseDoc({ ...fixture(), NextToken: 'eyJ2IjoiMiJ9' });
    expect(p.meta.complete).toBe(false);
    expect(p.warnings).toContainEqual(expect.objectContaining({ code: 'TRUNCATED_LISTING' }));
  });

  it('covers the scope the user names when the listing is empty', async () => {
    const p = await parseDoc({ Reservations: [] }, 'aws:012345678901:eu-west-1');
    expect(p.meta).toEqual({ scopes: ['aws:012345678901:eu-west-1'], complete: true });
  });

  it('refuses a document without Reservations and broken JSON', async () => {
    const other = await parseDoc({ Users: [] });
    expect(other.rejections).toEqual([expect.objectContaining({ code: 'BAD_INPUT' })]);
    expect(other.meta).toEqual({ complete: false });
    const broken = await parseText(format, 'i.json', '{"Reservations": [\n  {"OwnerId": ');
    expect(broken.rejections).toEqual([expect.objectContaining({ code: 'BAD_INPUT' })]);
  });
});

describe('aws-ec2-instances on a hostile document', () => {
  /** The fixture with a first reservation whose `Deep` member nests `levels` objects. */
  const nested = (levels: number): string => {
    const text = JSON.stringify(fixture());
    const at = text.indexOf('"Reservations":[') + '"Reservations":['.length;
    const deep = `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
    return `${text.slice(0, at)}{"Deep":${deep}},${text.slice(at)}`;
  };

  it('refuses JSON nested 100,000 levels deep by name, not with a stack overflow', async () => {
    const p = await parseText(format, 'ec2-deep.json', nested(100_000));
    expect(p.rejections).toEqual([{ file: 'ec2-deep.json', code: 'BAD_INPUT',
      message: 'JSON nested deeper than 256 levels; nothing read' }]);
    expect(p.observations).toEqual([]);
  });

  it('reads a document right at the depth limit', async () => {
    // The root, Reservations and the reservation are the 3 levels above the nested objects.
    const p = await parseText(format, 'ec2-edge.json', nested(253));
    expect(p.rejections).toEqual([]);
    expect(p.observations.length).toBeGreaterThan(0);
    const over = await parseText(format, 'ec2-over.json', nested(254));
    expect(over.rejections.map((r) => r.message))
      .toEqual(['JSON nested deeper than 256 levels; nothing read']);
  });
});
