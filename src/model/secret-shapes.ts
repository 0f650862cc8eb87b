/**
 * The well-known shapes of secret values (DESIGN.md rule 5), found anywhere in a text: the one
 * check every string of every observation passes before it is stored (see field-guard.ts).
 * Each shape holds a distinctive literal (a prefix, a label, `://user:…@`), so one cheap
 * trigger pattern skips ordinary texts before the combined pattern runs; texts shorter than
 * any secret cost nothing.
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
  | 'a password in a URL'
  | 'a password or secret assignment';

/**
 * One shape: its pattern, and the kind it names. A `(?<value>…)` group marks the part that may
 * be a placeholder (`password=changeme`, `postgres://u:${PW}@db`): such a match is no secret.
 */
interface Shape {
  readonly kind: SecretKind;
  readonly pattern: string;
}

/**
 * Labels that name nothing but a secret: a value under one is refused whatever its length.
 * `_` or `-` optional, so `clientSecret` and `x-api-key` match too.
 */
const SECRET_LABEL =
  '(?:api[_-]?key|client[_-]?secret|secret[_-]?key|private[_-]?key|access[_-]?token|' +
  'auth[_-]?token|refresh[_-]?token)';
/**
 * Words that also occur in prose and messages (`a next_page_token: only one page was read`,
 * `named like a secret: names`): a value under one is a secret from 6 characters on.
 */
const SECRET_WORD = '(?:password|passwd|pwd|secret|token)';
/**
 * A labelled value of any length: a `<…>`, `${…}` or `{{…}}` whole, else up to a separator;
 * not an object or list that opens there (`"secret": {`).
 */
const VALUE =
  '(?<value><[^>]*>|\\$\\{[^}]*\\}|\\{\\{[^}]*\\}\\}|[^\\s"\',;&{[][^\\s"\',;&]*)';

/** `=`, or `:` followed by a space or quote, with optional quotes around the label and value. */
const ASSIGN = '["\']?\\s*(?:=|:(?=[\\s"\']))\\s*["\']?';

const SHAPE_LIST: readonly Shape[] = [
  {
    kind: 'a private key',
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----|"private_key"\s*:\s*"-----BEGIN/.source,
  },
  // Labelled, whatever its length: a cut or odd-length key is still the secret half.
  {
    kind: 'an AWS secret access key',
    pattern: `(?:aws_?secret_?access_?key|secret_?access_?key|aws_?secret)["']?\\s*[:=]\\s*` +
      `["']?${VALUE}`,
  },
  {
    kind: 'a GitHub token',
    pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{60,})/.source,
  },
  { kind: 'a Slack token', pattern: /(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}/.source },
  { kind: 'a Stripe secret key', pattern: /(?<![A-Za-z0-9])[sr]k_live_[A-Za-z0-9]{20,}/.source },
  { kind: 'a Google API key', pattern: /(?<![A-Za-z0-9])AIza[A-Za-z0-9_-]{35}/.source },
  { kind: 'an Azure storage account key', pattern: /AccountKey=[A-Za-z0-9/+]{40,}={0,2}/.source },
  {
    kind: 'a JSON Web Token',
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/
      .source,
  },
  {
    kind: 'a HashiCorp Vault token',
    pattern: /(?<![A-Za-z0-9.])(?:hv[sb]|s)\.[A-Za-z0-9_-]{24,}/.source,
  },
  { kind: 'an npm token', pattern: /(?<![A-Za-z0-9])npm_[A-Za-z0-9]{36}/.source },
  // `postgres://admin:pw@db:5432/orders`, any scheme; a user alone (`ssh://git@host`) is none.
  {
    kind: 'a password in a URL',
    pattern: '(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://[^\\s/?#@:]*:' +
      '(?<value>[^\\s/?#@]+)@',
  },
  // `client_secret: …`, `"api_key": "…"`, `password=…`; not `token:<accessor>` (Roster's id).
  {
    kind: 'a password or secret assignment',
    pattern: `(?<![A-Za-z0-9])${SECRET_LABEL}${ASSIGN}${VALUE}`,
  },
  {
    kind: 'a password or secret assignment',
    pattern: `(?<![A-Za-z0-9])${SECRET_WORD}${ASSIGN}(?=[^\\s"',;&]{6})${VALUE}`,
  },
];

// One combined pattern; shape i is group `s<i>`, its value group `v<i>`.
const SHAPES = new RegExp(
  SHAPE_LIST.map((x, i) => `(?<s${i}>${x.pattern.replaceAll('(?<value>', `(?<v${i}>`)})`)
    .join('|'),
  'gi',
);

// The literal each shape starts with must be somewhere in the text before the pattern runs.
// Spelled without the `i` flag, which makes a pattern of many alternatives twice as slow.
const TRIGGER = new RegExp(
  '-----BEGIN|[Ss][Ee][Cc][Rr][Ee][Tt]|gh[pousr]_|github_pat_|xox|_live_|AIza|AccountKey=|eyJ|' +
    's\\.[A-Za-z0-9_-]{24}|npm_|[Pp][Aa][Ss][Ss]|[Pp][Ww][Dd]|[Tt][Oo][Kk][Ee][Nn]|' +
    '[Aa][Pp][Ii][_-]?[Kk][Ee][Yy]|[Pp][Rr][Ii][Vv][Aa][Tt][Ee]|://[^\\s/?#@:]*:[^\\s/?#@]+@',
);

/** Values an export writes in place of a secret, or that name one without being one. */
const PLACEHOLDER = new RegExp(
  '^(\\*+|x{3,}|\\.{3,}|•+|<[^>]*>|\\$\\{[^}]*\\}|\\{\\{[^}]*\\}\\}|%[A-Z_]+%|' +
    '\\$[A-Z_][A-Z0-9_]*|' +
    '(\\[|\\()?redacted(\\]|\\))?|hidden|masked|changeme|example|placeholder|null|none|n/a|' +
    'password|passwd|pass|secret|' +
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
  SHAPES.lastIndex = 0;
  for (let m = SHAPES.exec(text); m; m = SHAPES.exec(text)) {
    const kind = kindOf(m.groups ?? {});
    if (kind) return kind;
    // A placeholder matched: look on past it.
    if (m[0] === '') SHAPES.lastIndex++;
  }
  return undefined;
}

function kindOf(groups: Record<string, string | undefined>): SecretKind | undefined {
  for (let i = 0; i < SHAPE_LIST.length; i++) {
    if (groups[`s${i}`] === undefined) continue;
    const value = groups[`v${i}`];
    return value !== undefined && PLACEHOLDER.test(value) ? undefined : SHAPE_LIST[i]!.kind;
  }
  return undefined;
}
