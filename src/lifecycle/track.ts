import type { InventoryRecord } from '../model/record.js';
import type { ChangeEvent } from '../store/port.js';
import { appendEvents, lifecycleEvent, type LifecycleContext } from './context.js';
import { computePlan, refreshPlan } from './offboarding-plan.js';
import { loadPlanGraph } from './plan-graph.js';
import type { OffboardingPlan, PlanTrigger } from './plan-types.js';
import { isLeaving } from './stages.js';
import { transitionsOf, type Transition } from './transitions.js';

export const TRANSITIONS_CURSOR = 'transitions';

export interface TrackReport {
  readonly transitions: readonly Transition[];
  /** Illegal moves reported by sources: kept, flagged. */
  readonly flagged: readonly Transition[];
  readonly plansCreated: readonly OffboardingPlan[];
  readonly plansUpdated: readonly OffboardingPlan[];
}

/** Why a record is leaving, as found in the change log. */
interface Leaving {
  readonly trigger: PlanTrigger;
  /** Already leaving when first seen: planned only when something is left to revoke. */
  readonly firstSight: boolean;
}

/**
 * Reads the change log from the last processed event: records every admission and lifecycle
 * move with its provenance, and plans the offboarding of whatever starts leaving (from any
 * source or command). Plans are decided once the whole log is read, so that a record added
 * and retired within the same stretch is planned from its move, not from its current state.
 * Keeps its cursor, so that each event is processed once.
 */
export async function trackTransitions(ctx: LifecycleContext, now: string): Promise<TrackReport> {
  const report: Mutable<TrackReport> = {
    transitions: [], flagged: [], plansCreated: [], plansUpdated: [] };
  const leaving = new Map<string, Leaving>();
  let cursor = await ctx.lifecycle.cursor(TRANSITIONS_CURSOR);
  for (;;) {
    const events = await ctx.store.events(cursor, 500);
    if (events.length === 0) break;
    for (const ev of events) await handle(ctx, ev, now, report, leaving);
    cursor = events[events.length - 1]!.seq;
  }
  for (const [id, l] of leaving) {
    const record = await ctx.store.getRecord(id);
    if (!record || !isLeaving(record.lifecycle, record.admission)) continue;
    const result = await ensurePlan(ctx, record, l.trigger, now, l.firstSight);
    if (result?.created) report.plansCreated.push(result.plan);
    else if (result) report.plansUpdated.push(result.plan);
  }
  // Transitions are written idempotently; the cursor moves once the plans are made.
  await ctx.lifecycle.setCursor(TRANSITIONS_CURSOR, cursor);
  return report;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

async function handle(
  ctx: LifecycleContext,
  ev: ChangeEvent,
  now: string,
  report: Mutable<TrackReport>,
  leaving: Map<string, Leaving>,
): Promise<void> {
  if (!ev.subjectId || (ev.type !== 'record.changed' && ev.type !== 'record.added')) return;
  const record = await ctx.store.getRecord(ev.subjectId);
  if (!record) return;
  const found = transitionsOf(ev, record);
  if (found.length > 0) {
    await ctx.lifecycle.addTransitions(found);
    report.transitions.push(...found);
    const flagged = found.filter((t) => !t.legal);
    report.flagged.push(...flagged);
    await appendEvents(ctx.store, flagged.map((t) => lifecycleEvent(
      'lifecycle.transition.flagged', now, t.recordId, { transition: t.id, note: t.note })));
  }
  const move = found.find(isLeavingMove);
  const known = leaving.get(record.id);
  const addedLeaving = ev.type === 'record.added' && isLeaving(record.lifecycle, record.admission);
  if (move && (!known || known.firstSight)) {
    leaving.set(record.id, { trigger: triggerOf(move), firstSight: false });
  } else if (addedLeaving && !known) {
    leaving.set(record.id, { trigger: firstSightTrigger(ev, record), firstSight: true });
  }
}

function isLeavingMove(t: Transition): boolean {
  if (t.dimension === 'admission') return t.to === 'retired';
  return t.to === 'decommissioning' || t.to === 'retired';
}

function triggerOf(t: Transition): PlanTrigger {
  return {
    dimension: t.dimension,
    from: t.from,
    to: t.to ?? 'retired',
    source: t.source,
    ...(t.format ? { format: t.format } : {}),
    ...(t.runId ? { runId: t.runId } : {}),
    asOf: t.at,
    ...(t.by ? { by: t.by } : {}),
    ...(t.reason ? { reason: t.reason } : {}),
  };
}

function firstSightTrigger(ev: ChangeEvent, r: InventoryRecord): PlanTrigger {
  const claim = r.attributes['lifecycle'] ?? r.attributes['admission'];
  return {
    dimension: r.attributes['lifecycle'] ? 'lifecycle' : 'admission',
    from: null,
    to: r.lifecycle ?? r.admission,
    source: claim?.source ?? '?',
    ...(claim ? { format: claim.format, runId: claim.runId } : {}),
    asOf: ev.at,
  };
}

/**
 * Creates the plan of a leaving record, or refreshes its open plan (a thing going from
 * decommissioning to retired keeps one plan).
 */
export async function ensurePlan(
  ctx: LifecycleContext,
  record: InventoryRecord,
  trigger: PlanTrigger,
  now: string,
  skipEmpty = false,
): Promise<{ plan: OffboardingPlan; created: boolean } | undefined> {
  if (record.kind !== 'asset' && record.kind !== 'identity') return undefined;
  const options = { now, dueDays: ctx.config.offboardingDueDays };
  const graph = await loadPlanGraph(ctx.store, record.id, ctx.config.hostTags);
  const open = await ctx.lifecycle.listPlans({ subjectId: record.id, state: 'open' });
  if (open[0]) {
    const plan = refreshPlan(open[0], graph, options);
    if (plan !== open[0]) await ctx.lifecycle.putPlan(plan);
    return { plan, created: false };
  }
  const plan = computePlan(record.id, graph, trigger, options);
  if (await ctx.lifecycle.getPlan(plan.id)) return undefined;
  if (skipEmpty && plan.actions.length === 0 && plan.shared.length === 0) return undefined;
  await ctx.lifecycle.putPlan(plan);
  await appendEvents(ctx.store, [lifecycleEvent('offboarding.plan.created', now, record.id, {
    planId: plan.id, actions: plan.actions.length, shared: plan.shared.length,
    trigger: `${trigger.dimension}:${trigger.to}`, source: trigger.source })]);
  return { plan, created: true };
}
