import { normalizeKey } from '../../model/keys.js';
import type { AttrValue, Key, Observation, Rejection } from '../../model/types.js';
import { compact } from '../common.js';
import { accountOfArn } from './arn.js';
import { parseAwsTime } from './aws-time.js';
import { secretMessage } from './credential-report-row.js';
import { userKind } from './identity-type.js';
import { isObject, type JsonObject } from './json-document.js';
import type { OwnerRef } from './owner.js';
import type { RecordIssues } from './record-issues.js';
import { findSecretFields } from './secret-scan.js';
import { tagFacts } from './tag-facts.js';
import { readTags, tagAttributes, type TagList } from './tags.js';
import { trustedPrincipals } from './trust-policy.js';

/** A user or role read: its identity observation and the owner its tags name. */
export interface PrincipalResult {
  readonly identity: Observation;
  readonly owner?: OwnerRef;
}

/** Policy names of each group, so that users carry what their groups grant. */
export type GroupPolicies = ReadonlyMap<string, readonly string[]>;

/** What differs between users and roles in `GetAccountAuthorizationDetails`. */
interface Flavour {
  readonly name: string;
  readonly id: string;
  readonly inline: string;
}

const USER: Flavour = { name: 'UserName', id: 'UserId', inline: 'UserPolicyList' };
const ROLE: Flavour = { name: 'RoleName', id: 'RoleId', inline: 'RolePolicyList' };

/** One `UserDetailList` element as an identity (human or service, by tags and name). */
export function convertUser(
  raw: unknown,
  groups: GroupPolicies,
  issues: RecordIssues,
  line: number,
): PrincipalResult | Rejection {
  return convertPrincipal(raw, USER, issues, line, (u, name, tags) => {
    const groupNames = strings(u['GroupList']);
    return {
      identityType: userKind(name, tags),
      'aws.groups': groupNames,
      'aws.groupPolicies': unique(groupNames.flatMap((g) => groups.get(g) ?? [])),
    };
  });
}

/**
 * One `RoleDetailList` element as an identity of type `role`. Each instance profile's ARN is
 * one more key of the role: an EC2 instance names only its profile, and this is how it finds
 * the role that runs on it.
 */
export function convertRole(
  raw: unknown,
  issues: RecordIssues,
  line: number,
): PrincipalResult | Rejection {
  return convertPrincipal(raw, ROLE, issues, line, (r) => {
    const trust = trustedPrincipals(r['AssumeRolePolicyDocument']);
    if (!trust && r['AssumeRolePolicyDocument'] !== undefined) {
      issues.warn('INVALID_VALUE', 'AssumeRolePolicyDocument', 'trust policy is not readable JSON');
    }
    const lastUsed = isObject(r['RoleLastUsed']) ? r['RoleLastUsed'] : {};
    return {
      identityType: 'role',
      lastUsedAt: timeOrWarn(lastUsed['LastUsedDate'], 'RoleLastUsed.LastUsedDate', issues),
      'aws.lastUsedRegion': text(lastUsed['Region']),
      'aws.trustedServices': trust?.services,
      'aws.trustedPrincipals': trust?.others,
      'aws.instanceProfiles': profileArns(r),
      description: text(r['Description']),
    };
  });
}

type Specifics = (
  o: JsonObject,
  name: string,
  tags: TagList,
) => Record<string, AttrValue | undefined>;

function convertPrincipal(
  raw: unknown,
  flavour: Flavour,
  issues: RecordIssues,
  line: number,
  specifics: Specifics,
): PrincipalResult | Rejection {
  if (!isObject(raw)) return issues.reject('BAD_INPUT', undefined, 'the entry is not an object');
  const secret = findSecretFields(raw)[0];
  if (secret) return issues.reject('SECRET_REFUSED', secret, secretMessage(secret));
  const arn = text(raw['Arn']);
  const account = arn && accountOfArn(arn);
  if (!arn || !account) return issues.reject('BAD_INPUT', 'Arn', 'no IAM ARN with an account id');
  const name = text(raw[flavour.name]);
  if (!name) return issues.reject('BAD_INPUT', flavour.name, 'the name is empty');
  const created = parseAwsTime(raw['CreateDate']);
  if (!created.ok) return issues.reject('BAD_INPUT', 'CreateDate', created.error);

  const { tags, skipped } = readTags(raw['Tags']);
  if (skipped > 0) issues.warn('INVALID_VALUE', 'Tags', `${skipped} tag(s) without Key/Value`);
  const facts = tagFacts(tags, issues);
  const attributes = compact({
    name,
    createdAt: created.value,
    path: text(raw['Path']),
    account,
    'aws.attachedPolicies': policyNames(raw['AttachedManagedPolicies']),
    'aws.inlinePolicies': policyNames(raw[flavour.inline]),
    'aws.permissionsBoundary': boundaryArn(raw),
    ...specifics(raw, name, tags),
    ...facts.attributes,
    ...tagAttributes(tags),
  });
  const keys = presentKeys([arn, ...profileArns(raw)], raw[flavour.id], name);
  const identity: Observation = {
    kind: 'identity',
    sourceId: arn,
    scope: `aws:${account}`,
    keys,
    attributes,
    line,
  };
  if (facts.relations.length === 0) return { identity, owner: facts.owner };
  return { identity: { ...identity, relations: facts.relations }, owner: facts.owner };
}

function presentKeys(arns: readonly string[], uniqueId: unknown, name: string): Key[] {
  const keys = [
    ...arns.map((a) => normalizeKey('aws-arn', a)),
    normalizeKey('aws-unique-id', uniqueId),
    normalizeKey('name', name),
  ];
  return keys.filter((k): k is Key => k !== undefined);
}

/** Policy names from a list of `{PolicyName}`; the CLI's documented example prints one bare. */
export function policyNames(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return unique(list.flatMap((p) => (isObject(p) && text(p['PolicyName'])) || []));
}

function profileArns(role: JsonObject): string[] {
  const list = Array.isArray(role['InstanceProfileList']) ? role['InstanceProfileList'] : [];
  return unique(list.flatMap((p) => (isObject(p) && text(p['Arn'])) || []));
}

function boundaryArn(o: JsonObject): string | undefined {
  const b = o['PermissionsBoundary'];
  return isObject(b) ? text(b['PermissionsBoundaryArn']) : undefined;
}

function timeOrWarn(raw: unknown, field: string, issues: RecordIssues): string | undefined {
  const t = parseAwsTime(raw);
  if (t.ok) return t.value;
  issues.warn('INVALID_VALUE', field, t.error);
  return undefined;
}

function strings(raw: unknown): string[] {
  return Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string') : [];
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}
