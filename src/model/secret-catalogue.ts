/**
 * The catalogue of secret shapes secret-shapes.ts looks for (DESIGN.md rule 5): each with the
 * kind it names, documented prefixes and lengths, and the labels a secret is written under.
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
export interface Shape {
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
export const LABEL_TO = '["\']?\\s*[:=]\\s*["\']?';

/** Values an export writes in place of a secret, or that name one without being one. */
export const PLACEHOLDER = new RegExp(
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
 * A userinfo password without a scheme: 6 characters or more, not a placeholder, with a digit
 * and a letter, and either both cases or a symbol. An e-mail local part under a label
 * (`owner:alice.smith@example.com`) is lower case and has no digit, so it stays.
 */
function looksLikePassword(v: string): boolean {
  if (PLACEHOLDER.test(v) || !/[0-9]/.test(v) || !/[A-Za-z]/.test(v)) return false;
  return (/[a-z]/.test(v) && /[A-Z]/.test(v)) || /[^A-Za-z0-9._-]/.test(v);
}

export const SHAPE_LIST: readonly Shape[] = [
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
