import { isSecretField } from '../../model/secrets.js';
import { byItem } from '../streaming/events.js';
import { headText, readText } from '../common.js';
import type { ParseEvent, ParseOptions, SourceFormat, SourceInput } from '../format.js';
import { secretMessage } from './credential-report-row.js';
import { accountOfScope, ShapeReader, UNATTRIBUTED } from './iam-cli-context.js';
import {
  ACCESS_KEYS,
  readCredentials,
  readServerCertificates,
  SERVICE_CREDENTIALS,
  SIGNING_CERTIFICATES,
  SSH_PUBLIC_KEYS,
} from './iam-cli-credentials.js';
import { topLevelMembers } from './iam-cli-head.js';
import { readRole, readUser } from './iam-cli-principals.js';
import {
  readAccessKeyLastUsed,
  readLoginProfile,
  readMfaDevices,
  readVirtualMfaDevices,
} from './iam-cli-user-facts.js';
import { parseBoundedJson } from './bounded-json.js';
import {
  awsErrorCode,
  isObject,
  listOf,
  type JsonObject,
} from './json-document.js';
import { fileRejection, NOTHING_READ, rejectEvent, warningEvent } from './record-issues.js';
import { responseDate } from './response-date.js';
import { findSecretFields } from './secret-scan.js';

/** What one shape reads; `complete` says whether the output lists its whole scope. */
type Reader = (r: ShapeReader, payload: JsonObject) => { complete: boolean };

const list = (o: JsonObject, member: string): unknown[] => listOf(o, member) ?? [];

/**
 * The outputs read, by the member that identifies them. Listings of the account (users,
 * roles, instance profiles, server certificates) are complete for it; listings of one user's
 * credentials are complete for that user; single gets and per-user facts are partial.
 */
const SHAPES: readonly (readonly [string, string, Reader])[] = [
  ['Users', 'list-users', (r, p) => {
    for (const u of list(p, 'Users')) readUser(r, u, (a) => `aws:${a}:users`);
    return { complete: true };
  }],
  ['User', 'get-user', (r, p) => {
    readUser(r, p['User'], (a) => `aws:${a}:users`);
    return { complete: false };
  }],
  ['Roles', 'list-roles', (r, p) => {
    for (const role of list(p, 'Roles')) readRole(r, role, (a) => `aws:${a}:roles`);
    return { complete: true };
  }],
  ['Role', 'get-role', (r, p) => {
    readRole(r, p['Role'], (a) => `aws:${a}:roles`);
    return { complete: false };
  }],
  ['InstanceProfiles', 'list-instance-profiles', (r, p) => {
    readInstanceProfiles(r, list(p, 'InstanceProfiles'));
    return { complete: true };
  }],
  ['AccessKeyMetadata', 'list-access-keys', (r, p) =>
    readCredentials(r, list(p, 'AccessKeyMetadata'), ACCESS_KEYS)],
  ['Certificates', 'list-signing-certificates', (r, p) =>
    readCredentials(r, list(p, 'Certificates'), SIGNING_CERTIFICATES)],
  ['SSHPublicKeys', 'list-ssh-public-keys', (r, p) =>
    readCredentials(r, list(p, 'SSHPublicKeys'), SSH_PUBLIC_KEYS)],
  ['ServiceSpecificCredentials', 'list-service-specific-credentials', (r, p) =>
    readCredentials(r, list(p, 'ServiceSpecificCredentials'), SERVICE_CREDENTIALS)],
  ['ServerCertificateMetadataList', 'list-server-certificates', (r, p) => {
    readServerCertificates(r, list(p, 'ServerCertificateMetadataList'));
    return { complete: true };
  }],
  ['LoginProfile', 'get-login-profile', (r, p) => {
    readLoginProfile(r, p['LoginProfile']);
    return { complete: false };
  }],
  ['MFADevices', 'list-mfa-devices', (r, p) => {
    readMfaDevices(r, list(p, 'MFADevices'));
    return { complete: false };
  }],
  ['VirtualMFADevices', 'list-virtual-mfa-devices', (r, p) => {
    readVirtualMfaDevices(r, list(p, 'VirtualMFADevices'));
    return { complete: false };
  }],
  ['AccessKeyLastUsed', 'get-access-key-last-used', (r, p) => {
    readAccessKeyLastUsed(r, p);
    return { complete: false };
  }],
  // Outputs of calls that create a credential carry its secret and are refused for it; one
  // with the secret already removed is read as the one new credential it describes.
  ['AccessKey', 'create-access-key', (r, p) => {
    readCredentials(r, [p['AccessKey']], ACCESS_KEYS);
    return { complete: false };
  }],
  ['ServiceSpecificCredential', 'create-service-specific-credential', (r, p) => {
    readCredentials(r, [p['ServiceSpecificCredential']], SERVICE_CREDENTIALS);
    return { complete: false };
  }],
];

const MEMBERS = new Set(SHAPES.map(([m]) => m));

function readInstanceProfiles(r: ShapeReader, profiles: readonly unknown[]): void {
  // A role in several profiles is one role with each profile's ARN as a key.
  const byRole = new Map<string, { role: JsonObject; profiles: JsonObject[] }>();
  for (const p of profiles) {
    if (!isObject(p)) continue;
    for (const role of list(p, 'Roles')) {
      if (!isObject(role)) continue;
      const id = String(role['Arn'] ?? role['RoleName'] ?? byRole.size);
      const seen = byRole.get(id) ?? { role, profiles: [] };
      byRole.set(id, { role, profiles: [...seen.profiles, { Arn: p['Arn'] }] });
    }
  }
  for (const { role, profiles: list_ } of byRole.values()) {
    readRole(r, { ...role, InstanceProfileList: list_ }, (a) => `aws:${a}:instance-profiles`);
  }
}

