import type { Key, Observation } from '../../model/types.js';
import { compact } from '../common.js';
import { accountOfArn } from './arn.js';
import {
  text,
  timeField,
  userNameKey,
  type ShapeReader,
} from './iam-cli-context.js';
import { convertRole, convertUser, type PrincipalResult } from './iam-principal.js';
import { isObject, type JsonObject } from './json-document.js';
import type { RecordIssues } from './record-issues.js';

/** Lists that only get-account-authorization-details carries: absent here means "not said". */
const DETAIL_ONLY = {
  user: { 'aws.groups': 'GroupList', 'aws.groupPolicies': 'GroupList' },
  role: { 'aws.instanceProfiles': 'InstanceProfileList' },
  any: { 'aws.attachedPolicies': 'AttachedManagedPolicies' },
} as const;

const UNIQUE_ID = { user: /^AIDA[A-Z0-9]{8,}$/, role: /^AROA[A-Z0-9]{8,}$/ } as const;

/** One user of `list-users`, `get-user` or a virtual MFA device's `User`. */
export function readUser(
  reader: ShapeReader,
  raw: unknown,
  scope: (account: string) => string,
  extra: (o: JsonObject) => Record<string, unknown> = () => ({}),
): void {
  const issues = reader.next();
  const result = convertUser(raw, new Map(), issues, reader.line);
  if (!('identity' in result)) return reader.keep(issues, result);
  const o = raw as JsonObject;
  const last = timeField(o, 'PasswordLastUsed');
  if (!last.ok) issues.warn('INVALID_VALUE', 'PasswordLastUsed', last.error);
  const identity = adapt(result, o, 'user', issues, scope, {
    passwordLastUsedAt: last.ok ? last.value : undefined,
    ...extra(o),
  });
  reader.keep(issues, identity);
  reader.owner(result.owner, identity);
}

/** One role of `list-roles`, `get-role` or an instance profile's `Roles`. */
export function readRole(
  reader: ShapeReader,
  raw: unknown,
  scope: (account: string) => string,
): void {
  const issues = reader.next();
  if (isObject(raw) && text(raw['AssumeRolePolicyDocument'])?.startsWith('<')) {
    // The CLI reference prints a placeholder here; say so rather than "not readable JSON".
    issues.warn('INVALID_VALUE', 'AssumeRolePolicyDocument', 'a placeholder, not a trust policy');
    raw = { ...raw, AssumeRolePolicyDocument: undefined };
  }
  const result = convertRole(raw, issues, reader.line);
  if (!('identity' in result)) return reader.keep(issues, result);
  const identity = adapt(result, raw as JsonObject, 'role', issues, scope, {});
  reader.keep(issues, identity);
  reader.owner(result.owner, identity);
}

/**
 * Turns an authorization-details principal into this format's view: drops the lists that these
 * outputs do not carry (an empty group list from list-users is "not said", not "no groups"),
 * checks the unique id's prefix, adds the user-name key, and sets the per-shape scope.
 */
function adapt(
  result: PrincipalResult,
  raw: JsonObject,
  kind: 'user' | 'role',
  issues: RecordIssues,
  scope: (account: string) => string,
  more: Record<string, unknown>,
): Observation {
  const { identity } = result;
  const attributes: Record<string, unknown> = { ...identity.attributes, ...compact(more) };
  const absent = { ...DETAIL_ONLY[kind], ...DETAIL_ONLY.any };
  for (const [attr, member] of Object.entries(absent)) {
    if (raw[member] === undefined) delete attributes[attr];
  }
  if (raw[kind === 'user' ? 'UserPolicyList' : 'RolePolicyList'] === undefined) {
    delete attributes['aws.inlinePolicies'];
  }
  const account = accountOfArn(identity.sourceId)!;
  const idField = kind === 'user' ? 'UserId' : 'RoleId';
  const keys: Key[] = identity.keys.filter((k) => {
    if (k.type !== 'aws-unique-id' || UNIQUE_ID[kind].test(k.value)) return true;
    const expected = kind === 'user' ? 'AIDA' : 'AROA';
    const message = `'${k.value}' is not an IAM ${kind} id (${expected}…): not used as a key`;
    issues.warn('INVALID_VALUE', idField, message);
    return false;
  });
  const name = String(identity.attributes['name']);
  const byName = kind === 'user' ? userNameKey(account, name) : undefined;
  const obs: Observation = {
    ...identity,
    scope: scope(account),
    keys: byName ? [...keys, byName] : keys,
    attributes: attributes as Observation['attributes'],
  };
  return obs;
}
