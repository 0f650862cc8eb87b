import type { Claim, InventoryRecord, MergedAttribute, SourceSighting } from '../model/record.js';
import type {
  Admission,
  AttrValue,
  Criticality,
  EntityKind,
  Key,
  LifecycleStage,
} from '../model/types.js';
import { ADMISSIONS, CRITICALITIES, LIFECYCLE_STAGES } from '../model/types.js';
import { keyString } from '../model/keys.js';
import type { StoredObservation } from './observation.js';
import { sameValue } from './observation.js';
import { rankOf, RETIREMENT_HOLD_FORMAT, type PrecedenceRules } from './rules.js';

interface RankedClaim extends Claim {
  readonly present: boolean;
}

/**
 * Folds every observation of one record into the merged record. Pure and order-free: the
 * result depends only on the set of observations, never on the order they arrived in.
 *
 * For each attribute the winner is, in order: a claim from a source still listing the thing
 * (present) over one from a source that no longer does, the higher-precedence source, the
 * newer as-of, then source and format names, then the value (a stable tie-break).
 */
export function mergeRecord(
  id: string,
  kind: EntityKind,
  observations: readonly StoredObservation[],
  rules: PrecedenceRules,
): InventoryRecord {
  const byAttribute = claimsByAttribute(observations);
  const attributes: Record<string, MergedAttribute> = {};
  for (const name of [...byAttribute.keys()].sort()) {
    attributes[name] = pickWinner(name, byAttribute.get(name)!, rules);
  }

  const keys = unionKeys(observations);
  const sightings = observations.map(sightingOf).sort(bySourceThenScope);
  const value = (name: string): AttrValue | undefined => attributes[name]?.value;

  return {
    id,
    kind,
    name: nameOf(value('name'), keys),
    keys,
    attributes,
    sightings,
    keyConflicts: observations.flatMap((o) => o.keyConflicts ?? []),
    admission: admissionOf(value('admission')),
    lifecycle: oneOf(value('lifecycle'), LIFECYCLE_STAGES) as LifecycleStage | null,
    owner: typeof value('owner') === 'string' ? (value('owner') as string) : null,
    environment: typeof value('environment') === 'string' ? (value('environment') as string) : null,
    criticality: oneOf(value('criticality'), CRITICALITIES) as Criticality | null,
    firstSeen: minOf(observations.map((o) => o.firstSeen)),
    updatedAt: maxOf(observations.map((o) => o.asOf)),
  };
}

/** Every claim of every observation, by attribute name. */
function claimsByAttribute(observations: readonly StoredObservation[]): Map<string, RankedClaim[]> {
  const byAttribute = new Map<string, RankedClaim[]>();
  for (const o of observations) {
    const present = o.status === 'present';
    for (const name in o.attributes) {
      const value = o.attributes[name];
      if (value === null || value === undefined) continue;
      // Only a system of record (or an operator through Roster) admits or retires a thing.
      if (name === 'admission' && !o.systemOfRecord) continue;
      const claim: RankedClaim = {
        value, source: o.source, format: o.format, runId: o.runId, asOf: o.asOf, present,
      };
      const list = byAttribute.get(name);
      if (list) list.push(claim);
      else byAttribute.set(name, [claim]);
    }
  }
  return byAttribute;
}

function pickWinner(name: string, claims: RankedClaim[], rules: PrecedenceRules): MergedAttribute {
  // Most attributes have one claim: it wins, with nothing to compare (the common case, and
  // merging runs for every record a run touches).
  if (claims.length === 1) return merged(claims[0]!, []);
  const ranked = rankClaims(name, claims, rules);
  const first = ranked[0]!;
  // Roster's hold of a retirement decides against disagreeing sources only: a source that
  // says the same stays the value's provenance (facts read "retired per cmdb").
  const agreeing = first.format === RETIREMENT_HOLD_FORMAT
    ? ranked.find((c, i) => i > 0 && c.present &&
      sameValue(normalise(c.value), normalise(first.value)))
    : undefined;
  const sorted = agreeing ? [agreeing, ...ranked.filter((c) => c !== agreeing)] : ranked;
  const winner = sorted[0]!;
  const winning = normalise(winner.value);
  const conflicts: Claim[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const c = sorted[i]!;
    if (!c.present || sameValue(normalise(c.value), winning)) continue;
    if (conflicts.some((x) => x.source === c.source && x.format === c.format)) continue;
    conflicts.push(strip(c));
  }
  return merged(winner, conflicts);
}

