import { actionEvent, changeEvent } from './cloudevents.js';
import type { LifecycleContext } from './context.js';
import type { OffboardingPlan } from './plan-types.js';
import type { OutboxItem } from './port.js';

export const EMIT_CURSOR = 'emit';

/** Delivery targets for actions under the configured executor (none for dry-run). */
export function actionTargets(ctx: LifecycleContext): string[] {
  const c = ctx.config;
  if (c.executor === 'command') return c.command ? ['command'] : [];
  if (c.executor !== 'webhook') return [];
  return c.webhooks.filter((w) => w.deliver.includes('actions')).map((w) => `webhook:${w.name}`);
}

function item(
  id: string,
  key: string,
  kind: OutboxItem['kind'],
  target: string,
  body: unknown,
  now: string,
  refs: { planId?: string; actionId?: string } = {},
): OutboxItem {
  return {
    id,
    idempotencyKey: key,
    kind,
    target,
    body: JSON.stringify(body),
    state: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
    deliveredAt: null,
    lastError: null,
    planId: refs.planId ?? null,
    actionId: refs.actionId ?? null,
  };
}

/**
 * Queues each planned action of each open plan once per target, in the durable outbox:
 * queueing again is a no-op, so a crash between planning and sending loses nothing.
 */
export async function queueActions(
  ctx: LifecycleContext,
  plans: readonly OffboardingPlan[],
  now: string,
): Promise<number> {
  const targets = actionTargets(ctx);
  if (targets.length === 0) return 0;
  const items: OutboxItem[] = [];
  for (const plan of plans) {
    for (const a of plan.actions) {
      if (a.state !== 'planned') continue;
      const event = actionEvent(plan, a, ctx.config.eventSource);
      for (const t of targets) {
        items.push(item(`${a.id}:${t}`, a.id, 'action', t, event, now,
          { planId: plan.id, actionId: a.id }));
      }
    }
  }
  return ctx.lifecycle.enqueue(items);
}

/**
 * Queues inventory change events since the last queued one for every webhook that takes
 * events (issue #5, point 7). Without such a webhook the cursor still moves: a hook added
 * later starts from then, not from the beginning of history.
 */
export async function queueChangeEvents(ctx: LifecycleContext, now: string): Promise<number> {
  const hooks = ctx.config.webhooks.filter((w) => w.deliver.includes('events'));
  let cursor = await ctx.lifecycle.cursor(EMIT_CURSOR);
  let queued = 0;
  for (;;) {
    const events = await ctx.store.events(cursor, 1000);
    if (events.length === 0) break;
    const items = events.flatMap((ev) => hooks.map((h) => {
      const ce = changeEvent(ev, ctx.config.eventSource);
      // Zero-padded so that the outbox, which sends in id order, keeps the log's order.
      const id = `evt-${String(ev.seq).padStart(15, '0')}:webhook:${h.name}`;
      return item(id, ce.id, 'event', `webhook:${h.name}`, ce, now);
    }));
    queued += await ctx.lifecycle.enqueue(items);
    cursor = events[events.length - 1]!.seq;
    await ctx.lifecycle.setCursor(EMIT_CURSOR, cursor);
  }
  return queued;
}
