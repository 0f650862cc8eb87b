/**
 * A small reader for DER (ITU-T X.690 distinguished encoding rules): enough of ASN.1 to walk
 * an X.509 certificate (RFC 5280 §4.1) without a schema library. Every read is bounds-checked
 * and throws DerError on bad input, so a corrupted certificate becomes a rejection.
 */

export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

/** One tag-length-value element: `start..end` is its content, `headerStart..end` all of it. */
export interface Tlv {
  /** The identifier octet as written (0x30 SEQUENCE, 0xa3 context [3] constructed, ...). */
  readonly tag: number;
  readonly headerStart: number;
  readonly start: number;
  readonly end: number;
}

export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  sequence: 0x30,
  set: 0x31,
  utcTime: 0x17,
  generalizedTime: 0x18,
} as const;

/** Reads the element that starts at `pos` and must end by `limit`. */
export function readTlv(buf: Uint8Array, pos: number, limit = buf.length): Tlv {
  if (pos + 2 > limit) throw new DerError(`truncated element at byte ${pos}`);
  const tag = buf[pos]!;
  // High tag numbers (0x1f) never occur in certificates; refusing them keeps the reader short.
  if ((tag & 0x1f) === 0x1f) throw new DerError(`unsupported high tag number at byte ${pos}`);
  const first = buf[pos + 1]!;
  let len = first;
  let start = pos + 2;
  if (first & 0x80) {
    const n = first & 0x7f;
    // X.690 §10.1: DER forbids the indefinite form; four length octets cover 4 GiB.
    if (n === 0 || n > 4) throw new DerError(`bad length encoding at byte ${pos}`);
    if (start + n > limit) throw new DerError(`truncated length at byte ${pos}`);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  const end = start + len;
  if (end > limit) throw new DerError(`element at byte ${pos} runs past its container`);
  return { tag, headerStart: pos, start, end };
}

/** The elements inside a constructed element, in order. */
export function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let pos = parent.start;
  while (pos < parent.end) {
    const child = readTlv(buf, pos, parent.end);
    out.push(child);
    pos = child.end;
  }
  return out;
}

/** Reads an element and checks its tag. */
export function expectTlv(buf: Uint8Array, tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (!tlv || tlv.tag !== tag) {
    const got = tlv ? `0x${tlv.tag.toString(16)}` : 'nothing';
    throw new DerError(`expected ${what} (tag 0x${tag.toString(16)}), found ${got}`);
  }
  return tlv;
}

export function content(buf: Uint8Array, tlv: Tlv): Uint8Array {
  return buf.subarray(tlv.start, tlv.end);
}

export function whole(buf: Uint8Array, tlv: Tlv): Uint8Array {
  return buf.subarray(tlv.headerStart, tlv.end);
}

/** Dotted form of an OBJECT IDENTIFIER (X.690 §8.19). */
export function readOid(buf: Uint8Array, tlv: Tlv): string {
  const bytes = content(buf, tlv);
  if (bytes.length === 0) throw new DerError('empty object identifier');
  const arcs: number[] = [];
  let value = 0;
  for (const b of bytes) {
    value = value * 128 + (b & 0x7f);
    if (b & 0x80) continue;
    arcs.push(value);
    value = 0;
  }
  const head = arcs.shift()!;
  const x = Math.min(2, Math.floor(head / 40));
  return [x, head - x * 40, ...arcs].join('.');
}

/** Hex of an INTEGER's content octets, without the sign-padding zero (upper case, no colons). */
export function integerHex(buf: Uint8Array, tlv: Tlv): string {
  let bytes = content(buf, tlv);
  if (bytes.length > 1 && bytes[0] === 0 && (bytes[1]! & 0x80) !== 0) bytes = bytes.subarray(1);
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

/** A small non-negative INTEGER (path lengths, versions). */
export function smallInteger(buf: Uint8Array, tlv: Tlv): number {
  let n = 0;
  for (const b of content(buf, tlv)) n = n * 256 + b;
  return n;
}

/** Bit length of an unsigned big-endian magnitude (an RSA modulus). */
export function bitLength(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]!));
}

/**
 * An ASN.1 time as an ISO 8601 UTC instant. UTCTime years 50..99 are 19xx and 00..49 are 20xx
 * (RFC 5280 §4.1.2.5.1); GeneralizedTime carries four-digit years, so 0001 and 9999 both parse.
 */
export function readTime(buf: Uint8Array, tlv: Tlv): string {
  const text = Buffer.from(content(buf, tlv)).toString('latin1');
  const m =
    tlv.tag === TAG.utcTime
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/.exec(text)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:[.,]\d+)?(Z|[+-]\d{4})?$/.exec(text);
  if (!m || (tlv.tag !== TAG.utcTime && tlv.tag !== TAG.generalizedTime)) {
    throw new DerError(`unreadable time '${text.slice(0, 24)}'`);
  }
  let year = Number(m[1]);
  if (tlv.tag === TAG.utcTime) year += year >= 50 ? 1900 : 2000;
  const d = new Date(0);
  // setUTCFullYear, unlike Date.UTC, keeps years 0..99 as written.
  d.setUTCFullYear(year, Number(m[2]) - 1, Number(m[3]));
  d.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6] ?? 0), 0);
  const zone = m[7] ?? 'Z';
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const minutes = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5));
    d.setTime(d.getTime() - sign * minutes * 60_000);
  }
  if (Number.isNaN(d.getTime())) throw new DerError(`invalid time '${text.slice(0, 24)}'`);
  return d.toISOString();
}

/** Decodes the ASN.1 string types a Name or GeneralName may hold. */
export function readString(buf: Uint8Array, tlv: Tlv): string {
  const bytes = Buffer.from(content(buf, tlv));
  switch (tlv.tag) {
    case 0x1e: // BMPString: UTF-16 big-endian
      return bytes.swap16().toString('utf16le');
    case 0x1c: // UniversalString: UTF-32 big-endian
      return universalString(bytes);
    case 0x14: // TeletexString: treated as Latin-1, as most decoders do
      return bytes.toString('latin1');
    default:
      return bytes.toString('utf8');
  }
}

function universalString(bytes: Buffer): string {
  let out = '';
  for (let i = 0; i + 3 < bytes.length; i += 4) out += String.fromCodePoint(bytes.readUInt32BE(i));
  return out;
}
