import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DerError } from './der.js';
import { certificateFacts, signedBy } from './certificate-facts.js';

/** DER of the n-th CERTIFICATE block of a test file. */
function der(file: string, n = 0): Buffer {
  const text = readFileSync(fileURLToPath(new URL(`./testdata/${file}`, import.meta.url)), 'utf8');
  const blocks = text.split('-----BEGIN CERTIFICATE-----').slice(1);
  const body = blocks[n]!.split('-----END')[0]!;
  return Buffer.from(body.replace(/\s/g, ''), 'base64');
}

// Expected values were read with `openssl x509 -noout -text -fingerprint -sha256`.
describe('certificateFacts', () => {
  it('reads a SPIFFE leaf: fingerprint, serial, SANs, EC key, usages', () => {
    const f = certificateFacts(der('chain.pem', 0));
    expect(f.sha256).toBe('f89f770a43e79c0c126d253a76133fec9a284402669b49617dfb3d9655b16345');
    expect(f.serial).toBe('ABCDEF0123456789');
    expect(f.subject).toBe('O=Example Test, CN=checkout-api');
    expect(f.subjectCn).toBe('checkout-api');
    expect(f.issuer).toBe('C=NL, O=Example Test, CN=Example Test Issuing CA');
    expect(f.notBefore).toBe('2026-12-03T20:21:51.000Z');
    expect(f.notAfter).toBe('2027-03-03T20:21:51.000Z');
    expect(f.sans).toEqual({
      dns: ['checkout.shop.example.test', '*.shop.example.test', 'checkout'],
      ip: ['10.20.7.18', '2001:db8::5'],
      uri: ['spiffe://example.test/ns/shop/sa/checkout-api'],
      email: [],
    });
    expect(f.spiffeIds).toEqual(['spiffe://example.test/ns/shop/sa/checkout-api']);
    expect([f.keyType, f.keySize, f.curve]).toEqual(['ec', 256, 'P-256']);
    expect([f.signatureAlgorithm, f.signatureHash]).toEqual(['ecdsa-with-SHA256', 'sha256']);
    expect(f.isCa).toBe(false);
    expect(f.keyUsage).toEqual(['digitalSignature']);
    expect(f.extKeyUsage).toEqual(['serverAuth', 'clientAuth']);
    expect([f.selfIssued, f.selfSigned]).toEqual([false, false]);
  });

  it('reads an intermediate: path length, P-384, key identifiers', () => {
    const f = certificateFacts(der('chain.pem', 1));
    expect(f.sha256).toBe('82a16fbfd2b8169c15ed6bb28294caceb386fb3e68d81ec5a8c73e3a9f53314d');
    expect([f.isCa, f.pathLen, f.curve, f.keySize]).toEqual([true, 0, 'P-384', 384]);
    expect(f.subjectKeyId).toBe('fdea0520324f9fdd37e1f3a142b889c95ed85808');
    expect(f.authorityKeyId).toBe('e286e209530eb2411933d594f8ae47eae9d4145e');
    expect(f.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
  });

  it('reads a root that expires after 2049 (GeneralizedTime) and signs itself', () => {
    const f = certificateFacts(der('chain.pem', 2));
    expect(f.notAfter).toBe('2062-07-07T20:21:51.000Z');
    expect([f.keyType, f.keySize]).toEqual(['rsa', 3072]);
    expect([f.selfIssued, f.selfSigned, f.isCa]).toEqual([true, true, true]);
    expect(f.serial).toBe('1001');
  });

  it('flags a SHA-1 signature and escapes a comma in the subject', () => {
    const f = certificateFacts(der('legacy-sha1.pem'));
    expect([f.signatureAlgorithm, f.signatureHash]).toEqual(['sha1WithRSAEncryption', 'sha1']);
    expect(f.subject).toBe('O=Legacy Corp\\, Ltd., CN=legacy.example.test');
    expect(f.serial).toBe('07');
  });

  it('reads an empty subject as empty', () => {
    const f = certificateFacts(der('no-subject-and-csr.pem'));
    expect(f.subject).toBe('');
    expect(f.subjectCn).toBeUndefined();
    expect(f.sans.dns).toEqual(['nosubject.example.test']);
  });

  it('checks signatures across certificates', () => {
    expect(signedBy(der('chain.pem', 0), der('chain.pem', 1))).toBe(true);
    expect(signedBy(der('chain.pem', 0), der('chain.pem', 2))).toBe(false);
  });

  it('refuses bytes that are not a certificate', () => {
    const leaf = der('chain.pem', 0);
    expect(() => certificateFacts(leaf.subarray(0, 200))).toThrow(DerError);
    expect(() => certificateFacts(Buffer.concat([leaf, Buffer.from([0])]))).toThrow(/trailing/);
    expect(() => certificateFacts(Buffer.from('not a certificate'))).toThrow(DerError);
  });
});
