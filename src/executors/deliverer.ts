import type { OutboxItem } from '../lifecycle/port.js';

/** What one delivery attempt came to. `retry: false` means trying again cannot help. */
export type DeliveryOutcome =
  | { readonly ok: true; readonly detail?: string }
  | { readonly ok: false; readonly retry: boolean; readonly error: string };

/**
 * Sends outbox items to one target (`webhook:<name>`, `command`). Executors never throw for
 * a failed delivery: they return the outcome, and the outbox decides when to try again.
 */
export interface Deliverer {
  readonly target: string;
  deliver(item: OutboxItem): Promise<DeliveryOutcome>;
}
