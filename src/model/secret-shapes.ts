/**
 * The well-known shapes of secret values (DESIGN.md rule 5), found anywhere in a text: the one
 * check every string of every observation passes before it is stored (see field-guard.ts).
 * Each shape starts with a distinctive literal, so one combined, precompiled pattern finds the
 * candidates and a short test per candidate decides; texts shorter than any secret cost nothing.
 * Identifiers stay: access key ids (AKIA…/ASIA…), fingerprints, serials, accessors, UUIDs.
 */

/** What a secret looks like, for messages ("looks like a GitHub token"); never the value. */
export type SecretKind =
  | 'a private key'
  | 'an AWS secret access key'
  | 'a GitHub token'
  | 'a Slack token'
  | 'a Stripe secret key'
  | 'a Google API key'
  | 'an Azure storage account key'
  | 'a JSON Web Token'
  | 'a HashiCorp Vault token'
  | 'an npm token'
  | 'a password or secret assignment';

// Each alternative is one shape; the group that matched names it (see KINDS).
const SHAPES = new RegExp(
  [
    /(-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----|"private_key"\s*:\s*"-----BEGIN)/.source,
    '((?:aws_?secret_?access_?key|secret_?access_?key|aws_?secret)["\']?\\s*[:=]\\s*["\']?' +
      '[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+]))',
    /((?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{60,}))/.source,
    /((?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,})/.source,
    /((?<![A-Za-z0-9])[sr]k_live_[A-Za-z0-9]{20,})/.source,
    /((?<![A-Za-z0-9])AIza[A-Za-z0-9_-]{35})/.source,
    /(AccountKey=[A-Za-z0-9/+]{40,}={0,2})/.source,
    /((?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})/.source,
    /((?<![A-Za-z0-9.])(?:hv[sb]|s)\.[A-Za-z0-9_-]{24,})/.source,
    /((?<![A-Za-z0-9])npm_[A-Za-z0-9]{36})/.source,
    // `password=…`, `token: …`, `"secret": "…"`; not `token:<accessor>` (an id of Roster's).
    '((?<![A-Za-z0-9])(?:password|passwd|pwd|secret|token|api_?key)["\']?\\s*(?:=|:(?=[\\s"\']))' +
      '\\s*["\']?([^\\s"\',;&]{6,}))',
  ].join('|'),
  'i',
);
const KINDS: readonly SecretKind[] = [
  'a private key',
  'an AWS secret access key',
  'a GitHub token',
  'a Slack token',
  'a Stripe secret key',
  'a Google API key',
  'an Azure storage account key',
  'a JSON Web Token',
  'a HashiCorp Vault token',
  'an npm token',
  'a password or secret assignment',
];
/** The group of the generic assignment's value, checked against placeholders. */
const ASSIGNED = KINDS.length + 1;

// The literal each shape starts with must be somewhere in the text before the pattern runs.
// Spelled without the `i` flag, which makes a pattern of many alternatives twice as slow.
const TRIGGER = new RegExp(
  '-----BEGIN|[Ss][Ee][Cc][Rr][Ee][Tt]|gh[pousr]_|github_pat_|xox|_live_|AIza|AccountKey=|eyJ|' +
    's\\.[A-Za-z0-9_-]{24}|npm_|[Pp][Aa][Ss][Ss]|[Pp][Ww][Dd]|[Tt][Oo][Kk][Ee][Nn]|' +
    '[Aa][Pp][Ii]_?[Kk][Ee][Yy]',
);

/** Values an export writes in place of a secret, or that name one without being one. */
const PLACEHOLDER = new RegExp(
  '^(\\*+|x{3,}|\\.{3,}|•+|<[^>]*>|\\$\\{[^}]*\\}|\\{\\{[^}]*\\}\\}|%[A-Z_]+%|' +
    '\\$[A-Z_][A-Z0-9_]*|' +
    '(\\[|\\()?redacted(\\]|\\))?|hidden|masked|changeme|example|placeholder|null|none|n/a|' +
    'true|false|yes|no|required|optional|enabled|disabled|expired|rotated|set|unset)$',
  'i',
);

/**
 * A 40-character base64-ish run (AWS secret access key) standing alone: mixed case and a digit,
 * and a `/` or `+` unless `strict` is off (under a field named like a secret). Hex runs (SHA-1
 * fingerprints, GCP key ids) have no upper and lower case letters together and stay.
 */
export function isAwsSecretShape(v: string, strict: boolean): boolean {
  if (v.length !== 40 || !/^[A-Za-z0-9/+]{40}$/.test(v)) return false;
  if (!/[a-z]/.test(v) || !/[A-Z]/.test(v) || !/[0-9]/.test(v)) return false;
  return !strict || /[/+]/.test(v);
}

// A 40-character base64-ish run with no base64 character on either side.
const FORTY = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

function awsSecretInside(text: string): boolean {
  if (text.length < 40 || (!text.includes('/') && !text.includes('+'))) return false;
  FORTY.lastIndex = 0;
  for (let m = FORTY.exec(text); m; m = FORTY.exec(text)) {
    if (isAwsSecretShape(m[0], true)) return true;
  }
  return false;
}

/** The kind of secret a text holds anywhere, or undefined. Cheap for ordinary values. */
export function secretKindIn(text: string): SecretKind | undefined {
  if (text.length < 14) return undefined;
  if (awsSecretInside(text)) return 'an AWS secret access key';
  if (!TRIGGER.test(text)) return undefined;
  const m = SHAPES.exec(text);
  if (!m) return undefined;
  for (let g = 1; g <= KINDS.length; g++) {
    if (m[g] === undefined) continue;
    if (g === KINDS.length && PLACEHOLDER.test(m[ASSIGNED] ?? '')) return undefined;
    return KINDS[g - 1];
  }
  return undefined;
}
