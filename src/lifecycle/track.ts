import type { InventoryRecord } from '../model/record.js';
import type { ChangeEvent } from '../store/port.js';
import { appendEvents, lifecycleEvent, type LifecycleContext } from './context.js';
import { computePlan, refreshPlan, reopenPlan } from './offboarding-plan.js';
import { evidenceOf } from './evidence.js';
import { HostTagIndex, loadPlanGraph, subjectsNear } from './plan-graph.js';
import type { OffboardingPlan, PlanTrigger } from './plan-types.js';
import { isLeaving } from './stages.js';
import { mayTransition, refusedReturns, transitionsOf, type Transition } from './transitions.js';

export const TRANSITIONS_CURSOR = 'transitions';

export interface TrackReport {
  readonly transitions: readonly Transition[];
  /** Illegal moves reported by sources: kept, flagged. */
  readonly flagged: readonly Transition[];
  readonly plansCreated: readonly OffboardingPlan[];
  readonly plansUpdated: readonly OffboardingPlan[];
  /** Completed plans a later run showed incomplete: open again, with the missing actions. */
  readonly plansReopened: readonly OffboardingPlan[];
  /** Records found retired in this stretch: Roster holds them retired (holdRetirements). */
  readonly retired: readonly InventoryRecord[];
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
    transitions: [], flagged: [], plansCreated: [], plansUpdated: [], plansReopened: [],
    retired: [] };
  const leaving = new Map<string, Leaving>();
  const touched = new Set<string>();
  let cursor = await ctx.lifecycle.cursor(TRANSITIONS_CURSOR);
  for (;;) {
    const events = await ctx.store.events(cursor, 500);
    if (events.length === 0) break;
    for (const ev of events) await handle(ctx, ev, now, report, leaving, touched);
    cursor = events[events.length - 1]!.seq;
  }
  const tags = new HostTagIndex(ctx.store, ctx.config.hostTags);
  const planned = async (record: InventoryRecord, trigger: PlanTrigger, firstSight: boolean) => {
    if (record.lifecycle === 'retired' || record.admission === 'retired') {
      report.retired.push(record);
    }
    const result = await ensurePlan(ctx, record, trigger, now, firstSight, tags);
    if (result?.created) report.plansCreated.push(result.plan);
    else if (result?.reopened) report.plansReopened.push(result.plan);
    else if (result) report.plansUpdated.push(result.plan);
  };
  for (const [id, l] of leaving) {
    const record = await ctx.store.getRecord(id);
    if (!record || !isLeaving(record.lifecycle, record.admission)) continue;
    await planned(record, l.trigger, l.firstSight);
  }
  // An identity or credential added or changed since may belong in the plan of a thing that
  // already left (DESIGN rule 3: the plan must not depend on the order of the runs).
  for (const id of await revealedSubjects(ctx, touched, leaving, tags)) {
    const record = await ctx.store.getRecord(id);
    if (!record || !isLeaving(record.lifecycle, record.admission)) continue;
    await planned(record, currentTrigger(record), true);
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
  touched: Set<string>,
): Promise<void> {
  if (!ev.subjectId || (ev.type !== 'record.changed' && ev.type !== 'record.added')) return;
  // Most events move nothing this step looks at: the record's columns tell, without reading
  // the record whole.
  const state = await ctx.store.recordState(ev.subjectId);
  if (!state) return;
  if (state.kind === 'identity' || state.kind === 'credential') touched.add(ev.subjectId);
  const addedLeaving = ev.type === 'record.added' && isLeaving(state.lifecycle, state.admission);
  if (!addedLeaving && !mayTransition(ev, state)) return;
  const record = await ctx.store.getRecord(ev.subjectId);
  if (!record) return;
  const found = [...transitionsOf(ev, record), ...refusedReturns(ev, record)];
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

/** Leaving records near the identities and credentials touched, not planned from a move. */
async function revealedSubjects(
  ctx: LifecycleContext,
  touched: ReadonlySet<string>,
  leaving: ReadonlyMap<string, Leaving>,
  tags: HostTagIndex,
): Promise<string[]> {
  const near = new Set<string>();
  for (const id of touched) {
    for (const n of await subjectsNear(ctx.store, id, tags)) {
      if (!leaving.has(n)) near.add(n);
    }
  }
  const out: string[] = [];
  for (const id of near) {
    const state = await ctx.store.recordState(id);
    if (state && isLeaving(state.lifecycle, state.admission)) out.push(id);
  }
  return out.sort();
}

/** The move a leaving record's current state came from, as its claim records it. */
function currentTrigger(r: InventoryRecord): PlanTrigger {
  const dimension = r.attributes['lifecycle'] && isLeaving(r.lifecycle) ? 'lifecycle' : 'admission';
  const claim = r.attributes[dimension];
  // Roster holds retirements (holdRetirements): the move came from the source it names.
  const held = (name: string): string | undefined => {
    const v = r.attributes[`roster.retired${name}`]?.value;
    return typeof v === 'string' ? v : undefined;
  };
  const source = held('Per') ?? claim?.source ?? '?';
  const format = held('Format') ?? claim?.format;
  const runId = held('Run') ?? claim?.runId;
  return {
    dimension,
    from: null,
    to: (dimension === 'lifecycle' ? r.lifecycle : r.admission) ?? 'retired',
    source,
    ...(format ? { format } : {}),
    ...(runId ? { runId } : {}),
    asOf: held('AsOf') ?? claim?.asOf ?? r.updatedAt,
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

export interface Ensured {
  readonly plan: OffboardingPlan;
  readonly created: boolean;
  readonly reopened?: boolean;
}

/**
 * Creates the plan of a leaving record, or refreshes its open plan (a thing going from
 * decommissioning to retired keeps one plan), or reopens its latest completed plan when a
 * later run revealed something left to revoke.
 */
export async function ensurePlan(
  ctx: LifecycleContext,
  record: InventoryRecord,
  trigger: PlanTrigger,
  now: string,
  skipEmpty = false,
  tags = new HostTagIndex(ctx.store, ctx.config.hostTags),
): Promise<Ensured | undefined> {
  if (record.kind !== 'asset' && record.kind !== 'identity') return undefined;
  const options = { now, dueDays: ctx.config.offboardingDueDays };
  const graph = await loadPlanGraph(ctx.store, record.id, tags);
  const open = await ctx.lifecycle.listPlans({ subjectId: record.id, state: 'open' });
  if (open[0]) {
    const plan = refreshPlan(open[0], graph, options);
    if (plan !== open[0]) await ctx.lifecycle.putPlan(plan);
    return { plan, created: false };
  }
  const plan = computePlan(record.id, graph, trigger, options);
  const earlier = (await ctx.lifecycle.getPlan(plan.id)) ??
    (skipEmpty ? (await ctx.lifecycle.listPlans({ subjectId: record.id })).at(-1) : undefined);
  if (earlier) return reopen(ctx, earlier, reopenPlan(earlier, graph, options), now);
  if (skipEmpty && plan.actions.length === 0 && plan.shared.length === 0) return undefined;
  await ctx.lifecycle.putPlan(plan);
  await appendEvents(ctx.store, [lifecycleEvent('offboarding.plan.created', now, record.id, {
    planId: plan.id, actions: plan.actions.length, shared: plan.shared.length,
    trigger: `${trigger.dimension}:${trigger.to}`, source: trigger.source })]);
  return { plan, created: true };
}

async function reopen(
  ctx: LifecycleContext,
  before: OffboardingPlan,
  after: OffboardingPlan,
  now: string,
): Promise<Ensured | undefined> {
  if (after === before) return undefined;
  await ctx.lifecycle.putPlan(after);
  // The stored evidence said the plan was done; it is a draft again until the new actions are.
  await ctx.lifecycle.putEvidence(evidenceOf(after, now));
  const added = after.actions.length - before.actions.length;
  await appendEvents(ctx.store, [lifecycleEvent('offboarding.plan.reopened', now,
    after.subject.id, { planId: after.id, added, actions: after.actions.length })]);
  return { plan: after, created: false, reopened: true };
}

export interface Preview {
  readonly plan: OffboardingPlan;
  /** The plan already offboarding the record, when there is one (shown, not replaced). */
  readonly existing?: OffboardingPlan;
}

/**
 * What offboarding a record means now, changing nothing: its open plan (or, once it left,
 * its latest plan) with what the current inventory would add, else the plan retiring it
 * would start. A record being offboarded keeps its plan and idempotency keys.
 */
export async function previewPlan(
  ctx: LifecycleContext,
  record: InventoryRecord,
  at: string,
  by?: string,
): Promise<Preview> {
  const options = { now: at, dueDays: ctx.config.offboardingDueDays };
  const tags = new HostTagIndex(ctx.store, ctx.config.hostTags);
  const graph = await loadPlanGraph(ctx.store, record.id, tags);
  const plans = await ctx.lifecycle.listPlans({ subjectId: record.id });
  const leaving = isLeaving(record.lifecycle, record.admission);
  const existing = plans.find((p) => p.state === 'open') ?? (leaving ? plans.at(-1) : undefined);
  if (existing) return { plan: reopenPlan(existing, graph, options), existing };
  return { plan: computePlan(record.id, graph, {
    dimension: 'lifecycle', from: record.lifecycle, to: 'retired', source: 'roster',
    asOf: at, ...(by ? { by } : {}), reason: 'dry run',
  }, options) };
}
