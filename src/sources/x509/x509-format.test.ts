import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFile, parseText } from '../../../test/helpers/parse.js';
import { x509Certificates } from './x509-format.js';

const fixture = (name: string) => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));
const text = (name: string) => readFileSync(fixture(name), 'utf8');

const LEAF = 'f89f770a43e79c0c126d253a76133fec9a284402669b49617dfb3d9655b16345';
const INTERMEDIATE = '82a16fbfd2b8169c15ed6bb28294caceb386fb3e68d81ec5a8c73e3a9f53314d';
const ROOT = '944632ba5e7309e7dc0ebe6323c64382f1d8798cd782602118bd388df2043f15';

/** Built here rather than stored, so no key-shaped file sits in the tree. */
const FAKE_KEY = [
  '-----BEGIN EC ' + 'PRIVATE KEY-----',
  'bm90LWEta2V5',
  '-----END EC PRIVATE KEY-----',
];

describe('x509 format: detection', () => {
  it('takes PEM certificates, key files and SPIFFE JWKS bundles, and nothing else', () => {
    const detect = (head: string) => x509Certificates.detect({ path: 'f', head });
    expect(detect(text('chain.pem'))).toBe(0.9);
    expect(detect(text('trusted-root.pem'))).toBe(0.9);
    expect(detect(text('bundle.jwks.json'))).toBe(0.85);
    expect(detect(FAKE_KEY.join('\n'))).toBe(0.6);
    expect(detect('Not PEM encoded file')).toBe(0);
    // A PEM string inside JSON belongs to that JSON's format (an AWS CertificateBody).
    const json = '{"CertificateBody": "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END…"}';
    expect(detect(json)).toBe(0);
    expect(detect('{"apiVersion":"v1","kind":"Pod","metadata":{}}')).toBe(0);
  });
});

describe('x509 format: a chain written leaf first', async () => {
  const p = await parseFile(x509Certificates, fixture('chain.pem'));
  const byKey = (sha: string) => p.observations.find((o) => o.sourceId === sha)!;

  it('reports each certificate once, keyed by the SHA-256 of its DER, in file order', () => {
    expect(p.observations.map((o) => [o.sourceId, o.line])).toEqual([
      [LEAF, 3],
      [INTERMEDIATE, 20],
      [ROOT, 41],
    ]);
    expect(byKey(LEAF).keys).toEqual([{ type: 'x509-sha256', value: LEAF }]);
    expect(byKey(LEAF).scope).toBe('x509:chain.pem');
    expect(p.meta).toEqual({ scopes: ['x509:chain.pem'], complete: false });
    expect(p.rejections).toEqual([]);
  });

  it('links each certificate to its issuer found later in the file', () => {
    const issuer = (sha: string) => byKey(sha).relations?.find((r) => r.type === 'issued-by');
    expect(issuer(LEAF)?.target).toEqual({ type: 'x509-sha256', value: INTERMEDIATE });
    expect(issuer(INTERMEDIATE)?.target).toEqual({ type: 'x509-sha256', value: ROOT });
    expect(issuer(ROOT)).toBeUndefined();
  });

  it("names the leaf's SPIFFE identity and hosts, not a wildcard or a CA trust domain", () => {
    const spiffe = 'spiffe://example.test/ns/shop/sa/checkout-api';
    expect(byKey(LEAF).relations?.filter((r) => r.type === 'names')).toEqual([
      { type: 'names', target: { type: 'spiffe-id', value: spiffe } },
      { type: 'names', target: { type: 'fqdn', value: 'checkout.shop.example.test' } },
      { type: 'names', target: { type: 'hostname', value: 'checkout' } },
    ]);
    expect(byKey(INTERMEDIATE).relations?.some((r) => r.type === 'names')).toBe(false);
  });

  it('keeps the facts a judge needs as attributes', () => {
    expect(byKey(LEAF).attributes).toMatchObject({
      name: 'checkout-api',
      credentialType: 'x509-certificate',
      serial: 'ABCDEF0123456789',
      notBefore: '2026-12-03T20:21:51.000Z',
      expiresAt: '2027-03-03T20:21:51.000Z',
      keyType: 'ec',
      keySize: 256,
      keyCurve: 'P-256',
      isCa: false,
      selfSigned: false,
      spiffeId: 'spiffe://example.test/ns/shop/sa/checkout-api',
      sans: [
        'DNS:checkout.shop.example.test',
        'DNS:*.shop.example.test',
        'DNS:checkout',
        'IP:10.20.7.18',
        'IP:2001:db8::5',
        'URI:spiffe://example.test/ns/shop/sa/checkout-api',
      ],
    });
    expect(byKey(ROOT).attributes).toMatchObject({ isCa: true, selfSigned: true, keySize: 3072 });
  });
});

