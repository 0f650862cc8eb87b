import type { AttrValue, Observation, Relation } from '../../model/types.js';
import {
  commonAttributes,
  objectKeys,
  observation,
  warn,
  type K8sMeta,
  type MapContext,
} from './k8s-object.js';
import { arr, instant, k8sRef, obj, refPartProblem, str, type Obj } from './k8s-values.js';

/** Cloud identities a ServiceAccount is federated to, by the annotation each platform reads. */
const FEDERATION_ANNOTATIONS: Readonly<Record<string, string>> = {
  'eks.amazonaws.com/role-arn': 'k8s.awsRoleArn',
  'iam.gke.io/gcp-service-account': 'k8s.gcpServiceAccount',
  'azure.workload.identity/client-id': 'k8s.azureClientId',
};

/**
 * A ServiceAccount (core/v1) as a workload identity. Whether any pod uses it is judged
 * elsewhere from the pods' `runs-on` relations; here it only needs its namespace and name.
 */
export function serviceAccountObservation(item: Obj, meta: K8sMeta, ctx: MapContext): Observation {
  const attributes: Record<string, AttrValue> = {
    ...commonAttributes(meta, ctx, 'k8s-service-account'),
    identityType: 'workload',
  };
  const secrets = names(item['secrets']);
  if (secrets.length > 0) attributes['k8s.secrets'] = secrets;
  const pullSecrets = names(item['imagePullSecrets']);
  if (pullSecrets.length > 0) attributes['k8s.imagePullSecrets'] = pullSecrets;
  const automount = item['automountServiceAccountToken'];
  if (typeof automount === 'boolean') attributes['k8s.automountToken'] = automount;
  for (const [annotation, attribute] of Object.entries(FEDERATION_ANNOTATIONS)) {
    const value = str(meta.annotations?.[annotation]);
    if (value !== undefined) attributes[attribute] = value;
  }
  return observation('identity', meta, ctx, { keys: objectKeys(meta, ctx), attributes });
}

const SA_TOKEN = 'kubernetes.io/service-account-token';
const BOOTSTRAP_TOKEN = 'bootstrap.kubernetes.io/token';

/**
 * A Secret (core/v1) as a credential, from its metadata and type only. `data` and
 * `stringData` never reach this function (the stream splitter skips them), and annotations
 * are read by known name only: `kubectl apply` copies the whole Secret, values included, into
 * `kubectl.kubernetes.io/last-applied-configuration`.
 */
export function secretObservation(item: Obj, meta: K8sMeta, ctx: MapContext): Observation {
  const type = str(item['type']) ?? 'Opaque';
  const attributes: Record<string, AttrValue> = {
    ...commonAttributes(meta, ctx, 'k8s-secret'),
    credentialType: type === SA_TOKEN || type === BOOTSTRAP_TOKEN ? 'token' : 'secret',
    'k8s.secretType': type,
  };
  if (item['immutable'] === true) attributes['k8s.immutable'] = true;
  const relations: Relation[] = [];
  if (type === SA_TOKEN) relations.push(...tokenOwner(meta, ctx, attributes));
  if (type === BOOTSTRAP_TOKEN) readBootstrapToken(meta, attributes);
  const expiresAt = expiryAnnotation(meta, ctx);
  if (expiresAt !== undefined) attributes['expiresAt'] = expiresAt;
  const keys = objectKeys(meta, ctx);
  return observation('credential', meta, ctx, { keys, attributes, relations });
}

/**
 * A legacy token Secret names its account in `kubernetes.io/service-account.name`. When the
 * account is gone the relation simply does not resolve, which is what judges look for.
 */
function tokenOwner(
  meta: K8sMeta,
  ctx: MapContext,
  attributes: Record<string, AttrValue>,
): Relation[] {
  const account = str(meta.annotations?.['kubernetes.io/service-account.name']);
  const uid = str(meta.annotations?.['kubernetes.io/service-account.uid']);
  if (uid !== undefined) attributes['k8s.serviceAccountUid'] = uid;
  if (account === undefined) {
    const message = 'service-account token without an account name';
    warn(ctx, 'metadata.annotations', 'MISSING_VALUE', message);
    return [];
  }
  attributes['k8s.serviceAccount'] = account;
  const problem = refPartProblem('name', account);
  if (problem) {
    warn(ctx, 'metadata.annotations', 'INVALID_VALUE', `account ${problem}: not linked`);
    return [];
  }
  const value = k8sRef(ctx.cluster, meta.namespace, 'ServiceAccount', account);
  return [{ type: 'belongs-to', target: { type: 'k8s-ref', value } }];
}

/**
 * Bootstrap tokens are named `bootstrap-token-<token-id>`; the id is the public half of the
 * token (the secret half lives in `data`, never read). Their expiry also lives in `data`, so it
 * is known only when an annotation repeats it.
 */
function readBootstrapToken(meta: K8sMeta, attributes: Record<string, AttrValue>): void {
  const id = /^bootstrap-token-([a-z0-9]{6})$/.exec(meta.name)?.[1];
  if (id !== undefined) attributes['k8s.bootstrapTokenId'] = id;
}

/** An expiry written in an annotation (`…/expiration`, `…/expires-at`, `…/expiry`). */
function expiryAnnotation(meta: K8sMeta, ctx: MapContext): string | undefined {
  for (const [key, value] of Object.entries(meta.annotations ?? {})) {
    if (!/(^|\/)(expiration|expires-at|expires|expiry)$/i.test(key)) continue;
    const t = instant(value);
    if (t.value !== undefined) return t.value;
    if (t.bad) warn(ctx, `metadata.annotations.${key}`, 'INVALID_VALUE', 'unreadable expiry time');
  }
  return undefined;
}

function names(list: unknown): string[] {
  return arr(list)
    .map((r) => str(obj(r)?.['name']))
    .filter((n): n is string => n !== undefined);
}
