import { createHash, createPublicKey } from 'node:crypto';
import type { Observation } from '../../model/types.js';
import type { ParseEvent } from '../format.js';
import { reject } from '../streaming/events.js';
import { ChainLinker, type ReadCertificate } from '../x509/chain-linker.js';
import { certificateObservation } from '../x509/certificate-observation.js';
import { decodeCertificate } from '../x509/x509-events.js';
import { arr, epochSeconds, flag, obj, spireScope, str, type Obj } from './spire-values.js';

export interface BundlePlace {
  readonly file: string;
  /** 1-based position of the bundle in a `bundle list`, 1 for `bundle show`. */
  readonly line: number;
}

/**
 * One trust bundle (spire-api-sdk types.Bundle as `bundle show|list -output json` prints it):
 * each `x509_authorities[].asn1` CA certificate becomes a `trust-bundle-ca` credential, each
 * `jwt_authorities[]` key a `jwt-authority` credential.
 */
export function bundleEvents(bundle: Obj, trustDomain: string, place: BundlePlace): ParseEvent[] {
  const events: ParseEvent[] = [];
  const certificates: ReadCertificate[] = [];
  const tainted = new Map<string, boolean>();
  arr(bundle['x509_authorities']).forEach((a, i) => {
    const asn1 = str(obj(a)?.['asn1']);
    const field = `x509_authorities[${i}].asn1`;
    if (asn1 === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(asn1)) {
      events.push(reject(place.file, place.line, field, 'BAD_INPUT', 'not a Base64 certificate'));
      return;
    }
    const der = Buffer.from(asn1, 'base64');
    const item = decodeCertificate(der, 'CA certificate', place.line, place.file);
    if (item.type !== 'certificate') {
      events.push(item);
      return;
    }
    certificates.push(item.cert);
    tainted.set(item.cert.facts.sha256, flag(obj(a)?.['tainted']) ?? false);
  });
  for (const observation of caObservations(certificates, trustDomain, tainted)) {
    events.push({ type: 'observation', observation });
  }
  arr(bundle['jwt_authorities']).forEach((a, i) => {
    events.push(...jwtAuthority(obj(a), trustDomain, place, i));
  });
  return events;
}

/** CA certificates of one trust domain, linked to their issuer when it is in the bundle too. */
export function caObservations(
  certificates: readonly ReadCertificate[],
  trustDomain: string,
  tainted: ReadonlyMap<string, boolean> = new Map(),
): Observation[] {
  const linker = new ChainLinker();
  const linked = [...certificates.flatMap((c) => linker.add(c)), ...linker.rest()];
  const scope = spireScope(trustDomain);
  return linked.map((c) =>
    certificateObservation(c.facts, {
      scope,
      line: c.line,
      credentialType: 'trust-bundle-ca',
      ...(c.issuer !== undefined && { issuer: c.issuer }),
      extra: { trustDomain, 'spire.tainted': tainted.get(c.facts.sha256) ?? false },
    }),
  );
}

/**
 * A JWT-SVID signing key. Its fingerprint is the SHA-256 of the public key's SPKI DER, the same
 * whether the bundle wrote it as `public_key` (DER) or as a JWK.
 */
export function jwtAuthority(
  authority: Obj | undefined,
  trustDomain: string,
  place: BundlePlace,
  index: number,
): ParseEvent[] {
  const kid = str(authority?.['key_id']) ?? str(authority?.['kid']);
  if (!authority || kid === undefined) {
    const field = `jwt_authorities[${index}].key_id`;
    return [reject(place.file, place.line, field, 'BAD_INPUT', 'JWT authority without a key id')];
  }
  const expires = epochSeconds(authority['expires_at']);
  const fingerprint = spkiFingerprint(authority);
  const observation: Observation = {
    kind: 'credential',
    sourceId: `spire-jwt-authority:${trustDomain}:${kid}`,
    scope: spireScope(trustDomain),
    line: place.line,
    keys: [{ type: 'key-id', value: `spire-jwt-authority:${trustDomain}:${kid}` }],
    attributes: {
      name: kid,
      class: 'spire-jwt-authority',
      credentialType: 'jwt-authority',
      trustDomain,
      'spire.tainted': flag(authority['tainted']) ?? false,
      ...(expires.value !== undefined && { expiresAt: expires.value }),
      ...(fingerprint !== undefined && { fingerprint }),
    },
  };
  return [{ type: 'observation', observation }];
}

function spkiFingerprint(authority: Obj): string | undefined {
  try {
    const der = str(authority['public_key']);
    const key = der
      ? createPublicKey({ key: Buffer.from(der, 'base64'), format: 'der', type: 'spki' })
      : createPublicKey({ key: authority as never, format: 'jwk' });
    const spki = key.export({ format: 'der', type: 'spki' });
    return createHash('sha256').update(spki).digest('hex');
  } catch {
    return undefined;
  }
}
