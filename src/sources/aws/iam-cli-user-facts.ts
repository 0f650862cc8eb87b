import { basename } from 'node:path';
import { normalizeKey } from '../../model/keys.js';
import type { Key, Observation } from '../../model/types.js';
import { compact } from '../common.js';
import {
  accountIn,
  text,
  timeField,
  userNameKey,
  userScope,
  type ShapeReader,
} from './iam-cli-context.js';
import { readUser } from './iam-cli-principals.js';
import { isObject, type JsonObject } from './json-document.js';

/**
 * Facts about a user that an output names by user name only (get-login-profile,
 * list-mfa-devices). They must land on the user's own record, which only a strong key reaches:
 * the account's user-name key, so the account must be known (from an ARN in the output or
 * `--scope`). Without it the entry is set aside with a warning, never kept as a second,
 * unlinked user.
 */
function userFact(
  reader: ShapeReader,
  raw: unknown,
  what: string,
  account: string | undefined,
  attributes: (o: JsonObject) => Record<string, unknown> | string,
): void {
  const issues = reader.next();
  if (!isObject(raw)) {
    return reader.keep(issues, issues.reject('BAD_INPUT', undefined, 'the entry is not an object'));
  }
  const user = text(raw['UserName']);
  if (!user) return reader.keep(issues, issues.reject('BAD_INPUT', 'UserName', 'no user name'));
  if (!account) {
    const message = `the ${what} output names user '${user}' but no account; ` +
      'pass --scope aws:<account id> (and ingest list-users of that account) to tie it to the user';
    return reader.unattributed(issues, 'UserName', message);
  }
  const attrs = attributes(raw);
  if (typeof attrs === 'string') return reader.keep(issues, issues.reject('BAD_INPUT', attrs,
    `'${attrs}' is not a time`));
  const keys = [userNameKey(account, user), normalizeKey('name', user)];
  const obs: Observation = {
    kind: 'identity',
    sourceId: `user/${user}#${what}`,
    scope: userScope(account, user, what),
    keys: keys.filter((k): k is Key => k !== undefined),
    attributes: compact({ name: user, account, ...attrs }) as Observation['attributes'],
    line: reader.line,
  };
  reader.keep(issues, obs);
}

/** `get-login-profile`: the user has a console password. */
export function readLoginProfile(reader: ShapeReader, raw: unknown): void {
  userFact(reader, raw, 'login-profile', reader.givenAccount, (o) => {
    const created = timeField(o, 'CreateDate');
    if (!created.ok) return 'CreateDate';
    return {
      passwordEnabled: true,
      'aws.loginProfileCreatedAt': created.value,
      'aws.passwordResetRequired': typeof o['PasswordResetRequired'] === 'boolean'
        ? o['PasswordResetRequired'] : undefined,
    };
  });
}

/** `list-mfa-devices`: each user listed has an MFA device enabled. */
export function readMfaDevices(reader: ShapeReader, list: readonly unknown[]): void {
  const byUser = new Map<string, JsonObject[]>();
  for (const d of list) {
    const user = isObject(d) ? text(d['UserName']) : undefined;
    byUser.set(user ?? '', [...(byUser.get(user ?? '') ?? []), ...(isObject(d) ? [d] : [])]);
  }
  for (const devices of byUser.values()) {
    const account = accountIn(...devices.map((d) => d['SerialNumber'])) ?? reader.givenAccount;
    userFact(reader, devices[0] ?? {}, 'mfa-devices', account, () => ({
      mfaActive: true,
      'aws.mfaDevices': devices.flatMap((d) => text(d['SerialNumber']) ?? []),
    }));
  }
}

/**
 * `list-virtual-mfa-devices`: a device assigned to a user carries that user's ARN and id, so
 * the user gets `mfaActive`. Unassigned devices say nothing about anyone.
 */
export function readVirtualMfaDevices(reader: ShapeReader, list: readonly unknown[]): void {
  for (const d of list) {
    if (!isObject(d) || !isObject(d['User'])) continue;
    readUser(reader, d['User'], (a) => `aws:${a}:virtual-mfa-devices`, () => ({
      mfaActive: true,
      'aws.mfaDevices': [text(d['SerialNumber'])].filter((s): s is string => !!s),
    }));
  }
}

const KEY_ID_IN_NAME = /(?:^|[^A-Z0-9])((?:AKIA|ASIA)[A-Z0-9]{16})(?![A-Z0-9])/;

/**
 * `get-access-key-last-used`: the output names the user but not the key it was asked about,
 * so the key id comes from the file name (e.g. `AKIAIOSFODNN7EXAMPLE.json`). Without one the
 * output is set aside with a warning: a last-used date tied to no key would be a guess.
 */
export function readAccessKeyLastUsed(reader: ShapeReader, payload: JsonObject): void {
  const issues = reader.next();
  const user = text(payload['UserName']);
  const used = isObject(payload['AccessKeyLastUsed']) ? payload['AccessKeyLastUsed'] : {};
  const keyId = KEY_ID_IN_NAME.exec(basename(reader.file))?.[1];
  if (!user) return reader.keep(issues, issues.reject('BAD_INPUT', 'UserName', 'no user name'));
  if (!keyId) {
    const message = `get-access-key-last-used prints the user (${user}) but not the key; ` +
      'save the output under a file name holding the access key id, e.g. <key id>.json';
    return reader.unattributed(issues, 'AccessKeyId', message);
  }
  const last = timeField(used, 'LastUsedDate');
  if (!last.ok) {
    return reader.keep(issues, issues.reject('BAD_INPUT', 'AccessKeyLastUsed.LastUsedDate',
      last.error));
  }
  const known = (v: unknown): string | undefined => (text(v) === 'N/A' ? undefined : text(v));
  const obs: Observation = {
    kind: 'credential',
    sourceId: keyId,
    scope: userScope(reader.givenAccount, user, 'access-key-last-used'),
    keys: [{ type: 'aws-access-key-id', value: keyId }],
    attributes: compact({
      credentialType: 'access-key',
      lastUsedAt: last.value,
      usageTracked: true,
      'aws.lastUsedService': known(used['ServiceName']),
      'aws.lastUsedRegion': known(used['Region']),
      'aws.userName': user,
    }),
    line: reader.line,
  };
  reader.keep(issues, obs);
}
