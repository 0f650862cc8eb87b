import { recordsByRef } from '../lookup/records-by-ref.js';
import type { InventoryRecord } from '../model/record.js';
import type { EntityKind } from '../model/types.js';
import type { Store } from '../store/port.js';
import { ApiError } from './errors.js';

/**
 * The one record a reference names, of a kind if given; none is 404, several are 409. The
 * reference is not echoed: what a user pastes into a search box may be a secret (rule 5).
 */
export async function recordByRef(
  store: Store,
  ref: string,
  kind?: EntityKind,
): Promise<InventoryRecord> {
  const all = await recordsByRef(store, ref);
  const matches = kind ? all.filter((r) => r.kind === kind) : all;
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw new ApiError('NOT_FOUND', `no ${kind ?? 'record'} matches this reference`);
  }
  const candidates = matches.slice(0, 20).map((r) => ({ id: r.id, kind: r.kind, name: r.name }));
  const message = `${matches.length} records match this reference; use a record id`;
  throw new ApiError('AMBIGUOUS_KEY', message, { candidates });
}
