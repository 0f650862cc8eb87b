import type { Key, Observation, Relation } from '../../model/types.js';
import { normalizeKey } from '../../model/keys.js';
import { compact } from '../common.js';
import { asBoolean, asString, readTime } from '../streaming/values.js';
import type { AssetInput } from './gcp-assets.js';
import { lastSegment } from './gcp-line.js';

/** Default service accounts Google creates (Compute Engine, App Engine). */
const DEFAULT_SA = /^(\d+-compute@developer|[a-z0-9-]+@appspot)\.gserviceaccount\.com$/;

/** iam.googleapis.com/ServiceAccount → service identity keyed by name, e-mail and unique id. */
export function readServiceAccount(input: AssetInput): Observation {
  const { asset } = input;
  const d = asset.data ?? {};
  const keys: Key[] = [{ type: 'gcp-resource', value: asset.name }];
  const email = normalizeKey('email', d.email);
  if (email) keys.push(email);
  const uniqueId = asString(d.uniqueId);
  if (uniqueId) keys.push({ type: 'key-id', value: `gcp-sa-unique:${uniqueId}` });
  const attributes = compact({
    identityType: 'service',
    name: asString(d.displayName) ?? email?.value,
    email: email?.value,
    active: asBoolean(d.disabled) !== true,
    description: asString(d.description),
    updatedAt: input.updatedAt,
    'gcp.projectId': asString(d.projectId),
    'gcp.uniqueId': uniqueId,
    'gcp.defaultServiceAccount': email ? DEFAULT_SA.test(email.value) : undefined,
  });
  return { kind: 'identity', sourceId: asset.name, scope: input.scope, keys, attributes };
}

/** IAM `ServiceAccountKey.keyType`. */
const KEY_TYPES: Readonly<Record<string, string>> = {
  USER_MANAGED: 'user-managed',
  SYSTEM_MANAGED: 'system-managed',
};

/** A key's `validBeforeTime` of 9999-12-31 means it never expires. */
function expiry(raw: unknown): { value?: string; error?: string } {
  const t = readTime(raw);
  return t.value?.startsWith('9999-') ? {} : t;
}

export type KeyRead = { observation: Observation } | { field: string; error: string };

/**
 * iam.googleapis.com/ServiceAccountKey → credential `service-account-key`, keyed by its
 * resource name and `key-id` `gcp-sa-key:<key id>`, belonging to its service account.
 */
export function readServiceAccountKey(input: AssetInput): KeyRead {
  const { asset } = input;
  const d = asset.data ?? {};
  const created = readTime(d.validAfterTime);
  if (created.error) return { field: 'resource.data.validAfterTime', error: created.error };
  const expires = expiry(d.validBeforeTime);
  if (expires.error) return { field: 'resource.data.validBeforeTime', error: expires.error };
  const keyId = lastSegment(asString(d.name)) ?? lastSegment(asset.name)!;
  const keyType = asString(d.keyType);
  const attributes = compact({
    credentialType: 'service-account-key',
    name: keyId,
    createdAt: created.value,
    expiresAt: expires.value,
    active: asBoolean(d.disabled) !== true,
    updatedAt: input.updatedAt,
    'gcp.keyType': keyType ? (KEY_TYPES[keyType] ?? keyType) : undefined,
    'gcp.keyOrigin': asString(d.keyOrigin),
    'gcp.keyAlgorithm': asString(d.keyAlgorithm),
  });
  const keys: Key[] = [
    { type: 'gcp-resource', value: asset.name },
    { type: 'key-id', value: `gcp-sa-key:${keyId}` },
  ];
  const relations = ownerAccount(asset.parent, asString(d.name));
  const observation = { kind: 'credential' as const, sourceId: asset.name, scope: input.scope };
  return { observation: { ...observation, keys, attributes, relations } };
}

/** The account a key belongs to: its CAI parent, else the e-mail inside the key's name. */
function ownerAccount(parent: string | undefined, keyName: string | undefined): Relation[] {
  if (parent) return [{ type: 'belongs-to', target: { type: 'gcp-resource', value: parent } }];
  const m = keyName ? /serviceAccounts\/([^/]+@[^/]+)\/keys\//.exec(keyName) : null;
  const email = normalizeKey('email', m?.[1]);
  return email ? [{ type: 'belongs-to', target: email }] : [];
}
