import '../helpers/reflect-polyfill.js';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

export interface Issued {
  readonly cert: string;
  readonly key: string;
}

export interface TestPki {
  readonly caPem: string;
  readonly server: Issued;
  readonly client: Issued;
  /** A client certificate from another CA, which mTLS must refuse. */
  readonly stranger: Issued;
}

async function pkcs8(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').trimEnd();
  return `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`;
}

async function makeCa(name: string) {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01', name: `CN=${name}`,
    notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + DAY),
    keys, signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
    ],
  });
  return { cert, keys };
}

async function leaf(
  ca: Awaited<ReturnType<typeof makeCa>>,
  cn: string,
  usage: string,
  names: { type: 'ip' | 'dns' | 'url'; value: string }[],
): Promise<Issued> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: String(Math.floor(Math.random() * 1e9) + 1000),
    subject: `CN=${cn}`, issuer: ca.cert.subject,
    notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + DAY),
    signingKey: ca.keys.privateKey, publicKey: keys.publicKey, signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([usage]),
      new x509.SubjectAlternativeNameExtension(names),
    ],
  });
  return { cert: cert.toString('pem'), key: await pkcs8(keys.privateKey) };
}

/** A CA, a server certificate for 127.0.0.1 and localhost, and SPIFFE client certificates. */
export async function makePki(): Promise<TestPki> {
  const ca = await makeCa('roster test CA');
  const other = await makeCa('some other CA');
  const serverAuth = '1.3.6.1.5.5.7.3.1';
  const clientAuth = '1.3.6.1.5.5.7.3.2';
  return {
    caPem: ca.cert.toString('pem'),
    server: await leaf(ca, 'roster', serverAuth, [
      { type: 'ip', value: '127.0.0.1' }, { type: 'dns', value: 'localhost' },
    ]),
    client: await leaf(ca, 'ci', clientAuth, [{ type: 'url', value: 'spiffe://example.org/ci' }]),
    stranger: await leaf(
      other,
      'stranger',
      clientAuth,
      [{ type: 'url', value: 'spiffe://evil.example/x' }],
    ),
  };
}
