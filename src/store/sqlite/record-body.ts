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
  const origins = new Origins();
  const claim = (c: Claim): PackedClaim =>
    c.field === undefined ? [c.value, origins.of(c)] : [c.value, origins.of(c), c.field];
  const attributes: Record<string, PackedAttribute> = {};
  for (const name in r.attributes) {
    const a = r.attributes[name]!;
    attributes[name] = a.conflicts.length === 0
      ? claim(a)
      : [a.value, origins.of(a), a.field ?? null, a.conflicts.map(claim)];
  }
  const body: PackedBody = {
    v: 2,
    keys: r.keys,
    origins: origins.list,
    attributes,
    sightings: r.sightings,
    ...(r.keyConflicts.length > 0 ? { keyConflicts: r.keyConflicts } : {}),
  };
  return JSON.stringify(body);
}

/**
 * The distinct provenances of one body, in first-seen order. A record holds few of them (one
 * per run that spoke of it), so each is found by a scan of the run ids rather than by hashing
 * a joined string for every claim.
 */
class Origins {
  readonly list: Origin[] = [];

  of(c: Claim): number {
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      const o = list[i]!;
      if (o[2] === c.runId && o[3] === c.asOf && o[0] === c.source && o[1] === c.format) return i;
    }
    return list.push([c.source, c.format, c.runId, c.asOf]) - 1;
  }
}

export function decodeRecordBody(text: string): RecordBody {
  const body = JSON.parse(text) as PackedBody | (RecordBody & { v?: undefined });
  if (body.v !== 2) return { ...body, keyConflicts: body.keyConflicts ?? [] };
  const origins = body.origins;
  const claim = (p: PackedClaim | PackedAttribute): Claim => {
    const o = origins[p[1]];
    if (!o) throw new Error(`record body: claim points at origin ${p[1]}, which is not there`);
    return typeof p[2] === 'string'
      ? { value: p[0], source: o[0], format: o[1], runId: o[2], asOf: o[3], field: p[2] }
      : { value: p[0], source: o[0], format: o[1], runId: o[2], asOf: o[3] };
  };
  const attributes: Record<string, MergedAttribute> = {};
  for (const name in body.attributes) {
    const p = body.attributes[name]!;
    const c = claim(p);
    const conflicts = p.length === 4 ? p[3].map(claim) : [];
    attributes[name] = c.field === undefined
      ? { value: c.value, source: c.source, format: c.format, runId: c.runId, asOf: c.asOf,
        conflicts }
      : { value: c.value, source: c.source, format: c.format, runId: c.runId, asOf: c.asOf,
        field: c.field, conflicts };
  }
  return {
    keys: body.keys,
    attributes,
    sightings: body.sightings,
    keyConflicts: body.keyConflicts ?? [],
  };
}
