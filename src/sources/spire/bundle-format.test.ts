import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../../test/helpers/parse.js';
import { spireBundle } from './bundle-format.js';

const fixture = (name: string) => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));

// Fingerprints read with `openssl x509 -noout -fingerprint -sha256` and `sha256sum` of the SPKI.
const INTERMEDIATE = '82a16fbfd2b8169c15ed6bb28294caceb386fb3e68d81ec5a8c73e3a9f53314d';
const ROOT = '944632ba5e7309e7dc0ebe6323c64382f1d8798cd782602118bd388df2043f15';
const LEGACY = 'f6506a8a5e4703ff7a90b8971b3e94cceca7817cab1ba5f453f17ea734160fb2';
const JWT_KEY = 'afa9358e7309be44e7b44bfa139a86c92490a616c06693b94a8101e6fc4f4eff';

describe('spire-bundle: bundle show -output json', async () => {
  const p = await parseFile(spireBundle, fixture('bundle-show.json'));
  const byId = (id: string) => p.observations.find((o) => o.sourceId === id)!;

  it('detects bundle JSON but leaves PEM to the x509 format', () => {
    const head = (f: string) => ({ path: f, head: readFileSync(fixture(f), 'utf8') });
    expect(spireBundle.detect(head('bundle-show.json'))).toBe(0.9);
    expect(spireBundle.detect(head('bundle-list.json'))).toBe(0.9);
    expect(spireBundle.detect(head('bundle.pem'))).toBe(0);
  });

  it('reads each X.509 authority as a trust-bundle CA keyed by its SHA-256', () => {
    const ca = byId(ROOT);
    expect(ca.scope).toBe('spire:example.test');
    expect(ca.keys).toEqual([{ type: 'x509-sha256', value: ROOT }]);
    expect(ca.attributes).toMatchObject({
      credentialType: 'trust-bundle-ca',
      trustDomain: 'example.test',
      expiresAt: '2062-07-07T20:21:51.000Z',
      name: 'Example Test Root',
      'spire.tainted': false,
    });
    expect(byId(INTERMEDIATE).relations).toEqual([
      { type: 'issued-by', target: { type: 'x509-sha256', value: ROOT } },
    ]);
  });

  it('reads a JWT authority with its expiry, taint and key fingerprint', () => {
    const key = byId('spire-jwt-authority:example.test:Jc1pQm7u0aXbYz2vK8rT4sN6wE9dG3hF');
    expect(key.attributes).toEqual({
      name: 'Jc1pQm7u0aXbYz2vK8rT4sN6wE9dG3hF',
      class: 'spire-jwt-authority',
      credentialType: 'jwt-authority',
      trustDomain: 'example.test',
      'spire.tainted': true,
      expiresAt: '2027-01-01T00:00:00.000Z',
      fingerprint: JWT_KEY,
    });
    expect(p.meta).toEqual({ scopes: ['spire:example.test'], complete: true });
  });
});

describe('spire-bundle: other shapes', () => {
  it('reads a bundle list, rejects a bad authority and warns about paging', async () => {
    const p = await parseFile(spireBundle, fixture('bundle-list.json'));
    const found = p.observations.map((o) => [o.sourceId, o.scope]);
    expect(found).toEqual([[LEGACY, 'spire:partner.example']]);
    expect(p.rejections).toEqual([expect.objectContaining({ item: 1, code: 'BAD_INPUT' })]);
    expect(p.warnings.map((w) => w.code)).toEqual(['TRUNCATED_LISTING']);
    expect(p.meta.complete).toBe(false);
  });

  it('reads a PEM bundle when forced, taking the trust domain from the CA SPIFFE ID', async () => {
    const p = await parseFile(spireBundle, fixture('bundle.pem'));
    expect(p.observations.map((o) => [o.sourceId, o.scope])).toEqual([
      [INTERMEDIATE, 'spire:example.test'],
      [ROOT, 'spire:example.test'],
    ]);
    expect(p.meta).toEqual({ scopes: ['spire:example.test'], complete: false });
  });

  it('takes the trust domain of a PEM bundle from --scope first', async () => {
    const p = await parseFile(spireBundle, fixture('bundle.pem'), { scope: 'spire:Other.Example' });
    expect(p.observations[0]?.attributes['trustDomain']).toBe('other.example');
  });
});
