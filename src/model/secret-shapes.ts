import type { Rejection, Warning } from './types.js';

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
  | 'a password in user:password@host'
  | 'an HTTP Authorization credential'
  | 'a Slack webhook URL'
  | 'an Azure SAS signature'
  | 'a password on a command line'
  | 'a password or secret assignment';

/**
 * One shape: its pattern, and the kind it names. A `(?<value>…)` group marks the part that may
 * be a placeholder (`password=changeme`, `postgres://u:${PW}@db`): such a match is no secret.
 */
interface Shape {
  readonly kind: SecretKind;
  readonly pattern: string;
  /**
   * Whether the value group is a secret, when not "not a placeholder". The combined pattern is
   * case-insensitive, so case-sensitive tests (`-p` is not `-P`) are made here.
   */
  readonly accept?: (value: string) => boolean;
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
 * Labels that end in a password word: `PGPASSWORD`, `db-passwd`, `GPG_PASSPHRASE`, `SMTP_PASS`,
 * `pass`. A bare `pass` suffix needs a `_` or `-` before it (`bypass`, `compass` are words).
 */
const PASSWORD_LABEL =
  '(?:[A-Za-z0-9_-]*(?:password|passwd|passphrase)|(?:[A-Za-z0-9-]*[_-])?pass)';
/** The characters of a token or base64 credential in an HTTP header. */
const TOKEN68 = '[A-Za-z0-9._~+/-]';
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
  // `svc:Pw0rd2024@legacy-ftp-01`: userinfo with no scheme. `accept` keeps e-mail addresses
  // under a label (`owner:alice@example.com`) and image digests (`nginx:1.25@sha256:…`).
  {
    kind: 'a password in user:password@host',
    pattern: '(?<![A-Za-z0-9._%+:/-])[A-Za-z0-9._%+-]+:(?<value>[^\\s/?#@:]{6,})@' +
      '(?![A-Za-z0-9]+:)[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*(?![A-Za-z0-9@-])',
    accept: looksLikePassword,
  },
  // `Authorization: Bearer <opaque>`, `Authorization: Basic <base64 of user:password>`.
  {
    kind: 'an HTTP Authorization credential',
    pattern: `(?<![A-Za-z0-9])(?:proxy-)?authorization["']?\\s*[:=]\\s*["']?` +
      `(?:bearer|basic|token|digest)\\s+(?<value><[^>]*>|\\$\\{[^}]*\\}|${TOKEN68}{8,}=*)`,
  },
  // A bare `Bearer <token>`: 20 token characters, one a digit, so prose (`Bearer
  // authentication`) stays.
  {
    kind: 'an HTTP Authorization credential',
    pattern: `(?<![A-Za-z0-9])bearer\\s+(?<value>${TOKEN68}{20,}=*)`,
    accept: (v) => /[0-9]/.test(v),
  },
  {
    kind: 'a Slack webhook URL',
    pattern: /hooks\.slack\.com\/(?:services|workflows|triggers)\/(?<value>[A-Za-z0-9_/-]{8,})/
      .source,
  },
  // The signature of a shared access signature URL (`…?sv=2022-11-02&…&sig=<base64>`).
  { kind: 'an Azure SAS signature', pattern: /[?&]sig=(?<value>[A-Za-z0-9%+/=]{16,})/.source },
  // `mysql -u root -pS3cret`, `sshpass -p S3cret ssh …`. The value group holds the `p` so
  // `accept` can tell it from `-P` (a port for mysql, a prompt for sshpass).
  {
    kind: 'a password on a command line',
    pattern: '(?<![A-Za-z0-9_-])(?:mysql|mysqldump|mysqladmin|mariadb)\\s(?:[^\\n|;&]*?\\s)?' +
      '-(?<value>p[^\\s"\'|;&]{3,})',
    accept: (v) => v.startsWith('p') && !PLACEHOLDER.test(v.slice(1)),
  },
  {
    kind: 'a password on a command line',
    pattern: '(?<![A-Za-z0-9_-])sshpass\\s(?:[^\\n|;&]*?\\s)?' +
      '-(?<value>p\\s*[^\\s"\'|;&-][^\\s"\'|;&]*)',
    accept: (v) => v.startsWith('p') && !PLACEHOLDER.test(v.slice(1).trim()),
  },
  {
    kind: 'a password or secret assignment',
    pattern: `(?<![A-Za-z0-9])${PASSWORD_LABEL}${ASSIGN}(?=[^\\s"',;&]{6})${VALUE}`,
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
    '[Aa][Pp][Ii][_-]?[Kk][Ee][Yy]|[Pp][Rr][Ii][Vv][Aa][Tt][Ee]|:[^\\s/?#@:]+@|' +
    '[Bb][Ee][Aa][Rr][Ee][Rr]|[Aa][Uu][Tt][Hh][Oo][Rr][Ii][Zz]|hooks\\.slack|sig=|' +
    'mysql|mariadb|sshpass',
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
 * Whether a value is one an export writes in place of a secret (`****`, `${PW}`, `%PW%`,
 * `changeme`, ...): what the shapes below never refuse. Tests draw their secrets outside it.
 */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value);
}

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
  return findSecret(text)?.kind;
}

