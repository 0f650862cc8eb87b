import { createHash } from 'node:crypto';
import { decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import type { TrustBundle } from './trust-bundle.js';
import { trustDomainOf, verifyX509Svid } from './x509-svid.js';

export type ProofFailure = 'proof-invalid' | 'proof-expired' | 'proof-untrusted';

/** The outcome of checking a workload proof; never carries the token or certificate itself. */
export type ProofResult =
  | {
      readonly ok: true;
      readonly kind: 'x509-svid' | 'jwt-svid';
      readonly spiffeId: string;
      /** SHA-256 of the leaf certificate, or of the JWT (the log keeps this, not the proof). */
      readonly fingerprint: string;
      readonly expiresAt: string;
    }
  | {
      readonly ok: false;
      readonly kind: 'x509-svid' | 'jwt-svid';
      readonly reason: ProofFailure;
      readonly message: string;
      readonly spiffeId?: string;
      readonly fingerprint?: string;
    };

/** A workload proof found in a request. */
export type PresentedProof =
  | { readonly kind: 'x509-svid'; readonly pem: string; readonly via: string }
  | { readonly kind: 'jwt-svid'; readonly token: string; readonly via: string };

/** JWT-SVID spec: asymmetric algorithms only; `none` and HMAC are refused. */
const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384',
  'PS512'];

/**
 * Checks X509-SVIDs and JWT-SVIDs against the configured SPIFFE trust bundles.
 *
 * @example
 * const proofs = new ProofVerifier([parseTrustBundle('example.org', pem)], ['roster']);
 * await proofs.verify({ kind: 'x509-svid', pem: chain, via: 'mtls' }, Date.now());
 */
export class ProofVerifier {
  readonly #bundles: ReadonlyMap<string, TrustBundle>;
  readonly #audiences: readonly string[];

  constructor(bundles: readonly TrustBundle[], audiences: readonly string[]) {
    this.#bundles = new Map(bundles.map((b) => [b.trustDomain, b]));
    this.#audiences = audiences;
  }

  get configured(): boolean {
    return this.#bundles.size > 0;
  }

  verify(proof: PresentedProof, nowMs: number): ProofResult | Promise<ProofResult> {
    if (proof.kind === 'x509-svid') return verifyX509Svid(proof.pem, this.#bundles, nowMs);
    return this.#verifyJwt(proof.token, nowMs);
  }

  /** JWT-SVID spec: `sub` is the SPIFFE ID, `aud` and `exp` are required, key by `kid`. */
  async #verifyJwt(token: string, nowMs: number): Promise<ProofResult> {
    const fingerprint = createHash('sha256').update(token).digest('hex');
    let claims: JWTPayload;
    try {
      claims = decodeJwt(token);
    } catch {
      return jwtFailure('proof-invalid', 'the JWT-SVID is not a readable JWT', fingerprint);
    }
    const spiffeId = typeof claims.sub === 'string' ? claims.sub : '';
    if (!/^spiffe:\/\/[^/]+/i.test(spiffeId)) {
      return jwtFailure('proof-invalid', 'the JWT-SVID sub is not a SPIFFE ID', fingerprint);
    }
    const bundle = this.#bundles.get(trustDomainOf(spiffeId));
    if (!bundle || bundle.jwtAuthorities.size === 0) {
      const msg = `no JWT authorities for ${trustDomainOf(spiffeId)}`;
      return jwtFailure('proof-untrusted', msg, fingerprint, spiffeId);
    }
    try {
      const { payload } = await jwtVerify(token, (header) => keyOf(bundle, header.kid), {
        algorithms: JWT_ALGORITHMS,
        audience: [...this.#audiences],
        currentDate: new Date(nowMs),
        requiredClaims: ['exp', 'aud', 'sub'],
      });
      const expiresAt = new Date((payload.exp ?? 0) * 1000).toISOString();
      return { ok: true, kind: 'jwt-svid', spiffeId, fingerprint, expiresAt };
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ERR_JWT_EXPIRED') {
        return jwtFailure('proof-expired', 'the JWT-SVID has expired', fingerprint, spiffeId);
      }
      const untrusted = code === 'ERR_JWKS_NO_MATCHING_KEY' ||
        code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED';
      const message = `the JWT-SVID failed verification (${code ?? 'error'})`;
      return jwtFailure(untrusted ? 'proof-untrusted' : 'proof-invalid', message, fingerprint,
        spiffeId);
    }
  }
}

