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
  | 'a GitLab token'
  | 'a SendGrid API key'
  | 'an Atlassian API token'
  | 'a DigitalOcean token'
  | 'a Shopify token'
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

/**
 * The armour of any private key: `-----BEGIN PRIVATE KEY-----`, `RSA`, `EC`, `DSA`, `OPENSSH`,
 * `ENCRYPTED`, and a PGP key's `-----BEGIN PGP PRIVATE KEY BLOCK-----` (words after `KEY`).
 * A public key's or certificate's armour names no private key and stays.
 */
export const PRIVATE_KEY_ARMOUR = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: [A-Z0-9]+)*-----/;

/**
 * Tokens known by a documented prefix (and length), whole wherever they stand: also what a
 * value alone is refused by in the raw-record scans (secrets.ts, looksLikeSecretValue).
 */
const TOKEN_SHAPES: readonly Shape[] = [
  {
    kind: 'a GitHub token',
    pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{60,})/.source,
  },
  { kind: 'a Slack token', pattern: /(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}/.source },
  { kind: 'a Stripe secret key', pattern: /(?<![A-Za-z0-9])[sr]k_live_[A-Za-z0-9]{20,}/.source },
  { kind: 'a Google API key', pattern: /(?<![A-Za-z0-9])AIza[A-Za-z0-9_-]{35}/.source },
  { kind: 'an npm token', pattern: /(?<![A-Za-z0-9])npm_[A-Za-z0-9]{36}/.source },
  // Personal, project and group access tokens (`glpat-`), deploy (`gldt-`), runner (`glrt-`),
  // pipeline trigger (`glptt-`) and service account (`glsoat-`) tokens: 20 characters or more.
  {
    kind: 'a GitLab token',
    pattern: /(?<![A-Za-z0-9_-])gl(?:pat|dt|rt|ptt|soat)-[A-Za-z0-9_.-]{20,}/.source,
  },
  {
    kind: 'a SendGrid API key',
    pattern: /(?<![A-Za-z0-9_.-])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/.source,
  },
  // Atlassian API tokens start `ATATT3` (`ATATT3xFfGF0…`, some 190 characters).
  { kind: 'an Atlassian API token', pattern: /(?<![A-Za-z0-9_-])ATATT3[A-Za-z0-9_=-]{20,}/.source },
  // Personal access (`dop_v1_`), OAuth (`doo_v1_`) and refresh (`dor_v1_`) tokens: 64 hex.
  { kind: 'a DigitalOcean token', pattern: /(?<![A-Za-z0-9_])do[por]_v1_[a-f0-9]{64}/.source },
  // Admin API access tokens, shared secrets, custom and private app tokens: 32 hex.
  {
    kind: 'a Shopify token',
    pattern: /(?<![A-Za-z0-9_])shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}(?![A-Za-z0-9])/.source,
  },
];

/** Whether a value is one of the known tokens (TOKEN_SHAPES), whole. */
export function isKnownToken(value: string): boolean {
  return KNOWN_TOKEN.test(value);
}
const KNOWN_TOKEN = new RegExp(`^(?:${TOKEN_SHAPES.map((t) => t.pattern).join('|')})$`);

/** A label's end and its `=` or `:`, quoted or not, with or without spaces. */
const LABEL_TO = '["\']?\\s*[:=]\\s*["\']?';

const SHAPE_LIST: readonly Shape[] = [
  {
    kind: 'a private key',
    pattern: `${PRIVATE_KEY_ARMOUR.source}|"private_key"\\s*:\\s*"-----BEGIN`,
  },
  // Labelled, whatever its length: a cut or odd-length key is still the secret half.
  {
    kind: 'an AWS secret access key',
    pattern: `(?:aws_?secret_?access_?key|secret_?access_?key|aws_?secret)["']?\\s*[:=]\\s*` +
      `["']?${VALUE}`,
  },
  ...TOKEN_SHAPES,
  // A storage account key after its label, with or without the rest of a connection string.
  {
    kind: 'an Azure storage account key',
    pattern: /AccountKey\s*=\s*(?<value>[A-Za-z0-9/+]{20,}={0,2})/.source,
  },
  {
    kind: 'a JSON Web Token',
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/
      .source,
  },
  {
    kind: 'a HashiCorp Vault token',
    pattern: /(?<![A-Za-z0-9.])(?:hv[sb]|s)\.[A-Za-z0-9_-]{24,}/.source,
  },
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
    pattern: '(?<![A-Za-z0-9._%+/-])[A-Za-z0-9._%+-]+:(?<value>[^\\s/?#@:]{6,})@' +
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
  '-----BEGIN|[Ss][Ee][Cc][Rr][Ee][Tt]|gh[pousr]_|github_pat_|xox|_live_|AIza|AccountKey|eyJ|' +
    'gl(?:pat|dt|rt|ptt|soat)-|SG\\.|ATATT3|do[por]_v1_|shp(?:at|ss|ca|pa)_|' +
    's\\.[A-Za-z0-9_-]{24}|npm_|[Pp][Aa][Ss][Ss]|[Pp][Ww][Dd]|[Tt][Oo][Kk][Ee][Nn]|' +
    '[Aa][Pp][Ii][_-]?[Kk][Ee][Yy]|[Pp][Rr][Ii][Vv][Aa][Tt][Ee]|:[^\\s/?#@:]+@|' +
    '[Bb][Ee][Aa][Rr][Ee][Rr]|[Aa][Uu][Tt][Hh][Oo][Rr][Ii][Zz]|hooks\\.slack|sig=|' +
    'mysql|mariadb|sshpass',
);

