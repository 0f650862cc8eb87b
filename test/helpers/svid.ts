import './reflect-polyfill.js';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export const USAGE = x509.KeyUsageFlags;

export interface TestCa {
  readonly cert: x509.X509Certificate;
  readonly keys: webcrypto.CryptoKeyPair;
  readonly pem: string;
}

/** A self-signed SPIFFE trust-domain root, made at test time (never a corpus file). */
export async function makeCa(
  trustDomain: string,
  notAfter = new Date('2030-01-01T00:00:00Z'),
): Promise<TestCa> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${trustDomain} test root`,
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter,
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(USAGE.keyCertSign | USAGE.cRLSign, true),
      new x509.SubjectAlternativeNameExtension([{ type: 'url', value: `spiffe://${trustDomain}` }]),
    ],
  });
  return { cert, keys, pem: cert.toString('pem') };
}

export interface SvidOptions {
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly uris?: readonly string[];
  readonly ca?: boolean;
  readonly usages?: number;
}

/** An X509-SVID leaf signed by `ca`, as a PEM chain (leaf only; the root is in the bundle). */
export async function issueSvid(
  ca: TestCa,
  spiffeId: string,
  o: SvidOptions = {},
): Promise<string> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: String(Math.floor(Math.random() * 1e9) + 1000),
    subject: 'O=SPIRE',
    issuer: ca.cert.subject,
    notBefore: o.notBefore ?? new Date('2026-11-01T00:00:00Z'),
    notAfter: o.notAfter ?? new Date('2027-01-01T00:00:00Z'),
    signingKey: ca.keys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(o.ca ?? false, undefined, true),
      new x509.KeyUsagesExtension(o.usages ?? USAGE.digitalSignature, true),
      new x509.SubjectAlternativeNameExtension(
        (o.uris ?? [spiffeId]).map((u) => ({ type: 'url', value: u }))),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert, false),
    ],
  });
  return cert.toString('pem');
}
