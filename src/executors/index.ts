/** Executors: how offboarding actions and change events leave Roster (issue #5, point 5). */
export type { Deliverer, DeliveryOutcome } from './deliverer.js';
export { commandDeliverer } from './command.js';
export { dryRun } from './dry-run.js';
export { backoffSeconds, drainOutbox, type DrainResult } from './outbox.js';
export { sign, verifySignature, SIGNATURE_HEADER } from './signature.js';
export { webhookDeliverer } from './webhook.js';
