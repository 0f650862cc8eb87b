import type { AttrValue, Observation, Relation, RunState } from '../../model/types.js';
import {
  commonAttributes,
  keys,
  objectKeys,
  observation,
  warn,
  type K8sMeta,
  type MapContext,
} from './k8s-object.js';
import { environmentFromLabels, int, k8sRef, obj, str, type Obj } from './k8s-values.js';
import { readPodSpec, type PodSpecFacts } from './pod-spec.js';

/** Pod phases (core/v1 PodPhase). Succeeded and Failed pods never run again. */
const POD_PHASES: Readonly<Record<string, RunState>> = {
  Pending: 'pending',
  Running: 'running',
  Succeeded: 'terminated',
  Failed: 'terminated',
  Unknown: 'unknown',
};

/**
 * A Pod as an asset (class `k8s-pod`). It is hosted on its Node, and its service account acts
 * from it: that identity `runs-on` the pod, written from the pod's side as a reverse relation.
 */
export function podObservation(item: Obj, meta: K8sMeta, ctx: MapContext): Observation {
  const spec = readPodSpec(obj(item['spec']), 'spec', ctx);
  const status = obj(item['status']);
  const phase = str(status?.['phase']);
  const podIp = str(status?.['podIP']);
  const attributes = {
    ...workloadAttributes(meta, ctx, 'k8s-pod', spec),
    ...runStateOf(phase, ctx),
    ...(podIp !== undefined && { ip: podIp }),
    ...(spec.nodeName !== undefined && { 'k8s.node': spec.nodeName }),
    ...(spec.hostNetwork && { 'k8s.hostNetwork': true }),
    // No owner reference: a bare pod made by hand, not by a controller (judged elsewhere).
    ...(meta.owners.length === 0 && { 'k8s.unowned': true }),
  };
  // A hostNetwork pod shares its node's address: as a key it would only point at the node.
  const ip = spec.hostNetwork ? undefined : podIp;
  const relations: Relation[] = [...serviceAccountRelation(meta, ctx, spec)];
  if (spec.nodeName !== undefined) {
    relations.unshift({ type: 'hosted-on', target: nodeTarget(ctx, spec.nodeName) });
  }
  return observation('asset', meta, ctx, {
    keys: [...objectKeys(meta, ctx), ...keys([['ip', ip]])],
    attributes,
    relations,
  });
}

/** A Deployment (apps/v1) as an asset of class `k8s-deployment`. */
export function deploymentObservation(item: Obj, meta: K8sMeta, ctx: MapContext): Observation {
  const spec = obj(item['spec']);
  const status = obj(item['status']);
  const pod = readPodSpec(obj(obj(spec?.['template'])?.['spec']), 'spec.template.spec', ctx);
  const replicas = int(spec?.['replicas']) ?? 1;
  const ready = int(status?.['readyReplicas']) ?? 0;
  const runState: RunState = replicas === 0 ? 'stopped' : ready > 0 ? 'running' : 'pending';
  return observation('asset', meta, ctx, {
    keys: objectKeys(meta, ctx),
    attributes: {
      ...workloadAttributes(meta, ctx, 'k8s-deployment', pod),
      runState,
      'k8s.replicas': replicas,
      'k8s.readyReplicas': ready,
    },
    relations: serviceAccountRelation(meta, ctx, pod),
  });
}

/** A Job (batch/v1) as an asset of class `k8s-job`; CronJob owners show in `k8s.ownerKind`. */
export function jobObservation(item: Obj, meta: K8sMeta, ctx: MapContext): Observation {
  const spec = obj(item['spec']);
  const status = obj(item['status']);
  const pod = readPodSpec(obj(obj(spec?.['template'])?.['spec']), 'spec.template.spec', ctx);
  const active = int(status?.['active']) ?? 0;
  const completed = str(status?.['completionTime']);
  const finished = completed !== undefined || (int(status?.['failed']) ?? 0) > 0;
  const runState: RunState = active > 0 ? 'running' : finished ? 'terminated' : 'pending';
  return observation('asset', meta, ctx, {
    keys: objectKeys(meta, ctx),
    attributes: {
      ...workloadAttributes(meta, ctx, 'k8s-job', pod),
      runState,
      ...(completed !== undefined && { 'k8s.completedAt': completed }),
    },
    relations: serviceAccountRelation(meta, ctx, pod),
  });
}

function workloadAttributes(
  meta: K8sMeta,
  ctx: MapContext,
  cls: string,
  pod: PodSpecFacts,
): Record<string, AttrValue> {
  const out = commonAttributes(meta, ctx, cls);
  const environment = environmentFromLabels(meta.labels);
  if (environment !== undefined) out['environment'] = environment;
  if (pod.serviceAccount !== undefined) out['k8s.serviceAccount'] = pod.serviceAccount;
  if (pod.images.length > 0) out['k8s.images'] = pod.images;
  if (pod.automountToken !== undefined) out['k8s.automountToken'] = pod.automountToken;
  return out;
}

function runStateOf(
  phase: string | undefined,
  ctx: MapContext,
): { runState?: RunState; 'k8s.phase'?: string } {
  if (phase === undefined) return {};
  const runState = POD_PHASES[phase];
  if (runState === undefined) {
    warn(ctx, 'status.phase', 'UNKNOWN_VALUE', `unknown pod phase '${phase.slice(0, 40)}'`);
    return { runState: 'unknown', 'k8s.phase': phase };
  }
  return { runState, 'k8s.phase': phase };
}

/** The service account identity `runs-on` this workload (a reverse relation, identity → asset). */
function serviceAccountRelation(meta: K8sMeta, ctx: MapContext, pod: PodSpecFacts): Relation[] {
  if (pod.serviceAccount === undefined) return [];
  const value = k8sRef(ctx.cluster, meta.namespace, 'ServiceAccount', pod.serviceAccount);
  return [{ type: 'runs-on', target: { type: 'k8s-ref', value }, reverse: true }];
}

function nodeTarget(ctx: MapContext, node: string): Relation['target'] {
  return { type: 'k8s-ref', value: k8sRef(ctx.cluster, undefined, 'Node', node) };
}
