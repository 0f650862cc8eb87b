import { createHash, randomUUID } from 'node:crypto';
import type { StoredObservation } from './observation.js';

let lastOrder = 0;

/** A new run's id: sortable by its as-of, then by creation. */
export function newRunId(at: string): string {
  // Sortable by time, then by creation (runs of one instant list newest first, as runs are
  // listed by time and id), unique by the random tail.
  lastOrder = Math.max(lastOrder + 1, Date.now() * 1000);
  const order = lastOrder.toString(36).padStart(11, '0');
  return `run_${at.replace(/[-:.TZ]/g, '').slice(0, 17)}_${order}${randomUUID().slice(0, 4)}`;
}

/** Deterministic record id from the observation that first made the record. */
export function newRecordId(o: Pick<StoredObservation, 'kind' | 'format' | 'scope' | 'sourceId'>) {
  const prefix = { asset: 'ast', identity: 'idn', credential: 'crd', owner: 'own' }[o.kind];
  const hash = createHash('sha256')
    .update(`${o.kind}\u0000${o.format}\u0000${o.scope}\u0000${o.sourceId}`)
    .digest('hex');
  return `${prefix}_${hash.slice(0, 20)}`;
}