function keyOf(bundle: TrustBundle, kid: string | undefined) {
  const key = kid ? bundle.jwtAuthorities.get(kid) : undefined;
  if (!key) throw Object.assign(new Error('no matching key'), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
  return key;
}

const NO_BUNDLES = 'no SPIFFE trust bundle is configured (decide.trustBundles)';

/**
 * A proof when no trust bundle is configured: nothing can vouch for it (`proof-untrusted`),
 * but one that is not an SVID at all (an unreadable chain or JWT, a leaf breaking the SPIFFE
 * rules, a sub that is no SPIFFE ID) is `proof-invalid` first, as it is with bundles.
 */
export function checkWithoutBundles(proof: PresentedProof, nowMs: number): ProofResult {
  if (proof.kind === 'x509-svid') {
    const r = verifyX509Svid(proof.pem, new Map(), nowMs);
    return !r.ok && r.reason === 'proof-untrusted' ? { ...r, message: NO_BUNDLES } : r;
  }
  const fingerprint = createHash('sha256').update(proof.token).digest('hex');
  let claims: JWTPayload;
  try {
    claims = decodeJwt(proof.token);
  } catch {
    return jwtFailure('proof-invalid', 'the JWT-SVID is not a readable JWT', fingerprint);
  }
  const spiffeId = typeof claims.sub === 'string' ? claims.sub : '';
  if (!/^spiffe:\/\/[^/]+/i.test(spiffeId)) {
    return jwtFailure('proof-invalid', 'the JWT-SVID sub is not a SPIFFE ID', fingerprint);
  }
  return jwtFailure('proof-untrusted', NO_BUNDLES, fingerprint, spiffeId);
}

function jwtFailure(reason: ProofFailure, message: string, fingerprint: string, spiffeId?: string) {
  return {
    ok: false as const,
    kind: 'jwt-svid' as const,
    reason,
    message,
    fingerprint,
    ...(spiffeId ? { spiffeId } : {}),
  };
}

/**
 * Finds a proof in an AuthZEN request: `context.x509_svid` / `subject.properties.x509_svid`
 * (PEM chain, leaf first), `context.jwt_svid` / `subject.properties.jwt_svid`, or the mTLS
 * client certificate chain the server passes in.
 */
export function presentedProof(
  context: Readonly<Record<string, unknown>> | undefined,
  subjectProperties: Readonly<Record<string, unknown>> | undefined,
  mtlsChain: string | undefined,
): PresentedProof | undefined {
  const pick = (name: string): [string, string] | undefined => {
    const c = context?.[name];
    if (typeof c === 'string') return [c, `context.${name}`];
    const s = subjectProperties?.[name];
    if (typeof s === 'string') return [s, `subject.properties.${name}`];
    return undefined;
  };
  const x509 = pick('x509_svid');
  if (x509) return { kind: 'x509-svid', pem: x509[0], via: x509[1] };
  const jwt = pick('jwt_svid');
  if (jwt) return { kind: 'jwt-svid', token: jwt[0], via: jwt[1] };
  if (mtlsChain) return { kind: 'x509-svid', pem: mtlsChain, via: 'mtls client certificate' };
  return undefined;
}

/** Names of request fields that carry proofs: removed before a request is logged. */
export const PROOF_FIELDS = ['x509_svid', 'jwt_svid'] as const;
