import type { Observation, Rejection } from '../../model/types.js';
import { byItem } from '../streaming/events.js';
import { headText, readText, storable } from '../common.js';
import type { ParseEvent, ParseOptions, SourceFormat, SourceInput } from '../format.js';
import {
  convertRole,
  convertUser,
  policyNames,
  type GroupPolicies,
  type PrincipalResult,
} from './iam-principal.js';
import { parseBoundedJson } from './bounded-json.js';
import {
  isObject,
  listOf,
  unwrapResponse,
  type JsonObject,
} from './json-document.js';
import { secretMessage } from './credential-report-row.js';
import { OwnerSet } from './owner.js';
import {
  fileRejection,
  NOTHING_READ,
  RecordIssues,
  rejectEvent,
  warningEvent,
} from './record-issues.js';
import { findSecretFieldsOutside } from './secret-scan.js';

const LISTS = ['UserDetailList', 'RoleDetailList', 'GroupDetailList'] as const;

function detect({ head }: Pick<SourceInput, 'head'>): number {
  const text = headText(head);
  if (!text.startsWith('{')) return 0;
  return /"(UserDetailList|RoleDetailList|GroupDetailList)"\s*:\s*\[/.test(text) ? 0.9 : 0;
}

const isDetails = (o: JsonObject): boolean => LISTS.some((l) => Array.isArray(o[l]));

async function* parse(input: SourceInput, options: ParseOptions): AsyncGenerator<ParseEvent> {
  const doc = parseBoundedJson(input.path, await readText(input));
  const payload = doc.ok ? unwrapResponse(doc.value, isDetails) : undefined;
  if (!payload) {
    const message = 'not a GetAccountAuthorizationDetails response: no user, role or group list';
    yield rejectEvent(doc.ok ? fileRejection(input.path, 'BAD_INPUT', message) : doc.rejection);
    return yield NOTHING_READ;
  }
  const groups = groupPolicies(listOf(payload, 'GroupDetailList') ?? []);
  const results: (PrincipalResult | Rejection)[] = [];
  const events: ParseEvent[] = [];
  let line = 0;
  const read = (convert: (issues: RecordIssues) => PrincipalResult | Rejection): void => {
    const issues = new RecordIssues(input.path, ++line);
    const result = convert(issues);
    events.push(...issues.warnings.map(warningEvent));
    results.push(result);
  };
  for (const user of listOf(payload, 'UserDetailList') ?? []) {
    read((issues) => convertUser(user, groups, issues, line));
  }
  for (const role of listOf(payload, 'RoleDetailList') ?? []) {
    read((issues) => convertRole(role, issues, line));
  }
  yield* events;
  yield* emit(input.path, payload, results, options);
}

function* emit(
  file: string,
  payload: JsonObject,
  results: readonly (PrincipalResult | Rejection)[],
  options: ParseOptions,
): Generator<ParseEvent> {
  const issues = new RecordIssues(file);
  const kept = keepLatest(results.filter(isPrincipal), issues);
  const rejections = results.filter((r): r is Rejection => !isPrincipal(r));
  for (const f of findSecretFieldsOutside(payload, ['UserDetailList', 'RoleDetailList'])) {
    rejections.push(issues.reject('SECRET_REFUSED', f, secretMessage(f)));
  }
  const truncated = payload['IsTruncated'] === true;
  if (truncated) {
    const message = 'one page of a longer listing (IsTruncated with a Marker): the run is partial';
    issues.warn('TRUNCATED_LISTING', 'IsTruncated', message);
  }
  yield* issues.warnings.map(warningEvent);
  yield* rejections.map(rejectEvent);
  yield* withOwners(kept, options);
  const scopes = [...new Set(kept.map((r) => r.identity.scope))].sort();
  // A page of a longer listing, or a refused entry, is not the whole account: nothing may be
  // marked missing from it (DESIGN.md rule 3).
  const complete = !truncated && !results.some((r) => !isPrincipal(r));
  yield { type: 'meta', meta: { scopes, complete } };
}

const isPrincipal = (r: PrincipalResult | Rejection): r is PrincipalResult => 'identity' in r;

function* withOwners(kept: readonly PrincipalResult[], options: ParseOptions):
  Generator<ParseEvent> {
  const owners = new OwnerSet();
  for (const { identity, owner } of kept) {
    yield observation(identity);
    // A principal ingest will refuse leaves nothing behind: not the owner its tag names.
    const seen = owner && storable(identity, options) &&
      owners.firstSighting(owner, identity.scope, identity.line);
    if (seen) yield observation(seen);
  }
}

/**
 * One entry per ARN (the later wins), and no unique id shared by two ARNs: IAM never does
 * that, but documentation examples do, and a shared strong key would merge different users.
 */
function keepLatest(results: readonly PrincipalResult[], issues: RecordIssues): PrincipalResult[] {
  const byArn = new Map<string, PrincipalResult>();
  for (const r of results) {
    if (byArn.has(r.identity.sourceId)) {
      const message = `${r.identity.sourceId} is listed twice; record ${r.identity.line} wins`;
      issues.warn('DUPLICATE_RECORD', 'Arn', message);
    }
    byArn.set(r.identity.sourceId, r);
  }
  const kept = [...byArn.values()];
  const shared = sharedUniqueIds(kept);
  for (const id of shared) {
    const message = `unique id ${id} is given to several ARNs; not used as a key for any of them`;
    issues.warn('DUPLICATE_KEY', 'UserId', message);
  }
  return shared.size === 0 ? kept : kept.map((r) => withoutUniqueIds(r, shared));
}

function sharedUniqueIds(results: readonly PrincipalResult[]): Set<string> {
  const seen = new Set<string>();
  const shared = new Set<string>();
  for (const k of results.flatMap((r) => r.identity.keys)) {
    if (k.type !== 'aws-unique-id') continue;
    if (seen.has(k.value)) shared.add(k.value);
    seen.add(k.value);
  }
  return shared;
}

function withoutUniqueIds(r: PrincipalResult, shared: ReadonlySet<string>): PrincipalResult {
  const keys = r.identity.keys.filter((k) => k.type !== 'aws-unique-id' || !shared.has(k.value));
  return { ...r, identity: { ...r.identity, keys } };
}

const observation = (o: Observation): ParseEvent => ({ type: 'observation', observation: o });

/** Managed and inline policy names of each group, by group name. */
function groupPolicies(list: readonly unknown[]): GroupPolicies {
  const out = new Map<string, string[]>();
  for (const g of list) {
    if (!isObject(g) || typeof g['GroupName'] !== 'string') continue;
    const managed = policyNames(g['AttachedManagedPolicies']);
    out.set(g['GroupName'], [...managed, ...policyNames(g['GroupPolicyList'])]);
  }
  return out;
}

/**
 * IAM users and roles from `aws iam get-account-authorization-details`: groups, attached and
 * inline policies, trust policies, tags, and the instance profiles that tie roles to EC2.
 *
 * @example aws iam get-account-authorization-details > iam.json
 */
export const awsIamAuthorizationDetails: SourceFormat = {
  name: 'aws-iam-authorization-details',
  source: 'aws',
  systemOfRecord: false,
  description: 'AWS IAM users and roles from get-account-authorization-details',
  example: 'aws iam get-account-authorization-details > iam.json',
  detect,
  parse: (input, options) => byItem(parse(input, options)),
};
