import { currentRunState } from '../model/run-state.js';
import type { InventoryRecord } from '../model/record.js';
import { isRetired } from './asset-rules.js';
import type { JudgeContext, RecordSummary } from './context.js';
import type { Evidence } from './finding.js';
import { type FindingDraft, text } from './make.js';

/** Workload classes judged as `unregistered-workload` rather than `unknown-asset`. */
export const WORKLOAD_CLASSES = new Set(['k8s-pod', 'k8s-deployment', 'k8s-job']);

function assetsOf(identityId: string, ctx: JudgeContext): RecordSummary[] {
  return ctx
    .related(identityId, 'runs-on', 'out')
    .map((id) => ctx.summary(id))
    .filter((s): s is RecordSummary => s !== undefined && s.present && !isRetired(s));
}

/**
 * The application an asset serves: its declared application or purpose, else the asset
 * itself. Several instances of one application sharing a role is normal; one identity serving
 * several applications is reuse (NHI9).
 */
function applicationOf(s: RecordSummary): string {
  return s.application ?? `asset:${s.id}`;
}

/**
 * A SPIRE registration entry `runs-on` its parent agent as well as on its pods: the agent is the
 * path the identity is issued through, on every node that runs it, not another workload.
 */
const ISSUING_CLASSES = new Set(['spire-agent']);

export function nhiReuse(r: InventoryRecord, ctx: JudgeContext): FindingDraft | undefined {
  const assets = assetsOf(r.id, ctx).filter((a) => !ISSUING_CLASSES.has(a.assetClass ?? ''));
  const apps = new Map<string, RecordSummary>();
  for (const a of assets) if (!apps.has(applicationOf(a))) apps.set(applicationOf(a), a);
  if (apps.size < 2) return undefined;
  const names = [...apps.values()].map((a) => a.name).sort().join(', ');
  return {
    kind: 'nhi-reuse',
    message: `${r.name} is used by ${apps.size} different workloads or applications (${names})`,
    evidence: [...apps.values()].map(relationEvidence),
  };
}

export function environmentCrossing(
  r: InventoryRecord,
  ctx: JudgeContext,
): FindingDraft | undefined {
  const assets = assetsOf(r.id, ctx).filter((a) => a.environment);
  const prod = assets.filter((a) => a.environment === 'production');
  const other = assets.filter((a) => a.environment !== 'production');
  if (prod.length === 0 || other.length === 0) return undefined;
  const envs = [...new Set(assets.map((a) => a.environment!))].sort();
  return {
    kind: 'environment-crossing',
    message: `${r.name} is used in production and in ${envs.filter((e) => e !== 'production')
      .join(', ')} (${[prod[0]!.name, other[0]!.name].join(', ')})`,
    evidence: [...prod, ...other].map(relationEvidence),
  };
}

function relationEvidence(a: RecordSummary): Evidence {
  return {
    source: 'roster',
    field: 'runs-on',
    value: `${a.name} (${a.environment ?? 'no environment'})`,
    recordId: a.id,
  };
}

/**
 * A running workload that no system of record admitted: a bare pod, a Deployment or Job, or a
 * SPIRE registration entry. Pods made by a controller are judged through the controller, so a
 * Deployment of fifty replicas is one finding, not fifty.
 */
export function unregisteredWorkload(r: InventoryRecord): FindingDraft | undefined {
  if (r.admission !== 'unknown' || !r.sightings.some((s) => s.status === 'present')) {
    return undefined;
  }
  const cls = text(r, 'class');
  const isSpireEntry =
    r.kind === 'identity' && r.sightings.some((s) => s.format === 'spire-entries');
  const isWorkload = r.kind === 'asset' && cls !== undefined && WORKLOAD_CLASSES.has(cls);
  if (!isSpireEntry && !isWorkload) return undefined;
  if (cls === 'k8s-pod' && text(r, 'k8s.ownerKind')) return undefined;
  if (r.attributes['runState'] && currentRunState(r)?.state !== 'running') return undefined;
  const seenBy = [...new Set(r.sightings.map((s) => s.format))].join(', ');
  return {
    kind: 'unregistered-workload',
    message: `${r.name} runs (seen by ${seenBy}) but no system of record admitted it`,
    evidence: r.sightings.map((s) => ({
      source: s.source,
      format: s.format,
      field: 'sighting',
      value: `${s.status} in ${s.scope}`,
      asOf: s.lastSeen,
      runId: s.runId,
    })),
  };
}
