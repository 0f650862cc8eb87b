import { X509Certificate, createHash } from 'node:crypto';
import {
  DerError,
  TAG,
  bitLength,
  children,
  content,
  expectTlv,
  integerHex,
  readOid,
  readTime,
  readTlv,
  smallInteger,
  whole,
  type Tlv,
} from './der.js';
import { readExtensions, type SubjectAltNames } from './extensions.js';
import { readName } from './name.js';
import {
  CURVES,
  FIXED_KEY_BITS,
  HASH_ALGORITHMS,
  KEY_ALGORITHMS,
  SIGNATURE_ALGORITHMS,
} from './oids.js';

/** What Roster reads from one certificate. Times are ISO 8601 UTC instants. */
export interface CertificateFacts {
  /** SHA-256 of the DER encoding, lower-case hex: the certificate's strong key. */
  readonly sha256: string;
  /** Serial number as upper-case hex, as OpenSSL prints it. */
  readonly serial: string;
  readonly version: number;
  /** One-line subject DN, '' when the subject is empty (RFC 5280 allows it with a SAN). */
  readonly subject: string;
  readonly subjectCn?: string;
  readonly issuer: string;
  readonly issuerCn?: string;
  /** Hex of the DER subject and issuer Names: byte equality is how chains are matched. */
  readonly subjectDer: string;
  readonly issuerDer: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly sans: SubjectAltNames;
  /** URI SANs with the `spiffe` scheme (an X509-SVID carries exactly one). */
  readonly spiffeIds: readonly string[];
  /** `rsa`, `ec`, `ed25519`, ... */
  readonly keyType: string;
  /** RSA modulus bits, EC curve bits. */
  readonly keySize?: number;
  /** EC named curve (`P-256`). */
  readonly curve?: string;
  readonly signatureAlgorithm: string;
  /** Digest of the signature (`sha1`, `sha256`), when the algorithm names one. */
  readonly signatureHash?: string;
  readonly isCa: boolean;
  readonly pathLen?: number;
  readonly keyUsage?: readonly string[];
  readonly extKeyUsage?: readonly string[];
  readonly subjectKeyId?: string;
  readonly authorityKeyId?: string;
  /** Subject and issuer are the same Name. */
  readonly selfIssued: boolean;
  /** Self-issued and its own key verifies its signature: a root or a self-signed leaf. */
  readonly selfSigned: boolean;
}

/**
 * Reads the facts of one DER certificate (RFC 5280 §4.1). Throws DerError when the bytes are
 * not a certificate. Kept free of Roster's model so SVID verification can reuse it.
 *
 * @example certificateFacts(der).spiffeIds // ['spiffe://example.org/workload-1']
 */
