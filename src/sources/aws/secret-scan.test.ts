import { describe, expect, it } from 'vitest';
import { findSecretFields, findSecretFieldsOutside } from './secret-scan.js';

// Made-up values in the shapes of real secrets (an AWS secret key is 40 base64 characters).
const FAKE_SECRET_KEY = 'abcdEFGHijklMNOPqrstUVWXyz0123456789ABCD';
const FAKE_PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEfake\n-----END RSA PRIVATE KEY-----';

describe('findSecretFields', () => {
  it('names secret fields by path and leaves identifiers alone', () => {
    const doc = {
      AccessKey: { AccessKeyId: 'AKIAEXAMPLEKEY000001', SecretAccessKey: FAKE_SECRET_KEY },
      ClientToken: 'terraform-20240101',
      PasswordLastUsed: '2024-01-01T00:00:00Z',
    };
    expect(findSecretFields(doc)).toEqual(['AccessKey.SecretAccessKey']);
  });

  it('checks tag values under the tag key', () => {
    const doc = { Tags: [{ Key: 'db_password', Value: 'correct-horse-battery' }] };
    expect(findSecretFields(doc)).toEqual(['Tags.db_password']);
  });

  it('finds a private key whatever the field is called', () => {
    expect(findSecretFields({ Items: [{ Note: FAKE_PEM }] })).toEqual(['Items[0].Note']);
  });

  it('finds a PGP or OpenSSH private key and a known token in a tag value (defect 1, 2)', () => {
    const pgp = '-----BEGIN PGP PRIVATE KEY BLOCK----- lQOYBF0abc -----END PGP PRIVATE KEY';
    const doc = { Tags: [{ Key: 'signing', Value: pgp },
      { Key: 'ssh', Value: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk' },
      { Key: 'ci', Value: ['glpat', 'xYz1234567890AbCdEfGh'].join('-') },
      { Key: 'Name', Value: 'web-01' }] };
    expect(findSecretFields(doc)).toEqual(['Tags.signing', 'Tags.ssh', 'Tags.ci']);
  });

  it('skips the members given to findSecretFieldsOutside', () => {
    const doc = { Users: [{ Password: 'hunter2hunter2' }], Extra: { Password: 'hunter2hunter2' } };
    expect(findSecretFieldsOutside(doc, ['Users'])).toEqual(['Extra.Password']);
  });
});
