import type { AttrValue, Key, Relation } from '../../model/types.js';
import { compact } from '../common.js';
import type { ParseEvent } from '../format.js';
import { observation, reject, warning } from '../streaming/events.js';
import { findSecret } from '../streaming/secret-scan.js';
import {
  asArray,
  asBoolean,
  asString,
  readTime,
  stringList,
  type Json,
} from '../streaming/values.js';
import { readCredential } from './entra-credentials.js';
import { readOwner } from './entra-owners.js';

export type EntraKind = 'application' | 'servicePrincipal';

/** What the parser knows while reading one object. */
export interface EntraContext {
  readonly file: string;
  readonly line: number;
  readonly scope: string;
  /** Owner ids already emitted in this file, so each owner is observed once. */
  readonly ownersSeen: Set<string>;
}

/**
 * Tells applications from service principals: by `@odata.type`, the AAD Graph `objectType`,
 * the list's `@odata.context` (`...$metadata#servicePrincipals`), then by fields only one of
 * them has.
 */
export function entraKind(o: Json, context: string | undefined): EntraKind | undefined {
  const type = String(o['@odata.type'] ?? o.objectType ?? '').toLowerCase();
  if (type.endsWith('serviceprincipal')) return 'servicePrincipal';
  if (type.endsWith('application')) return 'application';
  if (type !== '') return undefined;
  if (context && /#serviceprincipals\b/i.test(context)) return 'servicePrincipal';
  if (context && /#applications\b/i.test(context)) return 'application';
  if ('servicePrincipalType' in o || 'servicePrincipalNames' in o) return 'servicePrincipal';
  if ('appOwnerOrganizationId' in o || 'appOwnerTenantId' in o) return 'servicePrincipal';
  if ('appId' in o && ('signInAudience' in o || 'identifierUris' in o)) return 'application';
  return undefined;
}

/**
 * Maps one application or service principal to observations (see docs/sources/entra.md):
 * - application → asset `entra-application`, keys `external-id` `entra-app:<appId>` and
 *   `entra-object-id`; its credentials belong to the identity with its `entra-app-id`;
 * - service principal → identity (`service`), keys `entra-object-id` and `entra-app-id`, and a
 *   `runs-on` relation to its application's `entra-app:<appId>`.
 */
export function* readEntraObject(
  o: Json,
  kind: EntraKind,
  ctx: EntraContext,
): Generator<ParseEvent> {
  const id = asString(o.id ?? o.objectId);
  const appId = asString(o.appId);
  if (!id) {
    yield reject(ctx.file, ctx.line, 'id', 'MISSING_KEY', `${kind} without an object id`);
    return;
  }
  const hit = findSecret(withoutCredentials(o));
  if (hit) {
    const why = 'secret value refused, not stored';
    yield reject(ctx.file, ctx.line, hit.field, 'SECRET_REFUSED', why);
    return;
  }
  const created = readTime(o.createdDateTime);
  const deleted = readTime(o.deletedDateTime ?? o.deletionTimestamp);
  if (created.error || deleted.error) {
    const field = created.error ? 'createdDateTime' : 'deletedDateTime';
    yield reject(ctx.file, ctx.line, field, 'BAD_TIME', (created.error ?? deleted.error)!);
    return;
  }
  const relations: Relation[] = [];
  yield* ownersOf(o, ctx, relations);
  const base = { scope: ctx.scope, line: ctx.line };
  const common = compact({
    name: asString(o.displayName),
    description: asString(o.description),
    createdAt: created.value,
    tags: tagsOf(o),
    lifecycle: deleted.value ? 'retired' : undefined,
    'entra.deletedAt': deleted.value,
    'entra.appId': appId,
  });
  if (kind === 'application') {
    yield observation({
      ...base,
      kind: 'asset',
      sourceId: `application:${id}`,
      keys: applicationKeys(id, appId),
      attributes: { class: 'entra-application', ...common, ...applicationAttributes(o) },
      relations,
    });
  } else {
    if (appId) relations.push({ type: 'runs-on', target: appKey(appId) });
    yield observation({
      ...base,
      kind: 'identity',
      sourceId: `servicePrincipal:${id}`,
      keys: servicePrincipalKeys(id, appId),
      attributes: { identityType: 'service', ...common, ...servicePrincipalAttributes(o) },
      relations,
    });
  }
  yield* credentialsOf(o, kind, id, appId, ctx);
}

function appKey(appId: string): Key {
  return { type: 'external-id', value: `entra-app:${appId.toLowerCase()}` };
}

function applicationKeys(id: string, appId: string | undefined): Key[] {
  const keys: Key[] = [{ type: 'entra-object-id', value: id.toLowerCase() }];
  if (appId) keys.unshift(appKey(appId));
  return keys;
}

function servicePrincipalKeys(id: string, appId: string | undefined): Key[] {
  const keys: Key[] = [{ type: 'entra-object-id', value: id.toLowerCase() }];
  if (appId) keys.push({ type: 'entra-app-id', value: appId.toLowerCase() });
  return keys;
}

function applicationAttributes(o: Json): Record<string, AttrValue> {
  return compact({
    'entra.signInAudience': asString(o.signInAudience),
    'entra.publisherDomain': asString(o.publisherDomain),
    'entra.identifierUris': listOrUndefined(stringList(o.identifierUris)),
  });
}

function servicePrincipalAttributes(o: Json): Record<string, AttrValue> {
  return compact({
    active: asBoolean(o.accountEnabled),
    'entra.servicePrincipalType': asString(o.servicePrincipalType),
    'entra.appOwnerOrganizationId': asString(o.appOwnerOrganizationId ?? o.appOwnerTenantId),
    'entra.appDisplayName': asString(o.appDisplayName),
    'entra.publisherName': asString(o.publisherName),
    'entra.servicePrincipalNames': listOrUndefined(stringList(o.servicePrincipalNames)),
  });
}

function tagsOf(o: Json): readonly string[] | undefined {
  return listOrUndefined(stringList(o.tags));
}

function listOrUndefined(list: string[]): readonly string[] | undefined {
  return list.length > 0 ? list : undefined;
}

function withoutCredentials(o: Json): Json {
  const { passwordCredentials: _p, keyCredentials: _k, ...rest } = o;
  return rest;
}

function* ownersOf(o: Json, ctx: EntraContext, relations: Relation[]): Generator<ParseEvent> {
  for (const raw of asArray(o.owners)) {
    const owner = readOwner(raw, ctx.scope, ctx.line);
    if (!owner) {
      yield warning(ctx.file, ctx.line, 'owners', 'BAD_OWNER', 'owner entry without an id');
      continue;
    }
    relations.push(owner.relation);
    if (ctx.ownersSeen.has(owner.observation.sourceId)) continue;
    ctx.ownersSeen.add(owner.observation.sourceId);
    yield observation(owner.observation);
  }
}

/**
 * An application's credentials authenticate its service principal, which carries the same
 * `entra-app-id`; a service principal's own credentials belong to it by object id.
 */
function* credentialsOf(
  o: Json,
  kind: EntraKind,
  id: string,
  appId: string | undefined,
  ctx: EntraContext,
): Generator<ParseEvent> {
  const belongsTo: Relation =
    kind === 'application' && appId
      ? { type: 'belongs-to', target: { type: 'entra-app-id', value: appId.toLowerCase() } }
      : { type: 'belongs-to', target: { type: 'entra-object-id', value: id.toLowerCase() } };
  const parent = { scope: ctx.scope, line: ctx.line, belongsTo };
  for (const list of ['passwordCredentials', 'keyCredentials'] as const) {
    const entries = asArray(o[list]);
    for (let i = 0; i < entries.length; i++) {
      const read = readCredential(entries[i], `${list}[${i}]`, parent);
      if (read.ok) yield observation(read.observation);
      else yield reject(ctx.file, ctx.line, read.field, read.code, read.message);
    }
  }
}
