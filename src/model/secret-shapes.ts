import { LABEL_TO, PLACEHOLDER, SHAPE_LIST, type SecretKind } from './secret-catalogue.js';
import type { Rejection, Warning } from './types.js';

/**
 * The well-known shapes of secret values (DESIGN.md rule 5), found anywhere in a text: the one
 * check every string of every observation passes before it is stored (see field-guard.ts).
 * Each shape holds a distinctive literal (a prefix, a label, `://user:…@`), so one cheap
 * trigger pattern skips ordinary texts before the combined pattern runs; texts shorter than
 * any secret cost nothing.
 * Identifiers stay: access key ids (AKIA…/ASIA…), fingerprints, serials, accessors, UUIDs.
 */

export {
  isKnownToken, isPlaceholder, PRIVATE_KEY_ARMOUR, type SecretKind,
} from './secret-catalogue.js';

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
 * A parser's message may quote the bad value ("'…' is not an IAM ARN"): when that value is a
 * secret, the message says so instead, so that no secret reaches the output or the run log.
 */
export function withoutSecret<T extends Rejection | Warning>(problem: T): T {
  const kind = secretKindIn(problem.message);
  if (!kind) return problem;
  const field = problem.field ?? 'a field';
  return { ...problem, message: `${field} looks like ${kind}; the value is not shown or kept` };
}
