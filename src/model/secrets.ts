/**
 * Secret detection (DESIGN.md rule 5). Roster keeps identifiers and fingerprints, never secret
 * values: parsers call these checks on every field they read, refuse what matches and report
 * the field by name only.
 */
import { isKnownToken, PRIVATE_KEY_ARMOUR } from './secret-shapes.js';

const JWT = /^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*$/;
/** Field names (the last word of a dotted or snake_case path) that hold a secret value. */
const SECRET_FIELD_NAMES = [
  'secret', 'secret[_-]?key', 'password', 'passwd', 'private[_-]?key', 'client[_-]?secret',
  'token', 'secret[_-]?access[_-]?key', 'api[_-]?key', 'private[_-]?key[_-]?data',
  'secret[_-]?text',
];
const SECRET_FIELD = new RegExp(`(^|[_.-])(${SECRET_FIELD_NAMES.join('|')})$`, 'i');
const AWS_SECRET_KEY = /^[A-Za-z0-9/+]{40}$/;
const GITHUB_TOKEN = /^(ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{20,}$/;
const SLACK_TOKEN = /^xox[abprs]-[A-Za-z0-9-]{10,}$/;
const VAULT_TOKEN = /^(hvs|hvb|s)\.[A-Za-z0-9]{20,}$/;
/** Roster's own API tokens (src/server/auth/token-secret.ts). */
const ROSTER_TOKEN = /^rst_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/;

const MASK = /^(\*+|x+|redacted|<redacted>|\[redacted\]|n\/a|null|none|not_supported)$/i;
const BOOLEAN = /^(true|false|yes|no)$/i;

/** True when a text holds a PEM private key block anywhere. */
export function containsPrivateKey(text: string): boolean {
  // The substring test first: it is what the pattern needs, and far cheaper on long texts.
  return text.includes('PRIVATE KEY') && PRIVATE_KEY_ARMOUR.test(text);
}

/**
 * True when a value looks like a secret whatever field holds it: a private key anywhere, a JWT,
 * a known token whole (the shapes ingest refuses, secret-shapes.ts).
 */
export function looksLikeSecretValue(value: string): boolean {
  return looksLikeSecret(value.trim());
}

/**
 * The token shapes by their first character (each pattern is anchored there), so that an
 * ordinary value costs one switch instead of five pattern runs: parsers call this per field.
 */
function looksLikeSecret(v: string): boolean {
  if (containsPrivateKey(v)) return true;
  if (v.length >= 20 && isKnownToken(v)) return true;
  switch (v.charCodeAt(0)) {
    case 0x65: // e
      return JWT.test(v);
    case 0x67: // g
      return GITHUB_TOKEN.test(v);
    case 0x78: // x
      return SLACK_TOKEN.test(v);
    case 0x68: // h
      return VAULT_TOKEN.test(v);
    case 0x73: // s
      return VAULT_TOKEN.test(v);
    case 0x72: // r
      return ROSTER_TOKEN.test(v);
    default:
      return false;
  }
}

/** Whether each field name seen is named like a secret: names repeat on every record. */
const secretNames = new Map<string, boolean>();
const SECRET_NAMES_KEPT = 10_000;

export function namedLikeSecret(field: string): boolean {
  let named = secretNames.get(field);
  if (named === undefined) {
    named = SECRET_FIELD.test(field);
    if (secretNames.size < SECRET_NAMES_KEPT) secretNames.set(field, named);
  }
  return named;
}

/**
 * True when a field, by its name and value, holds a secret: a field named like a secret with a
 * non-empty value that is not a mask, or an AWS secret access key shape under a key-ish name.
 */
export function isSecretField(field: string, value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const v = value.trim();
  // No mask ('***', 'xxx', 'redacted', 'n/a', …) has a token's shape, so masks are only
  // looked for under a secret-ish name.
  if (v === '') return false;
  if (looksLikeSecret(v)) return true;
  if (!namedLikeSecret(field) || MASK.test(v)) return false;
  // A boolean or a date under a secret-ish name (password_enabled, password_last_used) is not one.
  if (BOOLEAN.test(v) || !Number.isNaN(Date.parse(v))) return false;
  return v.length >= 8 || AWS_SECRET_KEY.test(v);
}
