import { createHash } from 'node:crypto';
import type { InventoryRecord } from '../model/record.js';
import { credentialActionType, identityActionType, targetOf } from './actions.js';
import type {
  OffboardingAction,
  OffboardingPlan,
  PlanTrigger,
  SharedIdentity,
} from './plan-types.js';
import { isLeaving } from './stages.js';

/** The graph around a leaving thing, as planning reads it (loaded by plan-graph.ts). */
export interface PlanGraph {
  record(id: string): InventoryRecord | undefined;
  /** Identities that act from an asset: `runs-on` relations, and host tags naming it. */
  identitiesOn(assetId: string): readonly string[];
  /** Assets an identity acts from. */
  assetsOf(identityId: string): readonly string[];
  /** Credentials that `belongs-to` an identity. */
  credentialsOf(identityId: string): readonly string[];
  /** Credentials that name the thing (certificates by SAN, SPIRE entries by selector). */
  credentialsNaming(id: string): readonly string[];
}

export interface PlanOptions {
  readonly now: string;
  /** Days an action may stay unconfirmed before it is overdue. */
  readonly dueDays: number;
}

function hash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 20);
}

export function planId(subjectId: string, trigger: PlanTrigger): string {
  return `pln_${hash(subjectId, trigger.dimension, trigger.to, trigger.runId ?? trigger.asOf)}`;
}

/** Stable per plan and target: receivers drop a second delivery with the same key. */
export function actionId(plan: string, type: string, targetId: string): string {
  return `act_${hash(plan, type, targetId)}`;
}

/** Still listed by some source; Roster's own decisions are not sightings of the thing. */
function present(r: InventoryRecord | undefined): r is InventoryRecord {
  return r !== undefined &&
    r.sightings.some((s) => s.status === 'present' && s.source !== 'roster');
}

/** A live asset: still listed somewhere and not on its way out. */
function isLive(r: InventoryRecord | undefined): boolean {
  return present(r) && !isLeaving(r.lifecycle, r.admission);
}

interface Draft {
  readonly record: InventoryRecord;
  readonly owner?: InventoryRecord;
  readonly identity: boolean;
  readonly reason: string;
}

/**
 * Computes the offboarding plan of a thing entering decommissioning or retired (issue #5,
 * point 4; OWASP NHI1:2025 Improper Offboarding): every identity that acts only from it and
 * every credential of those identities, every credential naming it, one action each.
 * Identities that still serve another live asset are flagged, not revoked.
 */
export function computePlan(
  subjectId: string,
  graph: PlanGraph,
  trigger: PlanTrigger,
  options: PlanOptions,
): OffboardingPlan {
  const subject = graph.record(subjectId);
  if (!subject) throw new TypeError(`computePlan: no record ${subjectId}`);
  const id = planId(subjectId, trigger);
  const { drafts, shared } = collect(subject, graph);
  return {
    id,
    subject: { id: subject.id, kind: subject.kind, name: subject.name, keys: subject.keys },
    trigger,
    state: 'open',
    createdAt: options.now,
    actions: drafts.map((d) => toAction(id, d, options)),
    shared,
  };
}

/**
 * Recomputes an open plan after a later run: actions for things found since are added,
 * existing ones keep their state. A completed plan is left as it is (see reopenPlan).
 */
export function refreshPlan(
  plan: OffboardingPlan,
  graph: PlanGraph,
  options: PlanOptions,
): OffboardingPlan {
  const subject = graph.record(plan.subject.id);
  if (plan.state === 'completed' || !subject) return plan;
  const { drafts, shared } = collect(subject, graph);
  const known = new Set(plan.actions.map((a) => a.id));
  const added = drafts
    .map((d) => toAction(plan.id, d, options))
    .filter((a) => !known.has(a.id));
  if (added.length === 0 && sameShared(plan.shared, shared)) return plan;
  return { ...plan, actions: [...plan.actions, ...added], shared };
}

/**
 * A completed plan that a later run shows incomplete: an identity acting only from the
 * subject, a credential of one, a certificate or SPIRE entry naming it, revealed after the
 * plan completed (the IAM export read after the CMDB's retirement, say). It reopens with the
 * missing actions, so that the plan does not depend on the order sources were read in.
 * Answers the plan itself when nothing is missing.
 */
export function reopenPlan(
  plan: OffboardingPlan,
  graph: PlanGraph,
  options: PlanOptions,
): OffboardingPlan {
  if (plan.state !== 'completed') return refreshPlan(plan, graph, options);
  const { completedAt: _done, ...open } = plan;
  const refreshed = refreshPlan({ ...open, state: 'open' }, graph, options);
  if (refreshed.actions.length === plan.actions.length) return plan;
  return { ...refreshed, reopenedAt: options.now };
}

function sameShared(a: readonly SharedIdentity[], b: readonly SharedIdentity[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function collect(subject: InventoryRecord, graph: PlanGraph) {
  const drafts: Draft[] = [];
  const shared: SharedIdentity[] = [];
  const seen = new Set<string>();
  const add = (d: Draft): void => {
    if (seen.has(d.record.id)) return;
    seen.add(d.record.id);
    drafts.push(d);
  };
  const identities = subject.kind === 'identity' ? [subject.id] : graph.identitiesOn(subject.id);
  for (const identityId of [...identities].sort()) {
    const identity = graph.record(identityId);
    if (!present(identity)) continue;
    const others = otherLiveAssets(identity, subject, graph);
    if (others.length > 0) {
      shared.push({ recordId: identity.id, name: identity.name, alsoServes: others });
      continue;
    }
    const reason = identity.id === subject.id
      ? `${subject.name} is leaving`
      : `acts only from ${subject.name}`;
    for (const credId of [...graph.credentialsOf(identity.id)].sort()) {
      const cred = graph.record(credId);
      if (!present(cred)) continue;
      const why = `credential of ${identity.name}, which ${reason}`;
      add({ record: cred, owner: identity, identity: false, reason: why });
    }
    const own = identity.id === subject.id ? reason : `${identity.name} ${reason}`;
    add({ record: identity, identity: true, reason: own });
  }
  for (const credId of [...graph.credentialsNaming(subject.id)].sort()) {
    const cred = graph.record(credId);
    if (!present(cred)) continue;
    add({ record: cred, identity: false, reason: `${cred.name} names ${subject.name}` });
  }
  return { drafts, shared };
}

function otherLiveAssets(identity: InventoryRecord, subject: InventoryRecord, graph: PlanGraph) {
  if (identity.id === subject.id) return [];
  return [...graph.assetsOf(identity.id)]
    .filter((id) => id !== subject.id)
    .map((id) => graph.record(id))
    .filter((r): r is InventoryRecord => isLive(r))
    .map((r) => ({ id: r.id, name: r.name }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

function toAction(plan: string, d: Draft, options: PlanOptions): OffboardingAction {
  const type = d.identity ? identityActionType(d.record) : credentialActionType(d.record);
  const due = new Date(Date.parse(options.now) + options.dueDays * 86_400_000).toISOString();
  return {
    id: actionId(plan, type, d.record.id),
    type,
    target: targetOf(d.record, d.owner),
    reason: d.reason,
    ...(d.owner ? { via: d.owner.id } : {}),
    state: 'planned',
    plannedAt: options.now,
    dueAt: due,
  };
}
