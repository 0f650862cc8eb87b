import type { AttrValue, Relation } from '../../model/types.js';
import { compact } from '../common.js';
import type { ParseEvent } from '../format.js';
import { observation, reject, warning } from '../streaming/events.js';
import { asBoolean, asObject, asString, stringList, type Json } from '../streaming/values.js';
import {
  authMount,
  bindingsOf,
  entityKey,
  identityTypeOf,
  metaAttributes,
  seconds,
  vaultTime,
  type VaultContext,
} from './vault-values.js';

/** Token facts common to a lookup (`data`) and an auth block (`auth`). */
interface TokenFacts {
  readonly accessor: string;
  readonly block: 'data' | 'auth';
  readonly t: Json;
  readonly meta: Json | undefined;
  readonly policies: readonly string[];
}

/**
 * A token lookup (`auth/token/lookup`, `lookup-self`, `lookup-accessor`): a credential keyed by
 * its accessor. `data.id` is the token itself: refused and dropped, never stored.
 */
export function* readTokenLookup(doc: Json, ctx: VaultContext): Generator<ParseEvent> {
  const d = asObject(doc.data)!;
  if (asString(d.id)) {
    yield reject(ctx.file, ctx.line, 'data.id', 'SECRET_REFUSED',
      'token id (the token itself) refused and dropped; the record is kept by its accessor');
  }
  const accessor = asString(d.accessor);
  if (!accessor) {
    yield reject(ctx.file, ctx.line, 'data.accessor', 'MISSING_KEY', 'token without an accessor');
    return;
  }
  yield* token({ accessor, block: 'data', t: d, meta: asObject(d.meta),
    policies: stringList(d.policies) }, ctx);
}

/**
 * The `auth` block of a token create, login or renew response. `auth.client_token` is the
 * token: refused and dropped. A renew response carries no accessor and yields nothing else.
 */
export function* readTokenAuth(doc: Json, ctx: VaultContext): Generator<ParseEvent> {
  const a = asObject(doc.auth)!;
  if (asString(a.client_token)) {
    yield reject(ctx.file, ctx.line, 'auth.client_token', 'SECRET_REFUSED',
      'client token refused and dropped; the record is kept by its accessor');
  }
  const accessor = asString(a.accessor);
  if (!accessor) {
    yield warning(ctx.file, ctx.line, 'auth.accessor', 'NO_ACCESSOR',
      'auth block without an accessor (a renew response): nothing to keep');
    return;
  }
  const policies = stringList(a.policies).length > 0 ? a.policies : a.token_policies;
  yield* token({ accessor, block: 'auth', t: a, meta: asObject(a.metadata),
    policies: stringList(policies) }, ctx);
}

function* token(f: TokenFacts, ctx: VaultContext): Generator<ParseEvent> {
  const { t, block } = f;
  const created = vaultTime(t.creation_time);
  const issued = vaultTime(t.issue_time);
  const expires = vaultTime(t.expire_time);
  for (const [name, read] of [['creation_time', created], ['issue_time', issued],
    ['expire_time', expires]] as const) {
    if (read.error) {
      yield reject(ctx.file, ctx.line, `${block}.${name}`, 'BAD_TIME', read.error);
      return;
    }
  }
  const path = asString(t.path);
  const mount = authMount(path) ?? 'token';
  const entityId = asString(t.entity_id);
  const relations: Relation[] = bindingsOf(f.meta, ctx.scope, mount);
  if (entityId) {
    relations.unshift({ type: 'belongs-to', target: entityKey(entityId) });
    if (!ctx.emitted.has(`entity:${entityId}`)) {
      ctx.emitted.add(`entity:${entityId}`);
      yield observation(entity(entityId, f, mount, ctx));
    }
  }
  const ttl = seconds(t.ttl) ?? seconds(t.lease_duration);
  const displayName = asString(t.display_name);
  yield observation({
    kind: 'credential',
    sourceId: `token:${f.accessor}`,
    scope: ctx.scope,
    keys: [{ type: 'key-id', value: `vault-token:${f.accessor}` }],
    attributes: compact({
      class: 'vault-token',
      credentialType: 'token',
      name: displayName ? `vault token ${displayName}` : `vault token ${f.accessor}`,
      active: true,
      createdAt: created.value ?? issued.value,
      expiresAt: expires.value,
      // A token without an expiry and without a TTL lives until revoked (root, periodic 0).
      neverExpires: !expires.value && ttl === 0 ? true : undefined,
      'vault.accessor': f.accessor,
      'vault.displayName': displayName,
      'vault.entityId': entityId,
      'vault.path': path,
      'vault.authMount': path ? mount : undefined,
      'vault.policies': f.policies.length > 0 ? f.policies : undefined,
      'vault.identityPolicies': list(t.identity_policies),
      'vault.orphan': asBoolean(t.orphan),
      'vault.renewable': asBoolean(t.renewable),
      'vault.tokenType': asString(t.type) ?? asString(t.token_type),
      'vault.ttl': ttl,
      'vault.creationTtl': seconds(t.creation_ttl),
      'vault.explicitMaxTtl': seconds(t.explicit_max_ttl),
      'vault.numUses': seconds(t.num_uses),
      'vault.issueTime': issued.value,
      'vault.namespace': asString(t.namespace_path),
      ...metaAttributes(f.meta),
    }) as Record<string, AttrValue>,
    relations,
    line: ctx.line,
  });
}

/** The identity entity a token was issued to, named by its login (`meta.username`). */
function entity(id: string, f: TokenFacts, mount: string, ctx: VaultContext) {
  const m = f.meta ?? {};
  const name = asString(m.username) ?? asString(m.role_name) ?? asString(m.service_account_name)
    ?? asString(f.t.display_name) ?? id;
  const relations: Relation[] = bindingsOf(f.meta, ctx.scope, mount)
    .filter((r) => r.type === 'names')
    .map((r) => ({ type: 'runs-on', target: r.target }));
  return {
    kind: 'identity' as const,
    sourceId: `entity:${id}`,
    scope: ctx.scope,
    keys: [entityKey(id)],
    attributes: compact({
      class: 'vault-entity',
      name,
      identityType: identityTypeOf(mount),
      'vault.entityId': id,
      'vault.authMount': mount === 'token' ? undefined : mount,
    }) as Record<string, AttrValue>,
    relations,
    line: ctx.line,
  };
}

function list(v: unknown): readonly string[] | undefined {
  const l = stringList(v);
  return l.length > 0 ? l : undefined;
}
