import type { DeliveryConfig } from '../lifecycle/config.js';
import type { LifecycleStore, OutboxItem } from '../lifecycle/port.js';
import type { Deliverer } from './deliverer.js';

export interface DrainOptions {
  readonly now: string;
  /** How long a claim holds before another drainer may take the item (seconds). */
  readonly leaseSeconds?: number;
  readonly batch?: number;
  /**
   * The wall clock leases are measured on. Not `now`, which may be a chosen instant
   * (`--now`): two processes told different instants must still see each other's claims.
   */
  readonly wallClock?: () => string;
  /** Runs once each delivery is recorded, before the next item (plans take it in here). */
  readonly onDelivered?: (item: OutboxItem) => Promise<void>;
}

export interface DrainResult {
  readonly delivered: readonly OutboxItem[];
  readonly retrying: readonly (OutboxItem & { readonly error: string })[];
  readonly failed: readonly (OutboxItem & { readonly error: string })[];
}

/**
 * Delay before attempt `n + 1` after `n` failures: exponential from `backoffSeconds`,
 * capped at `maxBackoffSeconds` (no jitter, so that tests and operators can predict it).
 */
export function backoffSeconds(failures: number, d: DeliveryConfig): number {
  return Math.min(d.backoffSeconds * 2 ** Math.max(0, failures - 1), d.maxBackoffSeconds);
}

/**
 * Sends what is due in the outbox, once: each item is claimed, delivered by its target's
 * executor, then marked delivered, retried later, or failed after `maxAttempts`. Delivery is
 * at least once: an item claimed by a process that dies is taken again when its lease ends,
 * and its idempotency key lets the receiver drop the repeat.
 */
export async function drainOutbox(
  store: LifecycleStore,
  deliverers: ReadonlyMap<string, Deliverer>,
  delivery: DeliveryConfig,
  options: DrainOptions,
): Promise<DrainResult> {
  type Failed = OutboxItem & { error: string };
  const result = {
    delivered: [] as OutboxItem[],
    retrying: [] as Failed[],
    failed: [] as Failed[],
  };
  const lease = options.leaseSeconds ?? 300;
  const wall = (options.wallClock ?? (() => new Date().toISOString()))();
  const due = await store.claimDue(options.now, { at: wall, seconds: lease },
    options.batch ?? 200);
  for (const item of due) {
    const deliverer = deliverers.get(item.target);
    const outcome = deliverer
      ? await deliverer.deliver(item)
      : { ok: false as const, retry: true, error: `no executor configured for ${item.target}` };
    const attempts = item.attempts + 1;
    if (outcome.ok) {
      await store.markDelivered(item.id, options.now);
      const done: OutboxItem = { ...item, attempts, state: 'delivered', deliveredAt: options.now };
      result.delivered.push(done);
      await options.onDelivered?.(done);
    } else if (!outcome.retry || attempts >= delivery.maxAttempts) {
      await store.markFailed(item.id, attempts, options.now, outcome.error);
      result.failed.push({ ...item, attempts, state: 'failed', error: outcome.error });
    } else {
      const next = Date.parse(options.now) + backoffSeconds(attempts, delivery) * 1000;
      const nextAt = new Date(next).toISOString();
      await store.markRetry(item.id, attempts, nextAt, outcome.error);
      result.retrying.push({ ...item, attempts, nextAttemptAt: nextAt, error: outcome.error });
    }
  }
  return result;
}
