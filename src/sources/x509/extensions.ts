import {
  TAG,
  children,
  content,
  expectTlv,
  readOid,
  readTlv,
  smallInteger,
  type Tlv,
} from './der.js';
import { EXTENSIONS, EXT_KEY_USAGES, KEY_USAGE_BITS } from './oids.js';

export interface SubjectAltNames {
  readonly dns: readonly string[];
  readonly ip: readonly string[];
  readonly uri: readonly string[];
  readonly email: readonly string[];
}

export interface ExtensionFacts {
  readonly sans: SubjectAltNames;
  readonly isCa: boolean;
  readonly pathLen?: number;
  /** Undefined when the certificate has no KeyUsage extension (any use allowed). */
  readonly keyUsage?: readonly string[];
  readonly extKeyUsage?: readonly string[];
  readonly subjectKeyId?: string;
  readonly authorityKeyId?: string;
}

const NO_SANS: SubjectAltNames = { dns: [], ip: [], uri: [], email: [] };

/** Reads the extensions Roster reports from a TBSCertificate's `[3] Extensions`, if any. */
export function readExtensions(buf: Uint8Array, explicit: Tlv | undefined): ExtensionFacts {
  const facts: { -readonly [K in keyof ExtensionFacts]: ExtensionFacts[K] } = {
    sans: NO_SANS,
    isCa: false,
  };
  if (!explicit) return facts;
  const [list] = children(buf, explicit);
  for (const ext of children(buf, expectTlv(buf, list, TAG.sequence, 'Extensions'))) {
    const parts = children(buf, expectTlv(buf, ext, TAG.sequence, 'Extension'));
    const oid = readOid(buf, expectTlv(buf, parts[0], TAG.oid, 'extnID'));
    const octets = expectTlv(buf, parts[parts.length - 1], TAG.octetString, 'extnValue');
    const value = readTlv(buf, octets.start, octets.end);
    readOne(buf, oid, value, facts);
  }
  return facts;
}

function readOne(
  buf: Uint8Array,
  oid: string,
  value: Tlv,
  facts: { -readonly [K in keyof ExtensionFacts]: ExtensionFacts[K] },
): void {
  switch (oid) {
    case EXTENSIONS.subjectAltName:
      facts.sans = readGeneralNames(buf, value);
      break;
    case EXTENSIONS.basicConstraints:
      Object.assign(facts, readBasicConstraints(buf, value));
      break;
    case EXTENSIONS.keyUsage:
      facts.keyUsage = readKeyUsage(buf, value);
      break;
    case EXTENSIONS.extKeyUsage:
      facts.extKeyUsage = children(buf, value).map((t) => {
        const dotted = readOid(buf, t);
        return EXT_KEY_USAGES[dotted] ?? dotted;
      });
      break;
    case EXTENSIONS.subjectKeyIdentifier:
      facts.subjectKeyId = hex(content(buf, value));
      break;
    case EXTENSIONS.authorityKeyIdentifier: {
      // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING, ... }
      const keyId = children(buf, value).find((t) => t.tag === 0x80);
      if (keyId) facts.authorityKeyId = hex(content(buf, keyId));
      break;
    }
  }
}

/** RFC 5280 §4.2.1.6 GeneralNames: rfc822Name [1], dNSName [2], URI [6], iPAddress [7]. */
function readGeneralNames(buf: Uint8Array, seq: Tlv): SubjectAltNames {
  const out: { dns: string[]; ip: string[]; uri: string[]; email: string[] } = {
    dns: [],
    ip: [],
    uri: [],
    email: [],
  };
  for (const name of children(buf, expectTlv(buf, seq, TAG.sequence, 'GeneralNames'))) {
    const text = () => Buffer.from(content(buf, name)).toString('latin1');
    if (name.tag === 0x81) out.email.push(text());
    else if (name.tag === 0x82) out.dns.push(text());
    else if (name.tag === 0x86) out.uri.push(text());
    else if (name.tag === 0x87) out.ip.push(formatIp(content(buf, name)));
  }
  return out;
}

function readBasicConstraints(buf: Uint8Array, seq: Tlv): { isCa: boolean; pathLen?: number } {
  let isCa = false;
  let pathLen: number | undefined;
  for (const t of children(buf, expectTlv(buf, seq, TAG.sequence, 'BasicConstraints'))) {
    if (t.tag === TAG.boolean) isCa = buf[t.start] !== 0;
    if (t.tag === TAG.integer) pathLen = smallInteger(buf, t);
  }
  return pathLen === undefined ? { isCa } : { isCa, pathLen };
}

/** KeyUsage is a BIT STRING whose first content octet counts the unused trailing bits. */
function readKeyUsage(buf: Uint8Array, bits: Tlv): string[] {
  const bytes = content(buf, expectTlv(buf, bits, TAG.bitString, 'KeyUsage'));
  const out: string[] = [];
  KEY_USAGE_BITS.forEach((name, i) => {
    const byte = bytes[1 + (i >> 3)];
    if (byte !== undefined && (byte & (0x80 >> (i & 7))) !== 0) out.push(name);
  });
  return out;
}

/** IPv4 dotted, IPv6 in the RFC 5952 short form (longest zero run as `::`). */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length !== 16) return hex(bytes);
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes[i]! * 256 + bytes[i + 1]!);
  let best = { at: -1, len: 1 };
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = Math.max(i, j);
  }
  const text = groups.map((g) => g.toString(16));
  if (best.at < 0) return text.join(':');
  const head = text.slice(0, best.at).join(':');
  const tail = text.slice(best.at + best.len).join(':');
  return `${head}::${tail}`;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
