/** Secret values of each shape Roster refuses, for tests (none is a live secret). */

// Built from pieces so that no scanner takes this file for a leak.
export const AWS_SECRET = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYEXAMPLEKEY'].join('/');
export const GITHUB = 'ghp' + '_' + 'A1b2C3d4E5f6G7h8I9j0'.repeat(2).slice(0, 36);

/** One of each shape Roster refuses, with the kind its message must name. */
export const SECRET_SAMPLES: ReadonlyArray<readonly [string, string]> = [
  ['-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA', 'a private key'],
  ['{"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----\\nMIIE"}',
    'a private key'],
  [`aws_secret_access_key = ${AWS_SECRET}`, 'an AWS secret access key'],
  [`"SecretAccessKey": "${AWS_SECRET}"`, 'an AWS secret access key'],
  [AWS_SECRET, 'an AWS secret access key'],
  [`deploy with ${GITHUB} please`, 'a GitHub token'],
  ['gho' + '_' + 'x'.repeat(36), 'a GitHub token'],
  ['github' + '_pat_' + '11ABCDEFG0'.repeat(7), 'a GitHub token'],
  ['xox' + 'b-1234567890-abcdefghij', 'a Slack token'],
  ['xox' + 'o-1234567890-abcdefghij', 'a Slack token'],
  ['sk' + '_live_' + '4eC39HqLyjWDarjtT1zdp7dc', 'a Stripe secret key'],
  ['rk' + '_live_' + '4eC39HqLyjWDarjtT1zdp7dc', 'a Stripe secret key'],
  ['AI' + 'za' + 'SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY', 'a Google API key'],
  [`DefaultEndpointsProtocol=https;AccountName=st1;Account${'Key='}${'Ab1/'.repeat(22)}==`,
    'an Azure storage account key'],
  ['ey' + 'JhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9',
    'a JSON Web Token'],
  ['hv' + 's.CAESIJlWh3Ye5tyJxgkT4Y0p1Qn2XbKcZ8mN', 'a HashiCorp Vault token'],
  ['s' + '.wOrq9dO9kzOcuvB06CMviJhZ', 'a HashiCorp Vault token'],
  ['np' + 'm_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8', 'an npm token'],
  ['connect with password=Tr0ub4dor&3x', 'a password or secret assignment'],
  ['token: 9f8e7d6c5b4a39281706', 'a password or secret assignment'],
];