describe('x509 format: bad and hostile input', () => {
  it('refuses a private key by line and still lands the certificates around it', async () => {
    const chain = text('chain.pem').split('\n');
    const withKey = [...chain.slice(0, 19), ...FAKE_KEY, ...chain.slice(19)].join('\n');
    const p = await parseText(x509Certificates, 'server.pem', withKey);
    expect(p.rejections).toEqual([
      {
        file: 'server.pem',
        line: 20,
        code: 'SECRET_REFUSED',
        message: 'EC PRIVATE KEY block refused',
      },
    ]);
    expect(p.observations).toHaveLength(3);
    expect(JSON.stringify(p)).not.toContain('bm90LWEta2V5');
  });

  it('rejects a corrupted and an unterminated block by line, keeping the good one', async () => {
    const p = await parseFile(x509Certificates, fixture('broken.pem'));
    expect(p.rejections.map((r) => [r.line, r.code, r.message])).toEqual([
      [1, 'BAD_INPUT', 'corrupted CERTIFICATE: the body is not Base64'],
      [39, 'BAD_INPUT', 'corrupted CERTIFICATE: no END line'],
    ]);
    expect(p.observations.map((o) => o.sourceId)).toEqual([LEAF]);
    expect(p.observations[0]?.relations?.some((r) => r.type === 'issued-by')).toBe(false);
  });

  it('rejects a file with no PEM block when the format is forced', async () => {
    const p = await parseText(x509Certificates, 'notes.txt', 'Not PEM encoded file');
    expect(p.observations).toEqual([]);
    expect(p.rejections).toEqual([
      expect.objectContaining({
        code: 'BAD_INPUT',
        message: 'no PEM block found; this is not a PEM file',
      }),
    ]);
  });

  it('refuses a bare token between blocks without echoing it', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYWRlLXVwIn0.c2lnbmF0dXJl';
    const p = await parseText(x509Certificates, 'mixed.pem', `${jwt}\n${text('legacy-sha1.pem')}`);
    expect(p.rejections.map((r) => [r.line, r.code])).toEqual([[1, 'SECRET_REFUSED']]);
    expect(JSON.stringify(p)).not.toContain(jwt);
    expect(p.observations).toHaveLength(1);
  });

  it('warns about blocks that are not certificates', async () => {
    const p = await parseFile(x509Certificates, fixture('no-subject-and-csr.pem'));
    expect(p.warnings).toEqual([
      expect.objectContaining({
        line: 13,
        code: 'UNSUPPORTED_BLOCK',
        message: 'CERTIFICATE REQUEST block skipped',
      }),
    ]);
    expect(p.observations[0]?.attributes).toMatchObject({ name: 'nosubject.example.test' });
    expect(p.observations[0]?.attributes['subject']).toBeUndefined();
  });
});

describe('x509 format: other containers', () => {
  it('reads an OpenSSL TRUSTED CERTIFICATE without its trust settings', async () => {
    const p = await parseFile(x509Certificates, fixture('trusted-root.pem'));
    expect(p.observations.map((o) => o.sourceId)).toEqual([ROOT]);
  });

  it('flags a SHA-1 signature', async () => {
    const p = await parseFile(x509Certificates, fixture('legacy-sha1.pem'));
    expect(p.observations[0]?.attributes).toMatchObject({
      signatureAlgorithm: 'sha1WithRSAEncryption',
      signatureHash: 'sha1',
      selfSigned: true,
    });
  });

  it('reads the x5c certificates of a SPIFFE JWKS bundle and refuses private members', async () => {
    const p = await parseFile(x509Certificates, fixture('bundle.jwks.json'));
    expect(p.observations.map((o) => [o.sourceId, o.line])).toEqual([[INTERMEDIATE, 1]]);
    expect(p.rejections).toEqual([
      expect.objectContaining({ line: 2, field: 'keys[1].d', code: 'SECRET_REFUSED' }),
    ]);
    expect(p.warnings).toEqual([
      expect.objectContaining({
        code: 'NO_CERTIFICATE',
        message: "1 key(s) with use 'jwt-svid' carry no certificate; skipped",
      }),
    ]);
    expect(JSON.stringify(p)).not.toContain('bm90LWEtcmVhbC1wcml2YXRl');
  });
});
