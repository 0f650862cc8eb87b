import { normalizeKey } from '../../model/keys.js';
import { isSecretField, looksLikeSecretValue } from '../../model/secrets.js';
import type { AttrValue, Key, KeyType, Observation } from '../../model/types.js';
import type { ParseEvent } from '../format.js';
import {
  arr, instant, k8sRef, kindScope, obj, refPartProblem, str, type Obj,
} from './k8s-values.js';

/** Where one object is being read, and the events its mapping produces. */
export interface MapContext {
  readonly cluster: string;
  readonly file: string;
  /** 1-based record number in the List (1 for a single object). */
  readonly line: number;
  readonly events: ParseEvent[];
}

export interface OwnerRef {
  readonly kind: string;
  readonly name: string;
}

/** The `metadata` every Kubernetes object carries (apimachinery ObjectMeta). */
export interface K8sMeta {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly createdAt?: string;
  readonly labels?: Obj;
  readonly annotations?: Obj;
  /** The controller owner first (`controller: true`), then the others. */
  readonly owners: readonly OwnerRef[];
}

export function reject(
  ctx: MapContext,
  field: string | undefined,
  code: string,
  message: string,
): void {
  const rejection = { file: ctx.file, line: ctx.line, code, message, ...(field && { field }) };
  ctx.events.push({ type: 'reject', rejection });
}

export function warn(
  ctx: MapContext,
  field: string | undefined,
  code: string,
  message: string,
): void {
  const warning = { file: ctx.file, line: ctx.line, code, message, ...(field && { field }) };
  ctx.events.push({ type: 'warning', warning });
}

/** Reads ObjectMeta, or rejects the object when it has no name (nothing could key it). */
export function readMeta(
  item: Obj,
  kind: string,
  ctx: MapContext,
  namespaced: boolean,
): K8sMeta | undefined {
  const m = obj(item['metadata']);
  const name = str(m?.['name']);
  if (!m || name === undefined) {
    reject(ctx, 'metadata.name', 'BAD_INPUT', `${kind} without metadata.name`);
    return undefined;
  }
  const created = instant(m['creationTimestamp']);
  if (created.bad) warn(ctx, 'metadata.creationTimestamp', 'INVALID_VALUE', 'unreadable time');
  const owners = arr(m['ownerReferences'])
    .map(obj)
    .filter((o): o is Obj => !!o && !!str(o['kind']) && !!str(o['name']))
    .sort((a, b) => Number(b['controller'] === true) - Number(a['controller'] === true))
    .map((o) => ({ kind: str(o['kind'])!, name: str(o['name'])! }));
  // An object read from a manifest has no namespace yet; the API server would put it in default.
  const namespace = namespaced ? (str(m['namespace']) ?? 'default') : undefined;
  const bad = badName(name, namespace, owners);
  if (bad) {
    reject(ctx, bad.field, 'INVALID_VALUE', bad.message);
    return undefined;
  }
  return {
    kind,
    name,
    owners,
    ...(namespace !== undefined && { namespace }),
    ...(str(m['uid']) !== undefined && { uid: str(m['uid'])! }),
    ...(created.value !== undefined && { createdAt: created.value }),
    ...(obj(m['labels']) && { labels: obj(m['labels'])! }),
    ...(obj(m['annotations']) && { annotations: obj(m['annotations'])! }),
  };
}

/**
 * Names go into `k8s-ref` keys and listing scopes (see refPartProblem): a row with a namespace,
 * name or owner that could spell another cluster's object is refused, naming the field.
 */
function badName(
  name: string,
  namespace: string | undefined,
  owners: readonly { kind: string; name: string }[],
): { field: string; message: string } | undefined {
  const ns = namespace === undefined ? undefined : refPartProblem('namespace', namespace);
  if (ns) return { field: 'metadata.namespace', message: ns };
  const own = refPartProblem('name', name);
  if (own) return { field: 'metadata.name', message: own };
  for (const o of owners) {
    const problem = refPartProblem('name', o.name) ??
      (o.kind.includes('/') ? `kind ${JSON.stringify(o.kind.slice(0, 100))} holds a /` : undefined);
    if (problem) return { field: 'metadata.ownerReferences', message: `owner: ${problem}` };
  }
  return undefined;
}

export function refOf(meta: K8sMeta, ctx: MapContext): string {
  return k8sRef(ctx.cluster, meta.namespace, meta.kind, meta.name);
}

/** The strong keys of every object: its uid and its `<cluster>/<ns>/<kind>/<name>` ref. */
export function objectKeys(meta: K8sMeta, ctx: MapContext): Key[] {
  return keys([
    ['k8s-uid', meta.uid],
    ['k8s-ref', refOf(meta, ctx)],
  ]);
}

export function keys(pairs: readonly (readonly [KeyType, unknown])[]): Key[] {
  const out: Key[] = [];
  for (const [type, raw] of pairs) {
    const key = normalizeKey(type, raw);
    if (key && !out.some((k) => k.type === key.type && k.value === key.value)) out.push(key);
  }
  return out;
}

/** Labels as `k=v` tags. A label holding a secret value is refused by name, never echoed. */
export function labelTags(meta: K8sMeta, ctx: MapContext): string[] {
  const tags: string[] = [];
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    const value = typeof v === 'string' ? v : '';
    if (isSecretField(k, value) || looksLikeSecretValue(value)) {
      reject(ctx, `metadata.labels.${k}`, 'SECRET_REFUSED', 'label holds a secret value; not kept');
      continue;
    }
    tags.push(`${k}=${value}`);
  }
  return tags;
}

/** Attributes shared by every object: name, namespace, class, creation time, owner. */
export function commonAttributes(
  meta: K8sMeta,
  ctx: MapContext,
  cls: string,
): Record<string, AttrValue> {
  const tags = labelTags(meta, ctx);
  const owner = meta.owners[0];
  const out: Record<string, AttrValue> = { name: meta.name, class: cls };
  if (meta.namespace !== undefined) out['namespace'] = meta.namespace;
  if (meta.createdAt !== undefined) out['createdAt'] = meta.createdAt;
  if (tags.length > 0) out['tags'] = tags;
  if (owner) {
    out['k8s.ownerKind'] = owner.kind;
    out['k8s.ownerName'] = owner.name;
  }
  return out;
}

export function observation(
  kind: Observation['kind'],
  meta: K8sMeta,
  ctx: MapContext,
  parts: Pick<Observation, 'keys' | 'attributes' | 'relations'>,
): Observation {
  const scope = kindScope(ctx.cluster, meta.namespace, meta.kind);
  const sourceId = meta.uid ?? refOf(meta, ctx);
  const o: Observation = { kind, sourceId, scope, line: ctx.line, ...parts };
  if (o.relations && o.relations.length === 0) delete (o as { relations?: unknown }).relations;
  return o;
}