/** Values an export writes in place of a secret, or that name one without being one. */
const PLACEHOLDER = new RegExp(
  '^(\\*+|x{3,}|\\.{3,}|•+|…+|<[^>]*>|\\$\\{[^}]*\\}|\\{\\{[^}]*\\}\\}|%[A-Z_]+%|' +
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

/**
 * A 40-character run after a label naming a secret (`AWSSecretKey=`, `secret_key:`, `"SecretKey":
 * "`: mixed case and a digit make it a key) or a key (`aws_key = `: a `/` or `+` too), or after
 * an access key id and a separator (`AKIA…/`, `AKIA…:`, `AKIA… `). A label naming an id
 * (`AccessKeyId=`) is neither. Its own pattern, so that the combined one stays fast.
 */
const AWS_AFTER = new RegExp(
  `(?:(?<secret>secret)[A-Za-z0-9_.-]*${LABEL_TO}|key${LABEL_TO}|` +
    '(?<id>(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16})["\']?\\s*[/:,;|=\\s]\\s*["\']?)' +
    '(?<key>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])',
  'gi',
);

/** Where the first AWS secret access key from `from` starts: standalone, labelled; or -1. */
function awsSecretInside(text: string, from: number): number {
  if (text.length - from < 40) return -1;
  let first = -1;
  if (text.includes('/', from) || text.includes('+', from)) {
    FORTY.lastIndex = from;
    for (let m = FORTY.exec(text); m; m = FORTY.exec(text)) {
      if (isAwsSecretShape(m[0], true)) {
        first = m.index;
        break;
      }
    }
  }
  AWS_AFTER.lastIndex = from;
  for (let m = AWS_AFTER.exec(text); m; m = AWS_AFTER.exec(text)) {
    const key = m.groups?.['key'] ?? '';
    const at = m.index + m[0].length - 40;
    if (first >= 0 && at > first) break;
    const strict = m.groups?.['secret'] === undefined && m.groups?.['id'] === undefined;
    if (isAwsSecretShape(key, strict)) return at;
    AWS_AFTER.lastIndex = m.index + 1;
  }
  return first;
}

/** The kind of secret a text holds anywhere, or undefined. Cheap for ordinary values. */
export function secretKindIn(text: string): SecretKind | undefined {
  return findSecret(text)?.kind;
}

/** A secret found in a text: its kind, and where the secret part starts and ends. */
export interface SecretFound {
  readonly kind: SecretKind;
  /** Offset of the secret part: its value after a label (`password=`), else the whole match. */
  readonly start: number;
  /** Offset just past the secret part. */
  readonly end: number;
}

/** The first secret a text holds (from offset `from`, the earliest there), or undefined. */
export function findSecret(text: string, from = 0): SecretFound | undefined {
  if (text.length - from < 14) return undefined;
  const aws = awsSecretInside(text, from);
  const shaped = TRIGGER.test(from === 0 ? text : text.slice(from))
    ? shapeIn(text, from, aws)
    : undefined;
  if (shaped) return shaped;
  return aws < 0 ? undefined : { kind: 'an AWS secret access key', start: aws, end: aws + 40 };
}

/** The first secret of the combined shapes from `from` that starts before `before` (if >= 0). */
function shapeIn(text: string, from: number, before: number): SecretFound | undefined {
  SHAPES.lastIndex = from;
  for (let m = SHAPES.exec(text); m; m = SHAPES.exec(text)) {
    if (before >= 0 && m.index > before) return undefined;
    const i = shapeOf(m.groups ?? {});
    if (i !== undefined) {
      const kind = SHAPE_LIST[i]!.kind;
      const [start, end] = valueSpan(i, text, m.index) ?? [m.index, m.index + m[0].length];
      if (before >= 0 && start > before) return undefined;
      // A private key's body follows its armour: the rest of the text goes with it.
      return { kind, start, end: kind === 'a private key' ? text.length : end };
    }
    // A placeholder or a near miss matched: look on from the next character, where another
    // shape may start.
    SHAPES.lastIndex = m.index + 1;
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

/**
 * A text safe to store and print whole: each secret part it holds replaced by `…`, the rest
 * kept (`/tmp/ghp_….csv` keeps its folder and extension). For names Roster keeps as they are
 * given, such as a run's file name.
 */
export function maskSecrets(text: string): string {
  let out = '';
  let at = 0;
  for (let found = findSecret(text); found; found = findSecret(text, at)) {
    out += `${text.slice(at, found.start)}…`;
    at = Math.max(found.end, found.start + 1);
  }
  return at === 0 ? text : out + text.slice(at);
}

/**
 * Where the value group of shape `i`'s match at `at` starts and ends. Found again by that
 * shape's own pattern with indices, only for a match: the `d` flag on the combined pattern
 * would slow every search.
 */
function valueSpan(i: number, text: string, at: number): readonly [number, number] | undefined {
  const shape = SHAPE_LIST[i]!;
  if (!shape.pattern.includes('(?<value>')) return undefined;
  const re = (VALUE_SPANS[i] ??= new RegExp(shape.pattern, 'iyd'));
  re.lastIndex = at;
  return re.exec(text)?.indices?.groups?.['value'];
}
const VALUE_SPANS: RegExp[] = [];

/** The index of the shape a match is a secret of; undefined for a placeholder or near miss. */
function shapeOf(groups: Record<string, string | undefined>): number | undefined {
  for (let i = 0; i < SHAPE_LIST.length; i++) {
    if (groups[`s${i}`] === undefined) continue;
    const value = groups[`v${i}`];
    const shape = SHAPE_LIST[i]!;
    if (value === undefined) return i;
    const secret = shape.accept ? shape.accept(value) : !PLACEHOLDER.test(value);
    return secret ? i : undefined;
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
