import { RosterError } from '../../model/errors.js';
import { KINDS, kindNames } from './k8s-kinds.js';

/**
 * kubectl's built-in resources of kinds the k8s format does not read, by plural and short
 * names (`kubectl api-resources`). Given as a type, each is warned of and ignored rather than
 * refused: `kubectl get pods,statefulsets` is a fine listing of pods.
 */
const NOT_READ: readonly (readonly string[])[] = [
  ['bindings'], ['componentstatuses', 'cs'], ['configmaps', 'cm'], ['endpoints', 'ep'],
  ['events', 'ev'], ['limitranges', 'limits'], ['namespaces', 'ns'],
  ['persistentvolumeclaims', 'pvc'], ['persistentvolumes', 'pv'], ['podtemplates'],
  ['replicationcontrollers', 'rc'], ['resourcequotas', 'quota'], ['services', 'svc'],
  ['controllerrevisions'], ['daemonsets', 'ds'], ['replicasets', 'rs'],
  ['statefulsets', 'sts'], ['cronjobs', 'cj'], ['horizontalpodautoscalers', 'hpa'],
  ['ingresses', 'ing'], ['ingressclasses'], ['networkpolicies', 'netpol'],
  ['poddisruptionbudgets', 'pdb'], ['roles'], ['rolebindings'], ['clusterroles'],
  ['clusterrolebindings'], ['storageclasses', 'sc'], ['customresourcedefinitions', 'crd', 'crds'],
  ['endpointslices'], ['leases'], ['priorityclasses', 'pc'], ['runtimeclasses'],
  ['certificatesigningrequests', 'csr'], ['volumeattachments'], ['csidrivers'], ['csinodes'],
  ['mutatingwebhookconfigurations'], ['validatingwebhookconfigurations'], ['apiservices'],
];

/** A resource, maybe with its version and group: DNS labels joined by dots (`jobs.v1.batch`). */
const RESOURCE = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** The kinds a listing was asked for, and the resources given that Roster does not read. */
export interface GivenKinds {
  /** Kinds read, sorted (`Deployment`, `Pod`). */
  readonly kinds: readonly string[];
  /** Resources given as written, of kinds the format skips (`statefulsets`). */
  readonly notRead: readonly string[];
  /** Whether any type was given at all. */
  readonly asked: boolean;
}

/**
 * The kinds a `kubectl get` listing was asked for, from what a user passes to kubectl: a
 * resource's plural, singular or short name (`deployments`, `deployment`, `deploy`), its kind
 * (`Deployment`), either with its API group (`deployments.apps`, `deployments.v1.apps`), or
 * `all`, which stands for what `kubectl get all` lists of the kinds read: Pods, Deployments and
 * Jobs. Letter case does not matter. A resource of a kind not read is returned in `notRead`;
 * any other word is refused, naming the option: a misspelt `pdos` would cover nothing.
 *
 * @example
 * readKubectlTypes(['po', 'deploy', 'statefulsets']);
 * // { kinds: ['Deployment', 'Pod'], notRead: ['statefulsets'], asked: true }
 */
export function readKubectlTypes(given: readonly string[] | undefined): GivenKinds {
  const kinds = new Set<string>();
  const notRead = new Set<string>();
  for (const raw of given ?? []) {
    const found = resolve(raw.trim());
    if (found === undefined) throw unknownType(raw.trim());
    if (typeof found === 'string') notRead.add(raw.trim());
    else for (const k of found) kinds.add(k);
  }
  return { kinds: [...kinds].sort(), notRead: [...notRead], asked: (given ?? []).length > 0 };
}

/** The kinds a type names, `notRead` for a resource of another kind, undefined if unknown. */
function resolve(type: string): readonly string[] | 'notRead' | undefined {
  const t = type.toLowerCase();
  if (t === 'all') return kindNames().filter((k) => KINDS[k]!.inAll);
  if (!RESOURCE.test(t)) return undefined;
  const [name = '', ...rest] = t.split('.');
  // `deployments.v1.apps`: resource, version, group.
  const group = /^v\d+((alpha|beta)\d+)?$/.test(rest[0] ?? '') ? rest.slice(1) : rest;
  const apiGroup = rest.length === 0 ? undefined : group.join('.');
  const kind = kindNames().find((k) => namesOf(k).includes(name));
  if (kind !== undefined) {
    // `pods.metrics.k8s.io` names PodMetrics, not Pods.
    return apiGroup === undefined || KINDS[kind]!.groups.includes(apiGroup) ? [kind] : 'notRead';
  }
  const builtIn = NOT_READ.some(([plural, ...short]) =>
    plural === name || singular(plural!) === name || short.includes(name));
  // A resource of another API group (`certificates.cert-manager.io`) is no kind read either.
  return builtIn || apiGroup !== undefined ? 'notRead' : undefined;
}

function namesOf(kind: string): string[] {
  const r = KINDS[kind]!;
  return [r.resource, kind.toLowerCase(), ...r.shortNames];
}

/** kubectl's singular of a built-in plural: `policies` → `policy`, `ingresses` → `ingress`. */
function singular(plural: string): string {
  if (plural.endsWith('ies')) return `${plural.slice(0, -3)}y`;
  if (/(sses|uses)$/.test(plural)) return plural.slice(0, -2);
  return plural.slice(0, -1);
}

function unknownType(type: string): RosterError {
  const names = kindNames().map((k) => [KINDS[k]!.resource, ...KINDS[k]!.shortNames].join('/'));
  return new RosterError(
    'BAD_INPUT',
    `types: '${type.slice(0, 200)}' is not a kubectl resource: give what kubectl get was ` +
      `asked for (${names.join(', ')}, singular names, kinds such as Deployment, or all ` +
      'for what kubectl get all lists); a resource of another API group with its group ' +
      '(certificates.cert-manager.io)',
    { field: 'types' },
  );
}
