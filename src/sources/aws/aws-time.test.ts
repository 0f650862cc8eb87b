import { describe, expect, it } from 'vitest';
import { accountOfArn, parseArn } from './arn.js';
import { parseAwsTime } from './aws-time.js';

describe('parseAwsTime', () => {
  it('reads CLI v2 offsets and CLI v1 milliseconds as the same instant', () => {
    expect(parseAwsTime('2024-02-01T10:00:00+00:00')).toEqual({
      ok: true,
      value: '2024-02-01T10:00:00.000Z',
    });
    expect(parseAwsTime('2024-02-01T10:00:00.000Z')).toMatchObject({
      value: '2024-02-01T10:00:00.000Z',
    });
    expect(parseAwsTime('2024-02-01T12:00:00+02:00')).toMatchObject({
      value: '2024-02-01T10:00:00.000Z',
    });
  });

  it('reads a recorded botocore datetime object', () => {
    const raw = {
      __class__: 'datetime',
      year: 2017,
      month: 9,
      day: 4,
      hour: 7,
      minute: 5,
      second: 3,
      microsecond: 250000,
    };
    expect(parseAwsTime(raw)).toEqual({ ok: true, value: '2017-09-04T07:05:03.250Z' });
  });

  it('reads a time without an offset as UTC, without flagging it', () => {
    const r = parseAwsTime('2024-02-01 10:00:00');
    expect(r).toMatchObject({ ok: true, value: '2024-02-01T10:00:00.000Z' });
    expect(r.ok && r.zoneAssumed).toBeFalsy();
  });

  it.each(['N/A', 'no_information', 'not_supported', '', '0001-01-01T00:00:00Z'])(
    'takes %j for no time',
    (raw) => {
      expect(parseAwsTime(raw)).toEqual({ ok: true, value: undefined });
    },
  );

  it('refuses other objects and garbage', () => {
    expect(parseAwsTime({ year: 2020 }).ok).toBe(false);
    expect(parseAwsTime({ __class__: 'datetime', year: 'x' }).ok).toBe(false);
    expect(parseAwsTime('yesterday').ok).toBe(false);
  });
});

describe('parseArn', () => {
  it('splits an IAM ARN and keeps the leading zeros of the account', () => {
    expect(parseArn('arn:aws:iam::012345678901:user/ops/alice')).toEqual({
      partition: 'aws',
      service: 'iam',
      region: '',
      account: '012345678901',
      resource: 'user/ops/alice',
    });
    expect(accountOfArn('arn:aws-us-gov:iam::012345678901:root')).toBe('012345678901');
  });

  it('has no account for AWS-managed policies and nothing for non-ARNs', () => {
    expect(accountOfArn('arn:aws:iam::aws:policy/ReadOnlyAccess')).toBeUndefined();
    expect(parseArn('user/alice')).toBeUndefined();
    expect(accountOfArn('arn:aws:iam::12345:user/x')).toBeUndefined();
  });
});