export function certificateFacts(der: Uint8Array): CertificateFacts {
  const cert = readTlv(der, 0);
  if (cert.end !== der.length) throw new DerError('trailing bytes after the certificate');
  const [tbs, sigAlg] = children(der, expectTlv(der, cert, TAG.sequence, 'Certificate'));
  const fields = children(der, expectTlv(der, tbs, TAG.sequence, 'TBSCertificate'));
  const hasVersion = fields[0]?.tag === 0xa0;
  const at = (i: number): Tlv | undefined => fields[hasVersion ? i + 1 : i];
  const version = hasVersion ? smallInteger(der, children(der, fields[0]!)[0]!) + 1 : 1;
  const serial = integerHex(der, expectTlv(der, at(0), TAG.integer, 'serialNumber'));
  const issuerTlv = expectTlv(der, at(2), TAG.sequence, 'issuer');
  const subjectTlv = expectTlv(der, at(4), TAG.sequence, 'subject');
  const validity = children(der, expectTlv(der, at(3), TAG.sequence, 'validity'));
  const issuer = readName(der, issuerTlv);
  const subject = readName(der, subjectTlv);
  const ext = readExtensions(der, fields.find((f) => f.tag === 0xa3));
  const subjectDer = hexOf(whole(der, subjectTlv));
  const issuerDer = hexOf(whole(der, issuerTlv));
  const selfIssued = subjectDer === issuerDer;
  return {
    sha256: createHash('sha256').update(der).digest('hex'),
    serial,
    version,
    subject: subject.text,
    ...(subject.commonName !== undefined && { subjectCn: subject.commonName }),
    issuer: issuer.text,
    ...(issuer.commonName !== undefined && { issuerCn: issuer.commonName }),
    subjectDer,
    issuerDer,
    notBefore: readTime(der, validity[0]!),
    notAfter: readTime(der, validity[1]!),
    ...ext,
    spiffeIds: ext.sans.uri.filter((u) => /^spiffe:\/\//i.test(u)),
    ...readPublicKey(der, expectTlv(der, at(5), TAG.sequence, 'subjectPublicKeyInfo')),
    ...readSignatureAlgorithm(der, expectTlv(der, sigAlg, TAG.sequence, 'signatureAlgorithm')),
    selfIssued,
    selfSigned: selfIssued && signedBy(der, der) !== false,
  };
}

/**
 * Whether `issuerDer`'s public key verifies `childDer`'s signature: true, false, or undefined
 * when node:crypto cannot check this algorithm (callers then rely on the names alone).
 */
export function signedBy(childDer: Uint8Array, issuerDer: Uint8Array): boolean | undefined {
  try {
    const child = new X509Certificate(childDer);
    const issuer = childDer === issuerDer ? child : new X509Certificate(issuerDer);
    return child.verify(issuer.publicKey);
  } catch {
    return undefined;
  }
}

interface KeyFacts {
  keyType: string;
  keySize?: number;
  curve?: string;
}

/** SubjectPublicKeyInfo (RFC 5280 §4.1.2.7): the algorithm, its curve, the RSA modulus size. */
function readPublicKey(der: Uint8Array, spki: Tlv): KeyFacts {
  const [alg, key] = children(der, spki);
  const [oidTlv, params] = children(der, expectTlv(der, alg, TAG.sequence, 'algorithm'));
  const oid = readOid(der, expectTlv(der, oidTlv, TAG.oid, 'algorithm id'));
  const keyType = KEY_ALGORITHMS[oid] ?? oid;
  if (keyType === 'ec' && params?.tag === TAG.oid) {
    const curveOid = readOid(der, params);
    const curve = CURVES[curveOid];
    if (!curve) return { keyType, curve: curveOid };
    return { keyType, keySize: curve.bits, curve: curve.name };
  }
  if ((keyType === 'rsa' || keyType === 'rsa-pss') && key?.tag === TAG.bitString) {
    // The BIT STRING holds RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }.
    const rsa = readTlv(der, key.start + 1, key.end);
    const [modulus] = children(der, expectTlv(der, rsa, TAG.sequence, 'RSAPublicKey'));
    const bits = bitLength(content(der, expectTlv(der, modulus, TAG.integer, 'modulus')));
    return { keyType, keySize: bits };
  }
  const fixed = FIXED_KEY_BITS[keyType];
  return fixed === undefined ? { keyType } : { keyType, keySize: fixed };
}

function readSignatureAlgorithm(
  der: Uint8Array,
  alg: Tlv,
): { signatureAlgorithm: string; signatureHash?: string } {
  const [oidTlv, params] = children(der, alg);
  const oid = readOid(der, expectTlv(der, oidTlv, TAG.oid, 'signature algorithm id'));
  const known = SIGNATURE_ALGORITHMS[oid];
  if (!known) return { signatureAlgorithm: oid };
  const hash = known.hash ?? (params ? pssHash(der, params) : undefined);
  if (!hash) return { signatureAlgorithm: known.name };
  return { signatureAlgorithm: known.name, signatureHash: hash };
}

/** RSASSA-PSS-params: hashAlgorithm [0] defaults to SHA-1 (RFC 4055 §3.1). */
function pssHash(der: Uint8Array, params: Tlv): string | undefined {
  if (params.tag !== TAG.sequence) return undefined;
  const hashField = children(der, params).find((t) => t.tag === 0xa0);
  if (!hashField) return 'sha1';
  const [algId] = children(der, hashField);
  const [oid] = children(der, expectTlv(der, algId, TAG.sequence, 'hashAlgorithm'));
  const dotted = readOid(der, expectTlv(der, oid, TAG.oid, 'hash id'));
  return HASH_ALGORITHMS[dotted] ?? dotted;
}

function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