const TAGS_ONLY = (members: readonly string[]): boolean =>
  members.includes('Tags') && members.every((m) => ['Tags', 'IsTruncated', 'Marker'].includes(m));

function detect({ head }: Pick<SourceInput, 'head'>): number {
  const text = headText(head);
  if (!text.startsWith('{')) return 0;
  const members = topLevelMembers(text);
  if (members.some((m) => MEMBERS.has(m))) return 0.8;
  const data = members.indexOf('data');
  return TAGS_ONLY(data >= 0 ? members.slice(data + 1) : members) ? 0.5 : 0;
}

/** The response inside a recorder's `{status_code, data}` envelope, or the document itself. */
function payloadOf(doc: unknown): JsonObject | undefined {
  if (!isObject(doc)) return undefined;
  const own = Object.keys(doc).some((m) => MEMBERS.has(m) || m === 'Tags');
  return !own && isObject(doc['data']) ? doc['data'] : doc;
}

async function* parse(input: SourceInput, options: ParseOptions): AsyncGenerator<ParseEvent> {
  const doc = parseBoundedJson(input.path, await readText(input));
  if (!doc.ok) return yield* [rejectEvent(doc.rejection), NOTHING_READ];
  const refuse = (message: string, field?: string) =>
    [rejectEvent(fileRejection(input.path, 'BAD_INPUT', message, field)), NOTHING_READ];
  const payload = payloadOf(doc.value);
  const error = awsErrorCode(doc.value);
  if (error) return yield* refuse(`the recorded call failed with ${error}`, 'Error.Code');
  if (!payload) return yield* refuse('not an AWS IAM CLI output: the document is not an object');
  const shape = SHAPES.find(([m]) => payload[m] !== undefined);
  if (!shape) {
    if (TAGS_ONLY(Object.keys(payload))) {
      const message = 'a tag listing (list-user-tags, list-role-tags) does not say whose tags ' +
        'they are; nothing kept: read tags from get-user, get-role or ' +
        'get-account-authorization-details';
      const warning = { file: input.path, field: 'Tags', message, code: UNATTRIBUTED };
      return yield* [warningEvent(warning), NOTHING_READ];
    }
    const found = Object.keys(payload).slice(0, 5).join(', ') || 'nothing';
    const known = [...MEMBERS].join(', ');
    return yield* refuse(`not an AWS IAM CLI output: expected one of ${known} at the top ` +
      `level, found ${found}`);
  }
  const secrets = secretPaths(payload);
  if (secrets.length > 0) {
    for (const f of secrets) {
      yield rejectEvent(fileRejection(input.path, 'SECRET_REFUSED', secretMessage(f), f));
    }
    return yield NOTHING_READ;
  }
  const reader = new ShapeReader(input.path, accountOfScope(options.scope), options);
  const { complete } = shape[2](reader, payload);
  const truncated = payload['IsTruncated'] === true;
  if (truncated) {
    const message = 'one page of a longer listing (IsTruncated with a Marker): the run is partial';
    const issues = reader.fileIssues();
    issues.warn('TRUNCATED_LISTING', 'IsTruncated', message);
    reader.warnings.push(...issues.warnings);
  }
  const result = reader.result(complete && !truncated);
  // The response's date before any record: ingest stores records by chunks, each with the
  // run's as-of.
  const date = responseDate(input.path, payload);
  if (date.asOf) yield { type: 'meta', meta: { asOf: date.asOf } };
  if (date.warning) yield warningEvent(date.warning);
  yield* result.warnings.map(warningEvent);
  yield* result.rejections.map(rejectEvent);
  yield* result.observations.map((o): ParseEvent => ({ type: 'observation', observation: o }));
  const scopes = [...new Set(result.observations.map((o) => o.scope))].sort();
  yield { type: 'meta', meta: { scopes, complete: result.complete } };
}

/**
 * Fields holding a secret, by path. Besides the shared scan, member names are also read with
 * their words split (`ServicePassword` as `Service_Password`), as IAM writes them in PascalCase.
 */
function secretPaths(payload: JsonObject): string[] {
  const found = new Set(findSecretFields(payload));
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}[${i}]`));
    if (!isObject(v)) return;
    for (const [k, x] of Object.entries(v)) {
      const at = path ? `${path}.${k}` : k;
      if (typeof x === 'string' && isSecretField(k.replace(/([a-z0-9])([A-Z])/g, '$1_$2'), x)) {
        found.add(at);
      } else walk(x, at);
    }
  };
  walk(payload, '');
  return [...found].sort();
}

/**
 * The plain `aws iam` list and get outputs: users, roles, instance profiles, access keys
 * (with their status), signing certificates, SSH keys, service-specific credentials, server
 * certificates, login profiles and MFA devices, as the CLI prints them or recorded in a
 * `{status_code, data}` envelope.
 *
 * @example aws iam list-access-keys --user-name bob > bob-keys.json
 */
export const awsIamCli: SourceFormat = {
  name: 'aws-iam-cli',
  source: 'aws',
  systemOfRecord: false,
  description: 'AWS IAM list/get outputs: users, roles, access keys, MFA, login profiles',
  example: 'aws iam list-access-keys --user-name bob > bob-keys.json',
  detect,
  parse: (input, options) => byItem(parse(input, options)),
};
