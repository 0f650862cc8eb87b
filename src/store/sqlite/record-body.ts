import type { Claim, InventoryRecord, MergedAttribute } from '../../model/record.js';
import type { AttrValue } from '../../model/types.js';

/**
 * The JSON kept in `records.body`: keys, attributes with their provenance, sightings and key
 * conflicts. Most attributes of a record come from the same few runs, so version 2 writes each
 * distinct provenance (source, format, run, as-of) once in `origins` and every claim points at
 * it by index; that makes the body about a third of the plain form, which is what a run writes,
 * parses back and judges for every record it touches. Bodies without `v` (the plain form,
 * written before) are still read.
 */
type RecordBody = Pick<InventoryRecord, 'keys' | 'attributes' | 'sightings' | 'keyConflicts'>;

/** `[source, format, runId, asOf]` */
type Origin = [string, string, string, string];
/** `[value, origin]` or `[value, origin, field]` */
type PackedClaim = [AttrValue, number] | [AttrValue, number, string];
/** A claim, or `[value, origin, field or null, conflicts]` when other sources disagree. */
type PackedAttribute = PackedClaim | [AttrValue, number, string | null, PackedClaim[]];

interface PackedBody {
  readonly v: 2;
  readonly keys: RecordBody['keys'];
  readonly origins: Origin[];
  readonly attributes: Record<string, PackedAttribute>;
  readonly sightings: RecordBody['sightings'];
  readonly keyConflicts?: RecordBody['keyConflicts'];
}

export function encodeRecordBody(r: RecordBody): string {
  const origins: Origin[] = [];
  const index = new Map<string, number>();
  const originOf = (c: Claim): number => {
    const sig = `${c.source}\u0000${c.format}\u0000${c.runId}\u0000${c.asOf}`;
    let i = index.get(sig);
    if (i === undefined) {
      i = origins.push([c.source, c.format, c.runId, c.asOf]) - 1;
      index.set(sig, i);
    }
    return i;
  };
  const claim = (c: Claim): PackedClaim =>
    c.field === undefined ? [c.value, originOf(c)] : [c.value, originOf(c), c.field];
  const attributes: Record<string, PackedAttribute> = {};
  for (const [name, a] of Object.entries(r.attributes)) {
    attributes[name] = a.conflicts.length === 0
      ? claim(a)
      : [a.value, originOf(a), a.field ?? null, a.conflicts.map(claim)];
  }
  const body: PackedBody = {
    v: 2,
    keys: r.keys,
    origins,
    attributes,
    sightings: r.sightings,
    ...(r.keyConflicts.length > 0 ? { keyConflicts: r.keyConflicts } : {}),
  };
  return JSON.stringify(body);
}

export function decodeRecordBody(text: string): RecordBody {
  const body = JSON.parse(text) as PackedBody | (RecordBody & { v?: undefined });
  if (body.v !== 2) return { ...body, keyConflicts: body.keyConflicts ?? [] };
  const origins = body.origins;
  const claim = (p: PackedClaim | PackedAttribute): Claim => {
    const o = origins[p[1]];
    if (!o) throw new Error(`record body: claim points at origin ${p[1]}, which is not there`);
    const c = { value: p[0], source: o[0], format: o[1], runId: o[2], asOf: o[3] };
    return typeof p[2] === 'string' ? { ...c, field: p[2] } : c;
  };
  const attributes: Record<string, MergedAttribute> = {};
  for (const [name, p] of Object.entries(body.attributes)) {
    const conflicts = p.length === 4 ? p[3].map(claim) : [];
    attributes[name] = { ...claim(p), conflicts };
  }
  return {
    keys: body.keys,
    attributes,
    sightings: body.sightings,
    keyConflicts: body.keyConflicts ?? [],
  };
}
