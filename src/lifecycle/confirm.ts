import type { InventoryRecord } from '../model/record.js';
import type { Confirmation, OffboardingAction, OffboardingPlan } from './plan-types.js';

/** Looks a record up by id (from the store, or a map in tests). */
export type RecordLookup = (id: string) => InventoryRecord | undefined;

/**
 * What a later run says of an action's target: gone from every source that listed it, or
 * reported inactive. Only runs newer than `since` (the run that started offboarding) count:
 * a key that was already inactive before the retirement proves nothing about the plan.
 */
export function confirmationOf(
  target: InventoryRecord | undefined,
  since: string,
): Confirmation | undefined {
  if (!target) return undefined;
  // Roster's own decisions are not sightings of the thing: only other sources count.
  const seen = target.sightings.filter((s) => s.source !== 'roster');
  const missing = seen.filter((s) => s.status === 'missing');
  if (missing.length > 0) {
    const since_ = (s: (typeof missing)[number]): string => s.missingSince ?? '';
    const last = missing.reduce((a, b) => (since_(b) > since_(a) ? b : a));
    const at = last.missingSince ?? last.lastSeen;
    // A complete listing that no longer shows it outranks older partial sightings (a Vault
    // token lookup before the accessor list that dropped it); any later sighting wins.
    const laterSeen = seen.some((s) => s.status === 'present' && s.lastSeen >= at);
    if (at > since && !laterSeen) {
      return { source: last.source, format: last.format, runId: last.runId, asOf: at,
        field: 'sighting', value: 'missing' };
    }
  }
  const active = target.attributes['active'];
  if (active && active.value === false && active.asOf > since) {
    return { source: active.source, format: active.format, runId: active.runId,
      asOf: active.asOf, field: 'active', value: false };
  }
  return undefined;
}

/**
 * An IAM user has no `active` flag of its own: it is disabled once every credential it had
 * is confirmed revoked and a later run shows no console password (IAM credential report).
 */
function userDisabled(
  action: OffboardingAction,
  plan: OffboardingPlan,
  target: InventoryRecord | undefined,
  since: string,
): Confirmation | undefined {
  const direct = confirmationOf(target, since);
  if (direct || !target) return direct;
  const creds = plan.actions.filter((a) => a.via === action.target.recordId);
  if (creds.some((a) => a.state !== 'confirmed')) return undefined;
  const password = target.attributes['passwordEnabled'];
  if (password?.value === true) return undefined;
  if (password && password.asOf > since) {
    return { source: password.source, format: password.format, runId: password.runId,
      asOf: password.asOf, field: 'passwordEnabled', value: false };
  }
  const last = creds.map((a) => a.confirmation).filter((c) => c !== undefined)
    .sort((a, b) => b.asOf.localeCompare(a.asOf))[0];
  return last ? { ...last, field: 'credentials', value: 'all revoked' } : undefined;
}

export interface Advance {
  readonly plan: OffboardingPlan;
  /** Actions whose state changed in this step. */
  readonly changed: readonly OffboardingAction[];
}

/**
 * Moves a plan forward at `now`: confirms what later runs show done, marks what is late as
 * overdue, and completes the plan once every action is confirmed. Pure.
 */
export function advancePlan(plan: OffboardingPlan, lookup: RecordLookup, now: string): Advance {
  if (plan.state === 'completed') return { plan, changed: [] };
  const since = plan.trigger.asOf;
  const changed: OffboardingAction[] = [];
  // Credentials first: a user's own confirmation depends on theirs.
  const order = [...plan.actions].sort((a, b) => rank(a) - rank(b));
  let current = plan;
  for (const a of order) {
    if (a.state === 'confirmed') continue;
    const target = lookup(a.target.recordId);
    const found = a.type === 'aws-iam-user.disable'
      ? userDisabled(a, current, target, since)
      : confirmationOf(target, since);
    let next: OffboardingAction | undefined;
    if (found) next = { ...a, state: 'confirmed', confirmedAt: now, confirmation: found };
    else if (now > a.dueAt && (a.state === 'planned' || a.state === 'sent')) {
      next = { ...a, state: 'overdue' };
    }
    if (!next) continue;
    changed.push(next);
    current = replaceAction(current, next);
  }
  if (current.actions.every((a) => a.state === 'confirmed')) {
    current = { ...current, state: 'completed', completedAt: now };
  }
  return { plan: current, changed };
}

function rank(a: OffboardingAction): number {
  return a.target.kind === 'credential' ? 0 : 1;
}

export function replaceAction(plan: OffboardingPlan, action: OffboardingAction): OffboardingPlan {
  return { ...plan, actions: plan.actions.map((a) => (a.id === action.id ? action : a)) };
}
