import { parseInstant } from '../../model/time.js';
import type { Environment } from '../../model/types.js';

/** Reading loosely typed JSON without `any`: each helper returns undefined for a wrong shape. */
export type Obj = Readonly<Record<string, unknown>>;

export function obj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

export function arr(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A non-empty trimmed string (numbers arrive as strings from the stream splitter). */
export function str(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

export function int(v: unknown): number | undefined {
  const s = str(v);
  if (s === undefined || !/^-?\d+$/.test(s)) return undefined;
  return Number(s);
}

export function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

/** A time field as an ISO instant; `bad` is set when the field holds something unreadable. */
export function instant(v: unknown): { value?: string; bad?: boolean } {
  if (v === undefined || v === null) return {};
  const r = parseInstant(v);
  if (!r.ok) return { bad: true };
  return r.value === undefined ? {} : { value: r.value };
}

/** A namespace as the API server allows one: an RFC 1123 label. */
const NAMESPACE = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Why a namespace or object name cannot go into a `k8s-ref`, or undefined. Refs are
 * `/`-separated: a namespace that is no RFC 1123 label or a name holding `/` (neither of which
 * the API server gives) could spell another cluster's object (`x/shop` in cluster `prod` is
 * `shop` in cluster `prod/x`).
 */
export function refPartProblem(part: 'namespace' | 'name', value: string): string | undefined {
  const shown = JSON.stringify(value.slice(0, 100));
  if (part === 'namespace') {
    return NAMESPACE.test(value) ? undefined : `namespace ${shown} is not an RFC 1123 label ` +
      '(lower-case letters, digits and -, at most 63), as Kubernetes requires';
  }
  if (value === '' || value === '.' || value === '..') return `name ${shown} names no object`;
  return value.includes('/') ? `name ${shown} holds a /, which no Kubernetes object name does`
    : undefined;
}

/**
 * The text of a `k8s-ref` key: `<cluster>/<namespace>/<kind>/<name>`. Cluster-scoped objects
 * (Nodes) have an empty namespace segment: `prod//Node/ip-10-0-0-1`.
 */
export function k8sRef(
  cluster: string,
  namespace: string | undefined,
  kind: string,
  name: string,
): string {
  return `${cluster}/${namespace ?? ''}/${kind}/${name}`;
}

/**
 * The cluster a user scope names, whole: `k8s:prod` and `prod` give `prod`, and
 * `k8s:arn:aws:eks:eu-west-1:123456789012:cluster/prod` the EKS cluster's full name. Cluster
 * names hold slashes (EKS), so no part of one is read as a namespace: two clusters that
 * differ after a slash stay two clusters.
 */
export function clusterFromScope(scope: string | undefined): string | undefined {
  if (scope === undefined) return undefined;
  const bare = scope.trim().replace(/^k8s:/, '').trim();
  return bare === '' ? undefined : bare;
}

/**
 * Where a kind is listed: `k8s:<cluster>/<namespace>`, and `k8s:<cluster>/` (an empty
 * namespace, as in a `k8s-ref`) for cluster-scoped kinds such as Nodes.
 */
export function placeScope(cluster: string, namespace?: string): string {
  return `k8s:${cluster}/${namespace ?? ''}`;
}

/**
 * The scope of one kind's listing, which is an object's `k8s-ref` without its name:
 * `k8s:prod/shop/Pod`, and `k8s:prod//Node` for a cluster-scoped kind. The empty segment, not
 * letter case, tells a cluster-scoped kind from a namespace, whatever the cluster is called
 * (an EKS context name holds a slash: `arn:aws:eks:eu-west-1:123456789012:cluster/prod`).
 */
export function kindScope(cluster: string, namespace: string | undefined, kind: string): string {
  return `${placeScope(cluster, namespace)}/${kind}`;
}

const ENVIRONMENTS: Readonly<Record<string, Environment>> = {
  prod: 'production',
  prd: 'production',
  production: 'production',
  live: 'production',
  stage: 'staging',
  staging: 'staging',
  stg: 'staging',
  preprod: 'staging',
  test: 'test',
  testing: 'test',
  qa: 'test',
  uat: 'test',
  dev: 'development',
  develop: 'development',
  development: 'development',
  dr: 'dr',
};

/**
 * The environment a workload's labels declare. `environment` and `env` are kept raw when they
 * hold an unknown word; `tier` usually means frontend/backend, so it counts only when it names
 * an environment.
 */
export function environmentFromLabels(labels: Obj | undefined): string | undefined {
  if (!labels) return undefined;
  for (const key of ['environment', 'env', 'app.kubernetes.io/environment']) {
    const raw = str(labels[key]);
    if (raw !== undefined) return ENVIRONMENTS[raw.toLowerCase()] ?? raw;
  }
  const tier = str(labels['tier'])?.toLowerCase();
  return tier === undefined ? undefined : ENVIRONMENTS[tier];
}
