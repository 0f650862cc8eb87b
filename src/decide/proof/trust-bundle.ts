import { X509Certificate, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { RosterError } from '../../model/errors.js';

/** The trust anchors of one SPIFFE trust domain (SPIFFE Trust Domain and Bundle spec). */
export interface TrustBundle {
  readonly trustDomain: string;
  /** X.509 authorities: roots that sign X509-SVIDs (or their intermediates). */
  readonly x509Authorities: readonly X509Certificate[];
  /** JWT authorities by key id. */
  readonly jwtAuthorities: ReadonlyMap<string, KeyObject>;
}

/**
 * Reads a trust bundle: PEM certificates (X.509 authorities only) or a SPIFFE bundle in JWKS
 * form, whose keys carry `use: "x509-svid"` (with `x5c`) or `use: "jwt-svid"` (with `kid`).
 *
 * @example parseTrustBundle('example.org', readFileSync('bundle.jwks.json', 'utf8'))
 */
export function parseTrustBundle(
  trustDomain: string,
  text: string,
  origin = 'bundle',
): TrustBundle {
  const domain = trustDomain.toLowerCase().replace(/^spiffe:\/\//, '');
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return fromJwks(domain, trimmed, origin);
  const certs = pemCertificates(trimmed);
  if (certs.length === 0) {
    throw new RosterError('CONFIG', `${origin}: no certificate or SPIFFE JWKS bundle found`);
  }
  return { trustDomain: domain, x509Authorities: certs, jwtAuthorities: new Map() };
}

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every CERTIFICATE block of a PEM text, in order. */
export function pemCertificates(text: string): X509Certificate[] {
  return (text.match(PEM) ?? []).map((block) => new X509Certificate(block));
}

interface Jwk {
  readonly kty?: string;
  readonly use?: string;
  readonly kid?: string;
  readonly x5c?: readonly string[];
}

function fromJwks(domain: string, text: string, origin: string): TrustBundle {
  let doc: { keys?: Jwk[] };
  try {
    doc = JSON.parse(text) as { keys?: Jwk[] };
  } catch (err) {
    throw new RosterError('CONFIG', `${origin}: not JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(doc.keys)) throw new RosterError('CONFIG', `${origin}: a JWKS needs "keys"`);
  const x509: X509Certificate[] = [];
  const jwt = new Map<string, KeyObject>();
  doc.keys.forEach((k, i) => {
    if (k.use === 'x509-svid') {
      // SPIFFE bundle format: exactly one certificate in x5c, base64 DER (not base64url).
      const der = k.x5c?.[0];
      if (!der) throw new RosterError('CONFIG', `${origin}: keys[${i}] (x509-svid) has no x5c`);
      x509.push(new X509Certificate(Buffer.from(der, 'base64')));
    } else if (k.use === 'jwt-svid') {
      if (!k.kid) throw new RosterError('CONFIG', `${origin}: keys[${i}] (jwt-svid) has no kid`);
      jwt.set(k.kid, createPublicKey({ key: k as unknown as JsonWebKey, format: 'jwk' }));
    }
  });
  return { trustDomain: domain, x509Authorities: x509, jwtAuthorities: jwt };
}
