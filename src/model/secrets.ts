/**
 * Secret detection (DESIGN.md rule 5). Roster keeps identifiers and fingerprints, never secret
 * values: parsers call these checks on every field they read, refuse what matches and report
 * the field by name only.
 */

const PRIVATE_KEY_PEM = /-----BEGIN ((RSA|EC|DSA|OPENSSH|ENCRYPTED) )?PRIVATE KEY-----/;
const JWT = /^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*$/;
const SECRET_FIELD =
  /(^|[_.-])(secret|secret[_-]?key|password|passwd|private[_-]?key|client[_-]?secret|token|secret[_-]?access[_-]?key|api[_-]?key|private[_-]?key[_-]?data|secret[_-]?text)$/i;
const AWS_SECRET_KEY = /^[A-Za-z0-9/+]{40}$/;
const GITHUB_TOKEN = /^(ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{20,}$/;
const SLACK_TOKEN = /^xox[abprs]-[A-Za-z0-9-]{10,}$/;
const VAULT_TOKEN = /^(hvs|hvb|s)\.[A-Za-z0-9]{20,}$/;

/** True when a text holds a PEM private key block anywhere. */
export function containsPrivateKey(text: string): boolean {
  return PRIVATE_KEY_PEM.test(text);
}

/** True when a value looks like a secret whatever field holds it (JWT, known token shapes). */
export function looksLikeSecretValue(value: string): boolean {
  const v = value.trim();
  return (
    containsPrivateKey(v) ||
    JWT.test(v) ||
    GITHUB_TOKEN.test(v) ||
    SLACK_TOKEN.test(v) ||
    VAULT_TOKEN.test(v)
  );
}

/**
 * True when a field, by its name and value, holds a secret: a field named like a secret with a
 * non-empty value that is not a mask, or an AWS secret access key shape under a key-ish name.
 */
export function isSecretField(field: string, value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const v = value.trim();
  if (v === '' || /^(\*+|x+|redacted|<redacted>|\[redacted\]|n\/a|null|none|not_supported)$/i.test(v)) {
    return false;
  }
  if (looksLikeSecretValue(v)) return true;
  if (!SECRET_FIELD.test(field)) return false;
  // A boolean or a date under a secret-ish name (password_enabled, password_last_used) is not one.
  if (/^(true|false|yes|no)$/i.test(v) || !Number.isNaN(Date.parse(v))) return false;
  return v.length >= 8 || AWS_SECRET_KEY.test(v);
}