/** A secret found in a text: its kind, and where the secret part starts. */
export interface SecretFound {
  readonly kind: SecretKind;
  /** Offset of the secret part: its value after a label (`password=`), else the whole match. */
  readonly start: number;
}

/** The first secret a text holds, or undefined. */
export function findSecret(text: string): SecretFound | undefined {
  if (text.length < 14) return undefined;
  if (awsSecretInside(text)) return { kind: 'an AWS secret access key', start: 0 };
  if (!TRIGGER.test(text)) return undefined;
  SHAPES.lastIndex = 0;
  for (let m = SHAPES.exec(text); m; m = SHAPES.exec(text)) {
    const groups = m.groups ?? {};
    const kind = kindOf(groups);
    if (kind) return { kind, start: m.index + valueOffset(m[0], groups) };
    // A placeholder matched: look on past it.
    if (m[0] === '') SHAPES.lastIndex++;
  }
  return undefined;
}

/**
 * A name safe to print: itself, or when it holds a secret (a column or label named
 * `db_password=Hunter2Pass99`) its part before the secret and `…`.
 */
export function safeName(name: string): string {
  const found = findSecret(name);
  return found ? `${name.slice(0, found.start)}…` : name;
}

// Where the value group starts in a match (its first occurrence: masking more is safe).
function valueOffset(match: string, groups: Record<string, string | undefined>): number {
  for (const [name, v] of Object.entries(groups)) {
    if (name.startsWith('v') && v !== undefined) return Math.max(0, match.indexOf(v));
  }
  return 0;
}

function kindOf(groups: Record<string, string | undefined>): SecretKind | undefined {
  for (let i = 0; i < SHAPE_LIST.length; i++) {
    if (groups[`s${i}`] === undefined) continue;
    const value = groups[`v${i}`];
    const shape = SHAPE_LIST[i]!;
    if (value === undefined) return shape.kind;
    const secret = shape.accept ? shape.accept(value) : !PLACEHOLDER.test(value);
    return secret ? shape.kind : undefined;
  }
  return undefined;
}

/**
 * A userinfo password without a scheme: 6 characters or more, not a placeholder, with a digit
 * and a letter, and either both cases or a symbol. An e-mail local part under a label
 * (`owner:alice.smith@example.com`) is lower case and has no digit, so it stays.
 */
function looksLikePassword(v: string): boolean {
  if (PLACEHOLDER.test(v) || !/[0-9]/.test(v) || !/[A-Za-z]/.test(v)) return false;
  return (/[a-z]/.test(v) && /[A-Z]/.test(v)) || /[^A-Za-z0-9._-]/.test(v);
}

/**
 * A parser's message may quote the bad value ("'…' is not an IAM ARN"): when that value is a
 * secret, the message says so instead, so that no secret reaches the output or the run log.
 */
export function withoutSecret<T extends Rejection | Warning>(problem: T): T {
  const kind = secretKindIn(problem.message);
  if (!kind) return problem;
  const field = problem.field ?? 'a field';
  return { ...problem, message: `${field} looks like ${kind}; the value is not shown or kept` };
}
