import { normalizeKey } from '../../model/keys.js';
import { isNoneTime } from '../../model/time.js';
import type { AttrValue, Observation, Relation } from '../../model/types.js';
import type { CertificateFacts } from './certificate-facts.js';

export interface CertificatePlace {
  readonly scope: string;
  /** 1-based line of the BEGIN line, or record number in a JSON bundle. */
  readonly line: number;
  /** `x509-certificate` by default; `trust-bundle-ca` for a SPIRE bundle's authorities. */
  readonly credentialType?: string;
  /** SHA-256 of the issuer's DER, when the issuer was found in the same input. */
  readonly issuer?: string;
  readonly extra?: Readonly<Record<string, AttrValue>>;
}

/** RFC 5280 §4.1.2.5: 99991231235959Z means the certificate has no well-defined expiry. */
const NO_EXPIRY = '9999-12-31T23:59:59.000Z';

/**
 * One certificate as a credential keyed by the SHA-256 of its DER. It `names` the workload of
 * its SPIFFE ID and the hosts of its DNS SANs, and is `issued-by` its issuer when known.
 *
 * @example certificateObservation(certificateFacts(der), { scope: 'x509:chain.pem', line: 1 })
 */
export function certificateObservation(
  facts: CertificateFacts,
  place: CertificatePlace,
): Observation {
  const relations: Relation[] = [];
  if (place.issuer !== undefined) {
    relations.push({ type: 'issued-by', target: { type: 'x509-sha256', value: place.issuer } });
  }
  relations.push(...nameRelations(facts));
  const observation: Observation = {
    kind: 'credential',
    sourceId: facts.sha256,
    scope: place.scope,
    line: place.line,
    keys: [{ type: 'x509-sha256', value: facts.sha256 }],
    attributes: { ...certificateAttributes(facts, place.credentialType), ...place.extra },
  };
  return relations.length > 0 ? { ...observation, relations } : observation;
}

/** The attributes of a certificate, for any source that holds certificates. */
export function certificateAttributes(
  facts: CertificateFacts,
  credentialType = 'x509-certificate',
): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {
    name: displayName(facts),
    class: 'x509-certificate',
    credentialType,
    serial: facts.serial,
    expiresAt: facts.notAfter,
    fingerprint: facts.sha256,
    keyType: facts.keyType,
    signatureAlgorithm: facts.signatureAlgorithm,
    isCa: facts.isCa,
    selfSigned: facts.selfSigned,
    'x509.version': facts.version,
  };
  if (facts.subject !== '') out['subject'] = facts.subject;
  if (facts.issuer !== '') out['issuer'] = facts.issuer;
  // A notBefore of 0001-01-01 (Go's zero time) means "no start", never a real date (rule 1).
  if (!isNoneTime(facts.notBefore.slice(0, 10))) out['notBefore'] = facts.notBefore;
  if (facts.notAfter === NO_EXPIRY) out['x509.neverExpires'] = true;
  const sans = sanList(facts);
  if (sans.length > 0) out['sans'] = sans;
  if (facts.spiffeIds[0] !== undefined) out['spiffeId'] = facts.spiffeIds[0];
  if (facts.keySize !== undefined) out['keySize'] = facts.keySize;
  if (facts.curve !== undefined) out['keyCurve'] = facts.curve;
  if (facts.signatureHash !== undefined) out['signatureHash'] = facts.signatureHash;
  if (facts.pathLen !== undefined) out['x509.pathLen'] = facts.pathLen;
  if (facts.keyUsage !== undefined) out['x509.keyUsage'] = facts.keyUsage;
  if (facts.extKeyUsage !== undefined) out['x509.extKeyUsage'] = facts.extKeyUsage;
  return out;
}

/** The subject CN, else the first SAN, else the subject DN, else a fingerprint prefix. */
function displayName(facts: CertificateFacts): string {
  const { sans } = facts;
  const first = sans.uri[0] ?? sans.dns[0] ?? sans.ip[0] ?? sans.email[0];
  return facts.subjectCn ?? first ?? (facts.subject || `certificate ${facts.sha256.slice(0, 16)}`);
}

function sanList(facts: CertificateFacts): string[] {
  const { sans } = facts;
  return [
    ...sans.dns.map((v) => `DNS:${v}`),
    ...sans.ip.map((v) => `IP:${v}`),
    ...sans.uri.map((v) => `URI:${v}`),
    ...sans.email.map((v) => `email:${v}`),
  ];
}

/**
 * What the certificate names. A CA's SPIFFE ID is its trust domain, not a workload, so only
 * leaf certificates name a SPIFFE identity. Wildcard DNS names match no single host.
 */
function nameRelations(facts: CertificateFacts): Relation[] {
  const out: Relation[] = [];
  if (!facts.isCa) {
    for (const id of facts.spiffeIds) {
      const key = normalizeKey('spiffe-id', id);
      if (key) out.push({ type: 'names', target: key });
    }
  }
  for (const dns of facts.sans.dns) {
    if (dns.includes('*')) continue;
    const key = normalizeKey(dns.includes('.') ? 'fqdn' : 'hostname', dns);
    if (!key || out.some((r) => r.target.value === key.value)) continue;
    out.push({ type: 'names', target: key });
  }
  return out;
}
