import { matchesByRef } from '../lookup/records-by-ref.js';
import type { InventoryRecord } from '../model/record.js';
import type { EntityKind } from '../model/types.js';
import type { Store } from '../store/port.js';
import { ApiError } from './errors.js';

/**
 * What a reference is, and what several matching records answer: said on every route that
 * takes one (`/records/{ref}`, `/assets/{ref}`, `/records/{ref}/history`, ...).
 */
export const BY_REF =
  'The reference is a record id, a `type:value` key, or a bare key value tried as every key ' +
  'type (instance id, ARN, serial, sys_id, hostname, IP address, ...). A key that several ' +
  'records hold (an IP address two hosts have held, a reused hostname) answers 409 ' +
  '`AMBIGUOUS_KEY`, never one of them: `error.details.count` says how many match, and ' +
  '`error.details.candidates` lists up to 20 as `{id, kind, name, keys}`, `keys` being the ' +
  'keys of that record the reference matched; get each by its id. A reference no record ' +
  'holds answers 404 `NOT_FOUND`.';

/**
 * The one record a reference names, of a kind if given; none is 404, several are 409
 * `AMBIGUOUS_KEY` (never one of them picked silently) whose details give `count` and, for at
 * most 20 of them, `candidates`: each record's id, kind, name and the keys of it that matched.
 * The reference is not echoed: what a user pastes into a search box may be a secret (rule 5);
 * the matched keys are the records' own, which a reader may see on each record anyway.
 */
export async function recordByRef(
  store: Store,
  ref: string,
  kind?: EntityKind,
): Promise<InventoryRecord> {
  const all = await matchesByRef(store, ref);
  const matches = kind ? all.filter((m) => m.record.kind === kind) : all;
  if (matches.length === 1) return matches[0]!.record;
  if (matches.length === 0) {
    throw new ApiError('NOT_FOUND', `no ${kind ?? 'record'} matches this reference`);
  }
  const candidates = matches.slice(0, 20).map(({ record: r, keys }) => ({
    id: r.id,
    kind: r.kind,
    name: r.name,
    keys: keys.map((k) => ({ type: k.type, value: k.value })),
  }));
  const message = `${matches.length} records match this reference; use a record id`;
  throw new ApiError('AMBIGUOUS_KEY', message, { count: matches.length, candidates });
}
