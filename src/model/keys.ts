import type { Key, KeyStrength, KeyType } from './types.js';

const WEAK_KEYS: ReadonlySet<KeyType> = new Set(['hostname', 'fqdn', 'ip', 'mac', 'name']);

/** Whether a key identifies a thing on its own (DESIGN.md rule 2). */
export function keyStrength(type: KeyType): KeyStrength {
  return WEAK_KEYS.has(type) ? 'weak' : 'strong';
}

/**
 * Key types of which one thing has exactly one value. Two different values of such a type on
 * the same record mean two different things: the merge is blocked and a conflict raised.
 */
const SINGLE_VALUED: ReadonlySet<KeyType> = new Set([
  'aws-instance-id',
  'serial-number',
  'hardware-uuid',
  'cmdb-sys-id',
  'spiffe-id',
  'x509-sha256',
  'k8s-uid',
  'entra-object-id',
  'aws-access-key-id',
  'aws-credential-slot',
]);

export function isSingleValued(type: KeyType): boolean {
  return SINGLE_VALUED.has(type);
}

/**
 * Values that tools write where an identifier is unknown. They never identify anything:
 * BIOS defaults, CMDB fillers and credential-report markers.
 */
const PLACEHOLDERS = new Set(
  [
    '',
    'n/a',
    'na',
    'none',
    'null',
    'nil',
    'undefined',
    'unknown',
    '-',
    '--',
    '0',
    'to be filled by o.e.m.',
    'to be filled by oem',
    'default string',
    'not specified',
    'not available',
    'not applicable',
    'system serial number',
    'system product name',
    'chassis serial number',
    'base board serial number',
    'o.e.m.',
    'oem',
    'invalid',
    'no_information',
    'not_supported',
    '123456789',
    '03000200-0400-0500-0006-000700080009',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
  ].map((s) => s.toLowerCase()),
);

/**
 * The longest value taken for a placeholder: the fillers tools write are short (the longest
 * listed is 36 characters; an all-zero SHA-256 with colons, 95). A longer value, even a run of
 * one character, is kept as a key, so that one past the key limit refuses its row as too long
 * (ingest.maxKeyLength) instead of being left out as a filler.
 */
const LONGEST_PLACEHOLDER = 128;

/** True when a raw identifier is a known placeholder (or a run of one repeated character). */
export function isPlaceholder(raw: string): boolean {
  const v = raw.trim();
  if (v.length > LONGEST_PLACEHOLDER) return false;
  const lower = v.toLowerCase();
  return PLACEHOLDERS.has(lower) || isOneCharacterRun(lower);
}

/**
 * A run of one repeated character, such as 0000000000, a row of capital X's, the all-zero
 * UUID 00000000-0000-0000-0000-000000000000 or FFFFFFFF…: at least four of one character
 * once separators (`-`, `:`, `.`, white space) are set aside. A loop, not a replace and a
 * pattern: every identifier of every record goes through here.
 */
function isOneCharacterRun(v: string): boolean {
  let first = -1;
  let count = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 0x2d || c === 0x3a || c === 0x2e || isSpace(c)) continue;
    if (first === -1) first = c;
    else if (c !== first) return false;
    count++;
  }
  return count >= 4;
}

function isSpace(c: number): boolean {
  if (c > 0x20 && c < 0x7f) return false;
  return /\s/.test(String.fromCharCode(c));
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function normalizeIp(v: string): string | undefined {
  const m = IPV4.exec(v);
  if (m) {
    const parts = m.slice(1).map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return parts.join('.');
  }
  if (v.includes(':') && /^[0-9a-f:.]+$/i.test(v)) return v.toLowerCase();
  return undefined;
}

function normalizeMac(v: string): string | undefined {
  const hex = v.replace(/[-:.\s]/g, '').toLowerCase();
  if (!/^[0-9a-f]{12}$/.test(hex)) return undefined;
  return hex.match(/../g)!.join(':');
}

/**
 * Normalises a raw identifier by its type's own rules, or returns undefined when the value is
 * empty, a placeholder, or not of the type's shape. Identifiers stay strings: leading zeros
 * of account ids are kept.
 *
 * @example
 * normalizeKey('hostname', ' Web-01.Example.com ')
 * // { type: 'hostname', value: 'web-01.example.com' }
 */
export function normalizeKey(type: KeyType, raw: unknown): Key | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const trimmed = String(raw).trim();
  if (isPlaceholder(trimmed)) return undefined;
  const value = normalizeValue(type, trimmed);
  return value === undefined ? undefined : { type, value };
}

function normalizeValue(type: KeyType, v: string): string | undefined {
  switch (type) {
    case 'hostname':
    case 'fqdn':
      // DNS names are case-insensitive; a trailing root dot is the same name.
      return v.toLowerCase().replace(/\.$/, '');
    case 'email':
      return v.includes('@') ? v.toLowerCase() : undefined;
    case 'ip':
      return normalizeIp(v);
    case 'mac':
      return normalizeMac(v);
    case 'aws-instance-id':
      return /^i-[0-9a-f]{8,17}$/i.test(v) ? v.toLowerCase() : undefined;
    case 'aws-account-id':
      return /^\d{12}$/.test(v) ? v : undefined;
    case 'serial-number':
    case 'asset-tag':
      return v.toUpperCase();
    case 'hardware-uuid':
    case 'k8s-uid':
    case 'entra-object-id':
    case 'entra-app-id':
      return v.toLowerCase();
    case 'cmdb-sys-id':
      return v.toLowerCase();
    case 'x509-sha256':
      return v.replace(/[:\s]/g, '').toLowerCase();
    case 'owner':
      return v.replace(/\s+/g, ' ').toLowerCase();
    case 'name':
      return v.replace(/\s+/g, ' ').toLowerCase();
    case 'spiffe-id':
      // Trust domain is case-insensitive and lower-case by the SPIFFE ID spec; the path is not.
      return normalizeSpiffeId(v);
    default:
      // ARNs, key ids, k8s refs, resource names: case-sensitive as their systems are.
      return v;
  }
}

function normalizeSpiffeId(v: string): string | undefined {
  const m = /^spiffe:\/\/([^/]+)(\/.*)?$/i.exec(v);
  if (!m) return undefined;
  return `spiffe://${m[1]!.toLowerCase()}${m[2] ?? ''}`;
}

/** Stable text form of a key, used as a map key and in the store: `type:value`. */
export function keyString(key: Key): string {
  return `${key.type}:${key.value}`;
}

/** Parses the text form written by keyString. */
export function parseKeyString(text: string): Key | undefined {
  const i = text.indexOf(':');
  if (i <= 0) return undefined;
  return { type: text.slice(0, i) as KeyType, value: text.slice(i + 1) };
}
