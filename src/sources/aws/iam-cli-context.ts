import { normalizeKey } from '../../model/keys.js';
import type { Key, Observation, Rejection, Relation, Warning } from '../../model/types.js';
import { storable } from '../common.js';
import type { ParseOptions } from '../format.js';
import { accountOfArn } from './arn.js';
import { parseAwsTime } from './aws-time.js';
import type { JsonObject } from './json-document.js';
import { OwnerSet, type OwnerRef } from './owner.js';
import { RecordIssues } from './record-issues.js';

/**
 * What reading one shape of `aws iam` output gives: observations, what went wrong, and how
 * much of which scope the output covers (DESIGN.md rule 3: a partial run marks nothing missing).
 */
export interface ShapeResult {
  readonly observations: Observation[];
  readonly rejections: Rejection[];
  readonly warnings: Warning[];
  /** Whether the output lists everything in the scopes of its observations. */
  readonly complete: boolean;
}

/** Warning code of valid IAM data that names nothing Roster can tie it to. */
export const UNATTRIBUTED = 'UNATTRIBUTED';

/** Reading state shared by the converters of one file. */
export class ShapeReader {
  readonly observations: Observation[] = [];
  readonly rejections: Rejection[] = [];
  readonly warnings: Warning[] = [];
  readonly #owners = new OwnerSet();
  #line = 0;

  constructor(
    readonly file: string,
    /** The account the user named with `--scope`, for outputs that carry no ARN. */
    readonly givenAccount: string | undefined,
    /** The field guard's limits, to observe no owner for a principal ingest will refuse. */
    readonly options: Pick<ParseOptions, 'limits'> = {},
  ) {}

  /** Issues bound to the next record (records are numbered from 1 in file order). */
  next(): RecordIssues {
    return new RecordIssues(this.file, ++this.#line);
  }

  get line(): number {
    return this.#line;
  }

  /** Issues of the whole file. */
  fileIssues(): RecordIssues {
    return new RecordIssues(this.file);
  }

  /**
   * Notes IAM data that is valid but cannot be tied to any one thing (a tag listing names no
   * owner, get-access-key-last-used names no key): nothing of it is kept, and the note says
   * what would tie it. A warning, not a rejection: the input is not wrong, only not enough.
   */
  unattributed(issues: RecordIssues, field: string, message: string): void {
    // Located like a rejection (file, line, field), reported as a warning.
    const located = issues.reject('BAD_INPUT', field, message);
    this.warnings.push(...issues.warnings, { ...located, code: UNATTRIBUTED });
  }

  keep(issues: RecordIssues, result: Observation | Rejection | undefined): void {
    this.warnings.push(...issues.warnings);
    if (!result) return;
    if ('kind' in result) this.observations.push(result);
    else this.rejections.push(result);
  }

  /**
   * The owner a tag of `named` names, once per scope; none for a principal ingest will refuse,
   * which leaves nothing behind.
   */
  owner(owner: OwnerRef | undefined, named: Observation): void {
    if (!owner || !storable(named, this.options)) return;
    const seen = this.#owners.firstSighting(owner, named.scope, named.line);
    if (seen) this.observations.push(seen);
  }

  result(complete: boolean): ShapeResult {
    const clean = this.rejections.length === 0;
    return {
      observations: this.observations,
      rejections: this.rejections,
      warnings: this.warnings,
      complete: complete && clean && this.observations.length > 0,
    };
  }
}

/**
 * The `--scope` value as an account id: `123456789012` or `aws:123456789012`, else undefined.
 */
export function accountOfScope(scope: string | undefined): string | undefined {
  const m = /^(?:aws:)?(\d{12})$/.exec(scope?.trim() ?? '');
  return m ? m[1] : undefined;
}

/** The account an output names: an ARN's, or a CodeCommit-style `name-at-<account>` login. */
export function accountIn(...values: readonly unknown[]): string | undefined {
  for (const v of values) {
    if (typeof v !== 'string') continue;
    const fromArn = accountOfArn(v);
    if (fromArn) return fromArn;
    const at = /-at-(\d{12})$/.exec(v.trim());
    if (at) return at[1];
  }
  return undefined;
}

/**
 * The key every IAM user observation of this format carries besides its ARN: IAM user names
 * are unique within an account whatever their path, so `<account>:<name in lower case>` names
 * one user. Outputs that give only a user name (get-login-profile, list-mfa-devices) reach the
 * user's record through it.
 */
export function userNameKey(account: string, userName: string): Key | undefined {
  return normalizeKey('external-id', `aws-iam-user:${account}:${userName.toLowerCase()}`);
}

/** A credential's `belongs-to`: to the user's ARN when given, else to its name key. */
export function belongsTo(userName: string, userArn?: string): Relation[] {
  const target = userArn
    ? normalizeKey('aws-arn', userArn)
    : normalizeKey('name', userName);
  return target ? [{ type: 'belongs-to', target }] : [];
}

/** Scope of one user's listing, e.g. `aws:123456789012:user/bob:access-keys`. */
export function userScope(account: string | undefined, userName: string, what: string): string {
  return `aws:${account ?? 'unknown-account'}:user/${userName}:${what}`;
}

export function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** A required time field: its ISO value, or the reason it cannot be read. */
export function timeField(
  o: JsonObject,
  field: string,
): { ok: true; value: string | undefined } | { ok: false; error: string } {
  if (o[field] === undefined) return { ok: true, value: undefined };
  const t = parseAwsTime(o[field]);
  return t.ok ? { ok: true, value: t.value } : { ok: false, error: t.error };
}

/** `Active` → true, `Inactive` → false; anything else is reported and left out. */
export function statusFlag(o: JsonObject, issues: RecordIssues): boolean | undefined {
  const status = text(o['Status']);
  if (status === 'Active') return true;
  if (status === 'Inactive') return false;
  if (status !== undefined) {
    issues.warn('UNKNOWN_VALUE', 'Status', `status '${status}' is neither Active nor Inactive`);
  }
  return undefined;
}
