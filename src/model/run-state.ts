import type { Claim, InventoryRecord } from './record.js';

/**
 * The instant a claim's feed (its source and format) stopped listing the record: the first
 * complete run that missed it. Undefined while any sighting of that feed is present, or when
 * the feed has no sighting of the record at all.
 */
export function claimMissingSince(r: InventoryRecord, claim: Claim): string | undefined {
  const own = r.sightings.filter((s) => s.source === claim.source && s.format === claim.format);
  if (own.length === 0 || own.some((s) => s.status === 'present')) return undefined;
  const since = own.map((s) => s.missingSince ?? s.lastSeen).sort();
  return since[since.length - 1];
}

/** An asset's run state as of now: what a source still listing it says, else `missing`. */
export interface CurrentRunState {
  /** `running`, `stopped`, ... from a source that lists the asset; `missing` when none does. */
  readonly state: string;
  /** The claim the state comes from (the last one reported, for `missing`). */
  readonly claim: Claim;
  /** When the state was last reported, for `missing`: the value, its source, since when. */
  readonly lastReported?: { readonly value: string; readonly source: string;
    readonly missingSince: string };
}

/**
 * The run state of an asset that a reader may act on. A source's word that the asset runs
 * holds only while that source lists it: once a complete export of the source no longer does,
 * the state is `missing` (with what was last reported), not `running`. A claim of another
 * source that still lists the asset, kept as a conflict, is taken instead.
 */
export function currentRunState(r: InventoryRecord): CurrentRunState | undefined {
  const attr = r.attributes['runState'];
  if (!attr || attr.value === null || attr.value === undefined) return undefined;
  const since = claimMissingSince(r, attr);
  if (since === undefined) return { state: String(attr.value), claim: attr };
  const other = attr.conflicts.find((c) => claimMissingSince(r, c) === undefined);
  if (other) return { state: String(other.value), claim: other };
  return {
    state: 'missing',
    claim: attr,
    lastReported: { value: String(attr.value), source: attr.source, missingSince: since },
  };
}
