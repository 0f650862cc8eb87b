import type Database from 'better-sqlite3';
import { scopeMover } from './listing-scopes.js';
import { rowsOf, type Body } from './typed-scopes.js';

const K8S = 'k8s';

/** The kind each class was read from, frozen as the k8s parser wrote them up to version 15. */
const K8S_CLASSES: Readonly<Record<string, string>> = {
  'k8s-pod': 'Pod',
  'k8s-deployment': 'Deployment',
  'k8s-job': 'Job',
  'k8s-service-account': 'ServiceAccount',
  'k8s-secret': 'Secret',
  'k8s-node': 'Node',
};

/** Kinds with no namespace: their old scope was the cluster's, `k8s:<cluster>`. */
const CLUSTER_SCOPED = new Set(['Node']);

/**
 * Migration 16. Each stored k8s observation moves, with its edges, from `k8s:<cluster>/
 * <namespace>` to its kind's listing `k8s:<cluster>/<namespace>/<Kind>`, a Node from
 * `k8s:<cluster>` to `k8s:<cluster>//Node`. The kind comes from the row's class (the parser
 * wrote one observation per object, no side rows). A row already in its kind's listing (its
 * scope ends in `/<Kind>`, which no namespace can: namespaces are lowercase DNS labels) or of
 * a class not listed here stays where it is, so the step may run again.
 */
export function scopeK8sByKind(db: Database.Database): void {
  const move = scopeMover(db, K8S);
  for (const row of rowsOf(db, K8S)) {
    const body = JSON.parse(row.body) as Body;
    const kind = K8S_CLASSES[String(body.attributes?.['class'] ?? '')];
    if (kind === undefined || row.scope.endsWith(`/${kind}`)) continue;
    const separator = CLUSTER_SCOPED.has(kind) ? '//' : '/';
    move(row.scope, row.source_id, `${row.scope}${separator}${kind}`);
  }
}