/** The winning claim with its conflicts, built field by field (spreads are slow here). */
function merged(c: RankedClaim, conflicts: Claim[]): MergedAttribute {
  return { value: c.value, source: c.source, format: c.format, runId: c.runId, asOf: c.asOf,
    conflicts };
}

/**
 * The claims best first: present over no longer listed, then source precedence, then the
 * newer as-of, then source and format, then the value and the run (a stable tie-break). Each
 * claim's rank is looked up once rather than at every comparison.
 */
function rankClaims(name: string, claims: RankedClaim[], rules: PrecedenceRules): RankedClaim[] {
  const ranked = claims.map((c) => ({ c, rank: rankOf(rules, name, c.source) }));
  ranked.sort((x, y) => {
    const a = x.c;
    const b = y.c;
    if (a.present !== b.present) return a.present ? -1 : 1;
    if (x.rank !== y.rank) return x.rank - y.rank;
    if (a.asOf !== b.asOf) return a.asOf > b.asOf ? -1 : 1;
    const by = (a.source + a.format).localeCompare(b.source + b.format);
    if (by !== 0) return by;
    // Two claims of one instant: the value decides, not the run id (which depends on when
    // each export was read), so the winner is the same in any ingest order.
    const va = JSON.stringify(a.value);
    const vb = JSON.stringify(b.value);
    if (va !== vb) return va < vb ? -1 : 1;
    return a.runId.localeCompare(b.runId);
  });
  return ranked.map((r) => r.c);
}

function strip(c: RankedClaim): Claim {
  return { value: c.value, source: c.source, format: c.format, runId: c.runId, asOf: c.asOf };
}

/** Values compared for conflicts ignore case and surrounding space: `Prod` is `prod`. */
function normalise(v: AttrValue): AttrValue {
  return typeof v === 'string' ? v.trim().toLowerCase() : v;
}

function unionKeys(observations: readonly StoredObservation[]): Key[] {
  const seen = new Map<string, Key>();
  for (const o of observations) for (const k of o.keys) seen.set(keyString(k), k);
  return [...seen.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, k]) => k);
}

function sightingOf(o: StoredObservation): SourceSighting {
  const lastSeenAt = o.attributes['lastSeenAt'];
  const lastSeen = typeof lastSeenAt === 'string' && lastSeenAt < o.asOf ? lastSeenAt : o.asOf;
  return {
    source: o.source,
    format: o.format,
    scope: o.scope,
    runId: o.runId,
    lastSeen,
    discovered: !o.systemOfRecord || typeof lastSeenAt === 'string',
    status: o.status,
    ...(o.missingSince ? { missingSince: o.missingSince } : {}),
  };
}

function bySourceThenScope(a: SourceSighting, b: SourceSighting): number {
  return `${a.source}/${a.format}/${a.scope}`.localeCompare(`${b.source}/${b.format}/${b.scope}`);
}

function nameOf(name: AttrValue | undefined, keys: readonly Key[]): string {
  if (typeof name === 'string' && name.trim() !== '') return name;
  return keys[0]?.value ?? '(unnamed)';
}

function admissionOf(v: AttrValue | undefined): Admission {
  return (oneOf(v, ADMISSIONS) as Admission | null) ?? 'unknown';
}

function oneOf(v: AttrValue | undefined, allowed: readonly string[]): string | null {
  return typeof v === 'string' && allowed.includes(v) ? v : null;
}

function minOf(values: string[]): string {
  return values.reduce((a, b) => (b < a ? b : a));
}

function maxOf(values: string[]): string {
  return values.reduce((a, b) => (b > a ? b : a));
}
