import { describe, expect, it } from 'vitest';
import { AWS_SECRET, GITHUB, SECRET_SAMPLES } from '../../test/helpers/secret-samples.js';
import { checkObservation, DEFAULT_FIELD_LIMITS } from './field-guard.js';
import { secretKindIn } from './secret-shapes.js';
import type { Observation } from './types.js';

const IDENTIFIERS = [
  'AKIAIOSFODNN7EXAMPLE',
  'ASIAY34FZKBOKMUTVV7A',
  'SHA256:' + '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  '2fd4e1c67a2d28fced849ee1bb76e7391b93eb12', // a SHA-1 fingerprint, 40 hex characters
  '550e8400-e29b-41d4-a716-446655440000',
  'spiffe://example.org/ns/prod/sa/web',
  'arn:aws:iam::123456789012:user/alice',
  'token:2c84f488-4133-4ced-87b0-570f93a76830',
  'ops.example.com',
  'password=changeme',
  'password: ********',
  'Customer-facing web tier',
];

const obs = (over: Partial<Observation> = {}): Observation => ({
  kind: 'asset',
  sourceId: 'web-01',
  scope: 'cmdb:test',
  keys: [{ type: 'hostname', value: 'web-01' }],
  attributes: { name: 'web-01' },
  ...over,
});

describe('secretKindIn', () => {
  it.each(SECRET_SAMPLES)('refuses %s', (value, kind) => {
    expect(secretKindIn(value)).toBe(kind);
  });

  it.each(IDENTIFIERS)('keeps the identifier %s', (value) => {
    expect(secretKindIn(value)).toBeUndefined();
  });
});

describe('checkObservation', () => {
  it('names the attribute that holds a secret and never echoes the value', () => {
    const o = obs({ attributes: { description: `x ${GITHUB}` } });
    const p = checkObservation(o, DEFAULT_FIELD_LIMITS);
    expect(p).toEqual({
      field: 'description',
      code: 'SECRET_VALUE',
      message: expect.stringContaining('description looks like a GitHub token') as string,
    });
    expect(p?.message).not.toContain(GITHUB);
  });

  it('checks keys, relation targets, string lists and the source id too', () => {
    const L = DEFAULT_FIELD_LIMITS;
    expect(checkObservation(obs({ keys: [{ type: 'aws-arn', value: AWS_SECRET }] }), L)?.field)
      .toBe('key aws-arn');
    const rel = { type: 'owned-by' as const, target: { type: 'owner' as const, value: GITHUB } };
    expect(checkObservation(obs({ relations: [rel] }), L)?.field).toBe('relation owned-by → owner');
    expect(checkObservation(obs({ attributes: { tags: ['a=b', `t=${GITHUB}`] } }), L)?.field)
      .toBe('tags');
    expect(checkObservation(obs({ sourceId: GITHUB }), L)?.field).toBe('sourceId');
  });

  it('refuses a value under a secret-ish name, and an AWS secret under a key-ish one', () => {
    const L = DEFAULT_FIELD_LIMITS;
    expect(checkObservation(obs({ attributes: { 'cmdb.u_secret': 'hunter2hunter2' } }), L)?.field)
      .toBe('cmdb.u_secret');
    const bare = AWS_SECRET.replace(/\//g, 'x');
    expect(checkObservation(obs({ attributes: { 'x.aws_key': bare } }), L)?.message)
      .toContain('an AWS secret access key');
    expect(checkObservation(obs({ attributes: { 'x.key_id': bare } }), L)).toBeUndefined();
  });

  it('keeps identifiers in keys and attributes', () => {
    const o = obs({
      keys: [
        { type: 'aws-access-key-id', value: 'AKIAIOSFODNN7EXAMPLE' },
        { type: 'x509-sha256', value: IDENTIFIERS[3]! },
        { type: 'spiffe-id', value: 'spiffe://example.org/ns/prod/sa/web' },
        { type: 'hardware-uuid', value: '550e8400-e29b-41d4-a716-446655440000' },
      ],
      attributes: {
        fingerprint: IDENTIFIERS[4]!, credentialType: 'client-secret', passwordEnabled: true,
      },
    });
    expect(checkObservation(o, DEFAULT_FIELD_LIMITS)).toBeUndefined();
  });

  it('refuses a key over 1,024 characters and a value over 64 KiB, naming the field', () => {
    const L = DEFAULT_FIELD_LIMITS;
    const longKey = obs({ keys: [{ type: 'k8s-ref', value: 'c/ns/Pod/' + 'a'.repeat(1100) }] });
    const tooLong = { code: 'VALUE_TOO_LONG' };
    expect(checkObservation(longKey, L)).toMatchObject({ field: 'key k8s-ref', ...tooLong });
    const longValue = obs({ attributes: { description: 'a'.repeat(65_537) } });
    expect(checkObservation(longValue, L)).toMatchObject({ field: 'description', ...tooLong });
    const atLimit = obs({ attributes: { description: 'a'.repeat(65_536) } });
    expect(checkObservation(atLimit, L)).toBeUndefined();
    const raised = { maxKeyLength: 1024, maxValueLength: 100_000 };
    expect(checkObservation(longValue, raised)).toBeUndefined();
  });

  it('refuses a scope that names a family of scopes, which only a run may cover', () => {
    const family = obs({ scope: 'servicenow:acme/*' });
    expect(checkObservation(family, DEFAULT_FIELD_LIMITS)).toMatchObject({
      field: 'scope',
      code: 'BAD_SCOPE',
      message: expect.stringContaining("scope 'servicenow:acme/*' ends in /*"),
    });
    expect(checkObservation(obs({ scope: 'cmdb:a*' }), DEFAULT_FIELD_LIMITS)).toBeUndefined();
  });
});

describe('a field name that holds a secret', () => {
  it('is reported by its safe prefix, saying the name held the secret', () => {
    const name = 'gcp.label.db_password=Hunter2Pass99';
    const p = checkObservation(obs({ attributes: { [name]: 'x' } }), DEFAULT_FIELD_LIMITS);
    expect(p).toEqual({
      field: 'attribute name gcp.label.db_password=…',
      code: 'SECRET_VALUE',
      message: 'attribute name gcp.label.db_password=…: the name itself holds what looks like ' +
        'a password or secret assignment; Roster never stores secret values, the row is refused',
    });
  });

  it.each([
    [`k8s.annotation.note ${GITHUB}`, 'attribute name k8s.annotation.note …'],
    ['label.conn=postgres://admin:S3cr3tPassFFFF6@db',
      'attribute name label.conn=postgres://admin:…'],
    [`tag.${AWS_SECRET}`, 'attribute name tag.…'],
  ])('never echoes the value: %s', (name, field) => {
    const p = checkObservation(obs({ attributes: { [name]: 'x' } }), DEFAULT_FIELD_LIMITS);
    expect(p?.field).toBe(field);
    expect(p?.message.startsWith(`${field}: the name itself holds`)).toBe(true);
  });
});
