import type { ChangeEvent, Store } from '../store/port.js';
import type { LifecycleConfig } from './config.js';
import type { LifecycleStore } from './port.js';

/** What the lifecycle steps work with: the inventory, their own tables, their settings. */
export interface LifecycleContext {
  readonly store: Store;
  readonly lifecycle: LifecycleStore;
  readonly config: LifecycleConfig;
}

/** Event types the lifecycle itself writes to the change log. */
export type LifecycleEventType =
  | 'lifecycle.transition.flagged'
  | 'offboarding.plan.created'
  | 'offboarding.plan.completed'
  | 'offboarding.plan.reopened'
  | 'offboarding.action.sent'
  | 'offboarding.action.confirmed'
  | 'offboarding.action.overdue'
  | 'offboarding.action.failed'
  | 'attestation.recorded';

/** Appends lifecycle events to the change log, so that webhooks and the server see them too. */
export async function appendEvents(
  store: Store,
  events: readonly Omit<ChangeEvent, 'seq'>[],
): Promise<void> {
  if (events.length === 0) return;
  await store.transaction((tx) => tx.appendEvents(events));
}

export function lifecycleEvent(
  type: LifecycleEventType,
  at: string,
  subjectId: string,
  data: Record<string, unknown>,
): Omit<ChangeEvent, 'seq'> {
  return { at, type, subjectId, runId: null, data };
}
