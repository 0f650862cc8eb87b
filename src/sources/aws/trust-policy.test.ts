import { describe, expect, it } from 'vitest';
import { trustedPrincipals } from './trust-policy.js';

const POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: ['lambda.amazonaws.com', 'ec2.amazonaws.com'] },
      Action: 'sts:AssumeRole',
    },
    {
      Effect: 'Allow',
      Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/token.example.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
    },
    { Effect: 'Deny', Principal: { Service: 'ssm.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
};

describe('trustedPrincipals', () => {
  it('reads the service principals of Allow statements from an object', () => {
    expect(trustedPrincipals(POLICY)).toEqual({
      services: ['ec2.amazonaws.com', 'lambda.amazonaws.com'],
      others: ['arn:aws:iam::111122223333:oidc-provider/token.example.com'],
    });
  });

  it('reads the URL-encoded JSON that the IAM API returns', () => {
    const encoded = encodeURIComponent(JSON.stringify(POLICY));
    expect(trustedPrincipals(encoded)?.services).toEqual([
      'ec2.amazonaws.com',
      'lambda.amazonaws.com',
    ]);
  });

  it('reads a single statement object and a bare "*" principal', () => {
    const doc = { Statement: { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' } };
    expect(trustedPrincipals(doc)).toEqual({ services: [], others: ['*'] });
  });

  it('gives undefined for unreadable documents', () => {
    expect(trustedPrincipals('%7Bnot json')).toBeUndefined();
    expect(trustedPrincipals(42)).toBeUndefined();
  });
});
