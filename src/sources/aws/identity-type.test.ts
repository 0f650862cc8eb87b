import { describe, expect, it } from 'vitest';
import { userKind } from './identity-type.js';

describe('userKind', () => {
  it.each([
    'svc-backup',
    'reports-svc',
    'build-bot',
    'ci-runner',
    'app-storefront',
    'billing-service',
    'deployer',
    'Deploy_Prod',
    'SVC_ETL',
  ])('takes %s for a service account by its name', (name) => {
    expect(userKind(name)).toBe('service');
  });

  it.each(['alice', 'bob.smith', 'robot-arm-lover', 'service-desk-anna', 'cicero', 'apple'])(
    'takes %s for a human',
    (name) => {
      expect(userKind(name)).toBe('human');
    },
  );

  it('follows a Type or IdentityType tag over the name', () => {
    expect(userKind('jenkins', [['IdentityType', 'machine']])).toBe('service');
    expect(userKind('alice', [['Type', 'Bot']])).toBe('service');
    expect(userKind('svc-anna', [['identity_type', 'human']])).toBe('human');
  });

  it('ignores type tags with other values and other tags', () => {
    expect(userKind('alice', [['Type', 'contractor']])).toBe('human');
    expect(userKind('alice', [['Role', 'service']])).toBe('human');
  });
});
