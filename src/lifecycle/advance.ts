import type { InventoryRecord } from '../model/record.js';
import { advancePlan, replaceAction } from './confirm.js';
import { appendEvents, lifecycleEvent, type LifecycleContext } from './context.js';
import { evidenceOf } from './evidence.js';
import { refreshPlan } from './offboarding-plan.js';
import { HostTagIndex, loadPlanGraph } from './plan-graph.js';
import type { OffboardingAction, OffboardingPlan } from './plan-types.js';
import type { OutboxItem } from './port.js';

export interface AdvanceReport {
  readonly sent: readonly OffboardingAction[];
  readonly failed: readonly OffboardingAction[];
  readonly confirmed: readonly OffboardingAction[];
  readonly overdue: readonly OffboardingAction[];
  readonly completed: readonly OffboardingPlan[];
}

/**
 * What the outbox says of a plan's actions: delivered by some target → sent; every target
 * gave up → failed. Confirmed actions stay confirmed. Pure.
 */
export function applyDeliveries(
  plan: OffboardingPlan,
  items: readonly OutboxItem[],
): { plan: OffboardingPlan; changed: OffboardingAction[] } {
  const changed: OffboardingAction[] = [];
  let current = plan;
  for (const a of plan.actions) {
    if (a.state === 'confirmed' || a.state === 'sent') continue;
    const mine = items.filter((i) => i.actionId === a.id);
    const delivered = mine.find((i) => i.state === 'delivered');
    let next: OffboardingAction | undefined;
    if (delivered) {
      next = { ...a, state: 'sent', sentAt: delivered.deliveredAt ?? delivered.createdAt,
        sentBy: delivered.target };
    } else if (mine.length > 0 && mine.every((i) => i.state === 'failed') && a.state !== 'failed') {
      const last = mine[mine.length - 1]!;
      next = { ...a, state: 'failed', failedAt: last.nextAttemptAt,
        lastError: last.lastError ?? 'delivery failed' };
    }
    if (!next) continue;
    changed.push(next);
    current = replaceAction(current, next);
  }
  return { plan: current, changed };
}

/**
 * A plan as the outbox shows it: deliveries recorded but not yet taken into the plan (the
 * process died between the two) already read as sent. Changes nothing stored.
 */
export async function withDeliveries(
  lifecycle: LifecycleContext['lifecycle'],
  plan: OffboardingPlan,
): Promise<OffboardingPlan> {
  if (plan.state === 'completed') return plan;
  return applyDeliveries(plan, await lifecycle.listOutboxForPlan(plan.id)).plan;
}

/**
 * Takes one delivered outbox item into its plan at once (the action becomes `sent`, with its
 * event), so that a process dying after the delivery was recorded does not leave the action
 * `planned`: the outbox row, committed first, is the record of the 2xx, and the next cycle
 * takes it in if this step did not run. Answers the action when it changed.
 */
export async function takeDelivery(
  ctx: LifecycleContext,
  item: OutboxItem,
  now: string,
): Promise<OffboardingAction | undefined> {
  if (!item.planId || item.state !== 'delivered') return undefined;
  const plan = await ctx.lifecycle.getPlan(item.planId);
  if (!plan || plan.state === 'completed') return undefined;
  const { plan: next, changed } = applyDeliveries(plan, [item]);
  const action = changed[0];
  if (!action) return undefined;
  await ctx.lifecycle.putPlan(next);
  await appendEvents(ctx.store, [lifecycleEvent('offboarding.action.sent', now,
    action.target.recordId, { planId: plan.id, actionId: action.id, action: action.type })]);
  return action;
}

/**
 * Moves every open plan forward at `now` (issue #5, point 4): adds actions for things found
 * since, takes in deliveries, confirms what later runs show revoked, marks late actions
 * overdue, and writes the evidence record of each plan that completes.
 */
export async function advancePlans(ctx: LifecycleContext, now: string): Promise<AdvanceReport> {
  const report = { sent: [] as OffboardingAction[], failed: [] as OffboardingAction[],
    confirmed: [] as OffboardingAction[], overdue: [] as OffboardingAction[],
    completed: [] as OffboardingPlan[] };
  const tags = new HostTagIndex(ctx.store, ctx.config.hostTags);
  for (const open of await ctx.lifecycle.listPlans({ state: 'open' })) {
    const graph = await loadPlanGraph(ctx.store, open.subject.id, tags);
    const refreshed = refreshPlan(open, graph, { now, dueDays: ctx.config.offboardingDueDays });
    const delivered = applyDeliveries(refreshed, await ctx.lifecycle.listOutboxForPlan(open.id));
    const records = await targets(ctx, delivered.plan);
    const step = advancePlan(delivered.plan, (id) => records.get(id), now);
    const plan = step.plan;
    if (plan !== open) await ctx.lifecycle.putPlan(plan);
    const changed = [...delivered.changed, ...step.changed];
    const latest = new Map(plan.actions.map((a) => [a.id, a] as const));
    for (const a of changed) {
      const now_ = latest.get(a.id)!;
      if (a.state === 'sent') report.sent.push(now_);
      if (a.state === 'failed') report.failed.push(now_);
      if (a.state === 'confirmed') report.confirmed.push(now_);
      if (a.state === 'overdue') report.overdue.push(now_);
    }
    await appendEvents(ctx.store, changed.map((a) => lifecycleEvent(
      `offboarding.action.${a.state as 'sent' | 'failed' | 'confirmed' | 'overdue'}`, now,
      a.target.recordId, { planId: plan.id, actionId: a.id, action: a.type })));
    if (plan.state === 'completed') {
      await ctx.lifecycle.putEvidence(evidenceOf(plan, now));
      await appendEvents(ctx.store, [lifecycleEvent('offboarding.plan.completed', now,
        plan.subject.id, { planId: plan.id, actions: plan.actions.length })]);
      report.completed.push(plan);
    }
  }
  return report;
}

async function targets(
  ctx: LifecycleContext,
  plan: OffboardingPlan,
): Promise<Map<string, InventoryRecord>> {
  const out = new Map<string, InventoryRecord>();
  for (const a of plan.actions) {
    const r = await ctx.store.getRecord(a.target.recordId);
    if (r) out.set(r.id, r);
  }
  return out;
}
