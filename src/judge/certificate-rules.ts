import type { InventoryRecord } from '../model/record.js';
import type { JudgeConfig } from './config.js';
import { isActiveCredential } from './credential-rules.js';
import { attrEvidence, flag, type FindingDraft, text } from './make.js';

const WEAK_HASHES = new Set(['md2', 'md4', 'md5', 'sha1', 'sha-1']);

/** Weak signatures and keys (NHI4): SHA-1 or MD5 signatures, short RSA or EC keys. */
export function weakCredential(
  r: InventoryRecord,
  config: JudgeConfig,
  now: string,
): FindingDraft | undefined {
  if (!isActiveCredential(r, now)) return undefined;
  const reasons: string[] = [];
  const fields: string[] = [];
  const hash = (text(r, 'signatureHash') ?? hashOf(text(r, 'signatureAlgorithm')))?.toLowerCase();
  // A self-signed root's own signature is never checked by a verifier; its key still matters.
  if (hash && WEAK_HASHES.has(hash) && !flag(r, 'selfSigned')) {
    reasons.push(`it is signed with ${hash.toUpperCase()}`);
    fields.push('signatureAlgorithm');
  }
  const keyType = text(r, 'keyType')?.toLowerCase();
  const size = r.attributes['keySize']?.value;
  if (typeof size === 'number') {
    if (keyType === 'rsa' && size < config.minRsaBits) {
      reasons.push(`its RSA key has ${size} bits (minimum ${config.minRsaBits})`);
      fields.push('keySize');
    } else if ((keyType === 'ec' || keyType === 'ecdsa') && size < config.minEcBits) {
      reasons.push(`its EC key has ${size} bits (minimum ${config.minEcBits})`);
      fields.push('keySize');
    } else if (keyType === 'dsa') {
      reasons.push('it uses a DSA key');
      fields.push('keyType');
    }
  }
  if (reasons.length === 0) return undefined;
  return {
    kind: 'weak-credential',
    message: `${r.name} is weak: ${reasons.join('; ')}`,
    evidence: fields.flatMap((f) => attrEvidence(r, f)),
  };
}

function hashOf(algorithm: string | undefined): string | undefined {
  const m = algorithm && /(md2|md4|md5|sha-?1)(?![0-9])/i.exec(algorithm);
  return m ? m[1] : undefined;
}

/**
 * A self-signed leaf certificate that no trust bundle vouches for: a service proving itself
 * with a certificate only it can sign (NHI4). Self-signed CA roots are trust anchors by nature
 * and are not flagged; a certificate also listed in a SPIRE trust bundle is trusted.
 */
export function selfSignedOutsideTrust(r: InventoryRecord, now: string): FindingDraft | undefined {
  if (!isActiveCredential(r, now) || flag(r, 'selfSigned') !== true) return undefined;
  if (flag(r, 'isCa') === true) return undefined;
  const inBundle = r.sightings.some((s) => s.format === 'spire-bundle') ||
    text(r, 'credentialType') === 'trust-bundle-ca';
  if (inBundle) return undefined;
  return {
    kind: 'self-signed-outside-trust',
    message: `${r.name} is a self-signed leaf certificate that no trust bundle vouches for`,
    evidence: [...attrEvidence(r, 'selfSigned'), ...attrEvidence(r, 'issuer')],
  };
}
