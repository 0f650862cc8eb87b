import type { Observation } from '../../model/types.js';
import { secretObservation, serviceAccountObservation } from './accounts.js';
import type { K8sMeta, MapContext } from './k8s-object.js';
import type { Obj } from './k8s-values.js';
import { nodeObservation } from './nodes.js';
import { deploymentObservation, jobObservation, podObservation } from './workloads.js';

/** One kind the k8s format reads, with the names `kubectl get` knows it by. */
export interface KindReader {
  /** API groups the kind lives in ('' is the core group of `apiVersion: v1`). */
  readonly groups: readonly string[];
  readonly namespaced: boolean;
  /** The resource name, plural, as `kubectl api-resources` prints it (`deployments`). */
  readonly resource: string;
  /** Its short names (`deploy`). */
  readonly shortNames: readonly string[];
  /** Whether `kubectl get all` lists it: the API server puts it in the `all` category. */
  readonly inAll: boolean;
  readonly map: (item: Obj, meta: K8sMeta, ctx: MapContext) => Observation;
}

/**
 * The kinds read, by `kind`. Of them only Pods, Deployments and Jobs are in the `all` category
 * (the API server's `Categories()` of each resource): `kubectl get all` lists no
 * ServiceAccount, Secret or Node.
 */
export const KINDS: Readonly<Record<string, KindReader>> = {
  Pod: {
    groups: [''], namespaced: true, resource: 'pods', shortNames: ['po'], inAll: true,
    map: podObservation,
  },
  ServiceAccount: {
    groups: [''], namespaced: true, resource: 'serviceaccounts', shortNames: ['sa'],
    inAll: false, map: serviceAccountObservation,
  },
  Secret: {
    groups: [''], namespaced: true, resource: 'secrets', shortNames: [], inAll: false,
    map: secretObservation,
  },
  Node: {
    groups: [''], namespaced: false, resource: 'nodes', shortNames: ['no'], inAll: false,
    map: nodeObservation,
  },
  Deployment: {
    groups: ['apps', 'extensions'], namespaced: true, resource: 'deployments',
    shortNames: ['deploy'], inAll: true, map: deploymentObservation,
  },
  Job: {
    groups: ['batch'], namespaced: true, resource: 'jobs', shortNames: [], inAll: true,
    map: jobObservation,
  },
};

/** The kinds read, by name. */
export function kindNames(): string[] {
  return Object.keys(KINDS);
}

/** Whether the kind's objects live in a namespace (a Node does not). */
export function isNamespaced(kind: string): boolean {
  return KINDS[kind]?.namespaced ?? true;
}
