import type { AttrValue, Key, Relation } from '../../model/types.js';
import { normalizeKey } from '../../model/keys.js';
import { asObject, asString, readTime, type Json } from '../streaming/values.js';

/** What one Vault response document is, by the fields of its `data` and `auth` blocks. */
export type VaultShape =
  | 'token-lookup'
  | 'token-auth'
  | 'secret-id'
  | 'role-id'
  | 'approle-role'
  | 'lease'
  | 'list';

/** Where a reader is: the file, the record number and the scope (cluster or namespace). */
export interface VaultContext {
  readonly file: string;
  readonly line: number;
  readonly scope: string;
  /** Source ids already observed in this file (an entity named by several tokens). */
  readonly emitted: Set<string>;
}

/** Tells a response's shape; undefined for a document Roster does not read. */
export function shapeOf(doc: Json): VaultShape | undefined {
  const data = asObject(doc.data);
  const auth = asObject(doc.auth);
  if (data && Array.isArray(data.keys)) return 'list';
  if (data && 'accessor' in data && ('policies' in data || 'expire_time' in data)) {
    return 'token-lookup';
  }
  if (data && 'secret_id_accessor' in data) return 'secret-id';
  if (data && 'role_id' in data && Object.keys(data).length === 1) return 'role-id';
  if (data && ('bind_secret_id' in data || 'secret_id_num_uses' in data)) return 'approle-role';
  if (data && 'id' in data && 'issue_time' in data && 'renewable' in data) return 'lease';
  if (auth && ('client_token' in auth || 'accessor' in auth)) return 'token-auth';
  return undefined;
}

/** A Vault time: RFC 3339 text, or unix seconds (`creation_time`); `0001-01-01` is none. */
export function vaultTime(raw: unknown): { value?: string; error?: string } {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || raw <= 0) return {};
    return { value: new Date(raw * 1000).toISOString() };
  }
  if (raw === null || raw === undefined || raw === '') return {};
  return readTime(raw);
}

/** A non-negative whole number of seconds, else undefined. */
export function seconds(raw: unknown): number | undefined {
  return typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 ? raw : undefined;
}

/** `meta` / `metadata` string values as `vault.meta.<key>` attributes. */
export function metaAttributes(meta: Json | undefined): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const [k, v] of Object.entries(meta ?? {})) {
    const s = asString(v);
    if (s !== undefined) out[`vault.meta.${k}`] = s;
  }
  return out;
}

/** The mount of an auth path: `auth/ldap2/login/tesla` → `ldap2`. */
export function authMount(path: string | undefined): string | undefined {
  const m = path ? /^auth\/([^/]+)\//.exec(path) : null;
  return m ? m[1] : undefined;
}

export function approleKey(scope: string, mount: string, role: string): Key {
  return { type: 'external-id', value: `vault-approle:${scope}/${mount}/${role}` };
}

export function entityKey(entityId: string): Key {
  return { type: 'external-id', value: `vault-entity:${entityId.toLowerCase()}` };
}

/**
 * What the metadata of a token or secret-id says it is bound to, by the fields Vault's auth
 * methods write: Kubernetes (`service_account_uid`), AWS IAM (`canonical_arn`, `client_arn`),
 * AWS EC2 (`instance_id`, or `inferred_entity_id` of an `ec2_instance`), AppRole (`role_name`).
 * Identities are `belongs-to` targets; hosts are named (`names`), so that retiring the host
 * puts the credential in its offboarding plan.
 */
export function bindingsOf(meta: Json | undefined, scope: string, mount: string): Relation[] {
  if (!meta) return [];
  const out: Relation[] = [];
  const push = (type: Relation['type'], key: Key | undefined): void => {
    if (key) out.push({ type, target: key });
  };
  push('belongs-to', normalizeKey('k8s-uid', asString(meta.service_account_uid)));
  const arn = asString(meta.canonical_arn) ?? asString(meta.client_arn);
  if (arn?.startsWith('arn:')) push('belongs-to', normalizeKey('aws-arn', arn));
  const role = asString(meta.role_name);
  if (role) out.push({ type: 'belongs-to', target: approleKey(scope, mount, role) });
  push('names', normalizeKey('aws-instance-id', asString(meta.instance_id)));
  if (asString(meta.inferred_entity_type) === 'ec2_instance') {
    push('names', normalizeKey('aws-instance-id', asString(meta.inferred_entity_id)));
  }
  return out;
}

const HUMAN_MOUNTS = /^(ldap|userpass|oidc|okta|radius|github)/i;
const SERVICE_MOUNTS = /^(approle|kubernetes|k8s|aws|gcp|azure|cert|jwt|alicloud|oci|cf)/i;

/** Who is behind an auth mount, by its usual name; undefined when the name does not say. */
export function identityTypeOf(mount: string | undefined): 'human' | 'service' | undefined {
  if (!mount) return undefined;
  if (HUMAN_MOUNTS.test(mount)) return 'human';
  if (SERVICE_MOUNTS.test(mount)) return 'service';
  return undefined;
}
