import '../helpers/reflect-polyfill.js';
import { webcrypto } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKLOAD } from '../helpers/decide-estate.js';
import { makeCa, type TestCa } from '../helpers/svid.js';
import { startDecideServer, type DecideHarness } from './harness.js';

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** A leaf signed by `ca` with its private key (PKCS#8 PEM), for a TLS peer. */
async function issue(ca: TestCa, names: { type: 'url' | 'ip'; value: string }[], eku: string) {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: String(Math.floor(Math.random() * 1e9) + 1000),
    subject: 'O=SPIRE', issuer: ca.cert.subject,
    notBefore: new Date('2026-11-01T00:00:00Z'), notAfter: new Date('2027-06-01T00:00:00Z'),
    signingKey: ca.keys.privateKey, publicKey: keys.publicKey, signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([eku]),
      new x509.SubjectAlternativeNameExtension(names),
    ],
  });
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key = `-----BEGIN PRIVATE KEY-----\n${der.toString('base64')}\n-----END PRIVATE KEY-----\n`;
  return { cert: cert.toString('pem'), key };
}

let ca: TestCa;
let h: DecideHarness;
let url: string;
let client: { cert: string; key: string };

beforeAll(async () => {
  ca = await makeCa('example.org', new Date('2030-01-01T00:00:00Z'));
  const server = await issue(ca, [{ type: 'ip', value: '127.0.0.1' }], '1.3.6.1.5.5.7.3.1');
  client = await issue(ca, [{ type: 'url', value: WORKLOAD }], '1.3.6.1.5.5.7.3.2');
  h = await startDecideServer({
    bundlePem: ca.pem,
    server: { tls: { cert: server.cert, key: server.key, clientCa: ca.pem } },
  });
  await h.rs.server.listen({ host: '127.0.0.1', port: 0 });
  url = `https://127.0.0.1:${(h.rs.server.server.address() as AddressInfo).port}`;
});
afterAll(async () => h.close());

type Answer = { status: number; json: Record<string, unknown> };

function post(path: string, body: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = httpsRequest(`${url}${path}`, {
      method: 'POST', ca: ca.pem, cert: client.cert, key: client.key,
      headers: { ...h.auth('decide'), 'content-type': 'application/json' },
    }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

describe('AuthZEN under mTLS', () => {
  it('takes the X509-SVID client certificate as the subject proof', async () => {
    const { status, json } = await post('/access/v1/evaluation', {
      subject: { type: 'workload', id: WORKLOAD }, action: { name: 'read' },
      resource: { type: 'host', id: 'vault-1' },
    });
    expect(status).toBe(200);
    // vault-1 is critical: only a verified proof passes deny-critical-without-proof.
    expect(json['decision']).toBe(true);
    const id = (json['context'] as { id: string }).id;
    const logged = await h.rs.server.inject({ method: 'GET', url: `/api/v1/decisions/${id}`,
      headers: h.auth('read') });
    expect((logged.json() as { proof: unknown }).proof).toMatchObject({
      kind: 'x509-svid', ok: true, spiffeId: WORKLOAD,
    });
  });

  it('denies a request that names another SPIFFE ID than the client certificate', async () => {
    const { json } = await post('/access/v1/evaluation', {
      subject: { type: 'workload', id: 'spiffe://example.org/ns/prod/sa/other' },
      action: { name: 'read' }, resource: { type: 'host', id: 'db-1' },
    });
    expect(json['decision']).toBe(false);
    expect((json['context'] as { reason: string }).reason).toBe('proof-mismatch');
  });
});
