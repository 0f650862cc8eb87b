import type { X509Certificate } from 'node:crypto';
import { certificateFacts, type CertificateFacts } from '../../sources/x509/certificate-facts.js';
import { pemCertificates, type TrustBundle } from './trust-bundle.js';
import type { ProofResult } from './proof.js';

const MAX_DEPTH = 8;

/** A chain that verified, with the validity window of its whole path (checked at each use). */
interface Verified {
  readonly spiffeId: string;
  readonly fingerprint: string;
  readonly notBefore: number;
  readonly notAfter: number;
}

/**
 * Verifies an X509-SVID chain (leaf first, PEM) against the trust bundles, following the
 * SPIFFE X509-SVID spec: the leaf has exactly one URI SAN with the `spiffe` scheme, is not a
 * CA, has digitalSignature and neither keyCertSign nor cRLSign; the chain leads to an X.509
 * authority of the SVID's trust domain; every certificate of the path is valid at `now`.
 */
export function verifyX509Svid(
  pemChain: string,
  bundles: ReadonlyMap<string, TrustBundle>,
  nowMs: number,
): ProofResult {
  let chain: X509Certificate[];
  try {
    chain = pemCertificates(pemChain);
  } catch {
    return invalid('the X509-SVID is not a readable PEM certificate chain');
  }
  const leaf = chain[0];
  if (!leaf) return invalid('no certificate in the X509-SVID');
  const fingerprint = leaf.fingerprint256.replace(/:/g, '').toLowerCase();
  const rule = leafRule(leaf);
  if (typeof rule !== 'object') return { ...invalid(rule), fingerprint };
  const bundle = bundles.get(trustDomainOf(rule.spiffeId));
  if (!bundle || bundle.x509Authorities.length === 0) {
    const why = `no trust bundle for ${trustDomainOf(rule.spiffeId)}`;
    return untrusted(why, rule.spiffeId, fingerprint);
  }
  const path = buildPath(leaf, chain.slice(1), bundle.x509Authorities);
  if (!path) {
    return untrusted('the chain does not lead to the trust bundle', rule.spiffeId, fingerprint);
  }
  const v: Verified = {
    spiffeId: rule.spiffeId,
    fingerprint,
    notBefore: Math.max(...path.map((c) => Date.parse(c.validFrom))),
    notAfter: Math.min(...path.map((c) => Date.parse(c.validTo))),
  };
  return checkTime(v, nowMs);
}

function checkTime(v: Verified, nowMs: number): ProofResult {
  const base = { kind: 'x509-svid' as const, spiffeId: v.spiffeId, fingerprint: v.fingerprint };
  const expiresAt = new Date(v.notAfter).toISOString();
  if (nowMs > v.notAfter) {
    return { ...base, ok: false, reason: 'proof-expired',
      message: `the X509-SVID expired at ${expiresAt}` };
  }
  if (nowMs < v.notBefore) {
    const from = new Date(v.notBefore).toISOString();
    return { ...base, ok: false, reason: 'proof-invalid',
      message: `the X509-SVID is not valid before ${from}` };
  }
  return { ...base, ok: true, expiresAt };
}

/** The X509-SVID leaf rules; returns the SPIFFE ID or the rule broken. */
function leafRule(leaf: X509Certificate): { spiffeId: string } | string {
  let cert: CertificateFacts;
  try {
    cert = certificateFacts(leaf.raw);
  } catch {
    return 'the leaf certificate cannot be read';
  }
  const uris = cert.sans.uri;
  if (uris.length !== 1) return `an X509-SVID has exactly one URI SAN (found ${uris.length})`;
  const uri = uris[0]!;
  if (!/^spiffe:\/\/[^/]+/i.test(uri)) return `the URI SAN '${uri}' is not a SPIFFE ID`;
  if (cert.isCa) return 'an X509-SVID leaf must not be a CA';
  const usage = cert.keyUsage;
  if (!usage?.includes('digitalSignature')) {
    return 'an X509-SVID leaf needs the digitalSignature key usage';
  }
  if (usage.includes('keyCertSign') || usage.includes('cRLSign')) {
    return 'an X509-SVID leaf must not have keyCertSign or cRLSign';
  }
  const lowerDomain = (_m: string, td: string) => `spiffe://${td.toLowerCase()}`;
  return { spiffeId: uri.replace(/^spiffe:\/\/([^/]+)/i, lowerDomain) };
}

export function trustDomainOf(spiffeId: string): string {
  return /^spiffe:\/\/([^/]+)/i.exec(spiffeId)?.[1]?.toLowerCase() ?? '';
}

/** Leaf → intermediates → an authority, each signature verified; undefined when none leads. */
function buildPath(
  leaf: X509Certificate,
  intermediates: readonly X509Certificate[],
  roots: readonly X509Certificate[],
): X509Certificate[] | undefined {
  const path = [leaf];
  let current = leaf;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const root = roots.find((r) => signedBy(current, r));
    if (root) return current === root ? path : [...path, root];
    const next = intermediates.find((c) => c.ca && !path.includes(c) && signedBy(current, c));
    if (!next) return undefined;
    path.push(next);
    current = next;
  }
  return undefined;
}

function signedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && issuer.ca && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function invalid(message: string): ProofResult {
  return { ok: false, kind: 'x509-svid', reason: 'proof-invalid', message };
}

function untrusted(message: string, spiffeId: string, fingerprint: string): ProofResult {
  return { ok: false, kind: 'x509-svid', reason: 'proof-untrusted', message, spiffeId,
    fingerprint };
}
