import { currentRunState } from '../model/run-state.js';
import type { InventoryRecord } from '../model/record.js';
import type { Admission, Criticality, EntityKind, Key, RelationType } from '../model/types.js';

/** What judging needs to know of a record's neighbours: small, so millions fit in memory. */
export interface RecordSummary {
  readonly id: string;
  readonly kind: EntityKind;
  readonly name: string;
  readonly admission: Admission;
  readonly lifecycle: string | null;
  readonly owner: string | null;
  readonly environment: string | null;
  readonly criticality: Criticality | null;
  /** Some source still lists it. */
  readonly present: boolean;
  readonly runState: string | null;
  /** The `active` attribute (identities, credentials, owners), null when no source says. */
  readonly active: boolean | null;
  readonly identityType: string | null;
  readonly assetClass: string | null;
  readonly expiresAt: string | null;
  /** The application or purpose an asset serves, for reuse across applications (NHI9). */
  readonly application: string | null;
  /** Of an asset: which source gave its admission and lifecycle, as of when (for evidence). */
  readonly provenance?: Readonly<Partial<Record<'admission' | 'lifecycle', Provenance>>>;
}

export interface Provenance {
  readonly source: string;
  readonly asOf: string;
}

/** The graph around a record, as the judge reads it. */
export interface JudgeContext {
  summary(id: string): RecordSummary | undefined;
  /** Ids of records related to `id` by `type`, following the relation's direction. */
  related(id: string, type: RelationType, direction: 'out' | 'in'): readonly string[];
  /** Target keys of `id`'s outgoing relations of `type` that no record holds. */
  dangling(id: string, type: RelationType): readonly Key[];
}

export function summarise(r: InventoryRecord): RecordSummary {
  const text = (name: string): string | null => {
    const v = r.attributes[name]?.value;
    return typeof v === 'string' ? v : null;
  };
  const active = r.attributes['active']?.value;
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    admission: r.admission,
    lifecycle: r.lifecycle,
    owner: r.owner,
    environment: r.environment,
    criticality: r.criticality,
    present: r.sightings.some((s) => s.status === 'present'),
    runState: currentRunState(r)?.state ?? null,
    active: typeof active === 'boolean' ? active : null,
    identityType: text('identityType'),
    assetClass: text('class'),
    expiresAt: text('expiresAt'),
    application: text('application') ?? text('purpose') ?? k8sWorkload(r),
    ...(r.kind === 'asset' ? provenanceOf(r) : {}),
  };
}

function provenanceOf(r: InventoryRecord): Pick<RecordSummary, 'provenance'> {
  const out: Partial<Record<'admission' | 'lifecycle', Provenance>> = {};
  for (const name of ['admission', 'lifecycle'] as const) {
    const a = r.attributes[name];
    if (a) out[name] = { source: a.source, asOf: a.asOf };
  }
  return out.admission || out.lifecycle ? { provenance: out } : {};
}

/** Pods of one controller are one application: `<namespace>/<owner kind>/<owner name>`. */
function k8sWorkload(r: InventoryRecord): string | null {
  const owner = r.attributes['k8s.ownerName']?.value;
  const kind = r.attributes['k8s.ownerKind']?.value;
  const ns = r.attributes['namespace']?.value;
  return typeof owner === 'string' ? `${String(ns)}/${String(kind)}/${owner}` : null;
}

/**
 * An in-memory context over summaries and resolved edges, laid out for millions of records:
 * the few values many records share (kind, admission, environment, an owner's name, a
 * provenance) are held once, and edges sit in one map per relation type instead of a map per
 * record (a per-record map cost more than the summary itself).
 */
export class MemoryJudgeContext implements JudgeContext {
  readonly #summaries = new Map<string, RecordSummary>();
  readonly #out = new Map<RelationType, Map<string, string[]>>();
  readonly #in = new Map<RelationType, Map<string, string[]>>();
  readonly #dangling = new Map<RelationType, Map<string, Key[]>>();
  readonly #shared = new Map<string, string>();
  readonly #provenances = new Map<string, Provenance>();

  /**
   * Takes `s` into the context. The summary is the context's from then on: its shared values
   * are swapped for the ones already held in place, since a copy per record would double the
   * garbage of a load over millions of them.
   */
  addSummary(s: RecordSummary): void {
    const own = s as { -readonly [K in keyof RecordSummary]: RecordSummary[K] };
    own.kind = this.#one(s.kind) as EntityKind;
    own.admission = this.#one(s.admission) as Admission;
    own.lifecycle = this.#maybe(s.lifecycle);
    own.owner = this.#maybe(s.owner);
    own.environment = this.#maybe(s.environment);
    own.criticality = this.#maybe(s.criticality) as Criticality | null;
    own.runState = this.#maybe(s.runState);
    own.identityType = this.#maybe(s.identityType);
    own.assetClass = this.#maybe(s.assetClass);
    if (s.provenance) {
      const { admission, lifecycle } = s.provenance;
      own.provenance = {
        ...(admission ? { admission: this.#provenance(admission) } : {}),
        ...(lifecycle ? { lifecycle: this.#provenance(lifecycle) } : {}),
      };
    }
    this.#summaries.set(s.id, s);
  }

  addEdge(fromId: string | null, toId: string | null, type: RelationType, missing?: Key): void {
    if (fromId && toId) {
      if (fromId === toId) return;
      push(this.#out, type, fromId, toId);
      push(this.#in, type, toId, fromId);
    } else if (fromId && missing) {
      push(this.#dangling, type, fromId, missing);
    }
  }

  summary(id: string): RecordSummary | undefined {
    return this.#summaries.get(id);
  }

  related(id: string, type: RelationType, direction: 'out' | 'in'): readonly string[] {
    return (direction === 'out' ? this.#out : this.#in).get(type)?.get(id) ?? NONE;
  }

  dangling(id: string, type: RelationType): readonly Key[] {
    return this.#dangling.get(type)?.get(id) ?? NONE;
  }

  summaries(): IterableIterator<RecordSummary> {
    return this.#summaries.values();
  }

  #maybe(v: string | null): string | null {
    return v === null ? v : this.#one(v);
  }

  #one(v: string): string {
    const held = this.#shared.get(v);
    if (held !== undefined) return held;
    this.#shared.set(v, v);
    return v;
  }

  #provenance(p: Provenance): Provenance {
    const key = `${p.source}\u0000${p.asOf}`;
    const held = this.#provenances.get(key);
    if (held) return held;
    const own = { source: this.#one(p.source), asOf: this.#one(p.asOf) };
    this.#provenances.set(key, own);
    return own;
  }
}

const NONE: readonly never[] = Object.freeze([]);

/** Lists past this length are kept free of repeats through a set, not a scan per edge. */
const SCANNED = 32;
const longLists = new WeakMap<unknown[], Set<unknown>>();

/**
 * Adds `v` to the list of `id` under `t`, once. An owner of a hundred thousand assets has that
 * many incoming edges: a scan of its list per edge would be quadratic.
 */
function push<T>(m: Map<RelationType, Map<string, T[]>>, t: RelationType, id: string, v: T): void {
  let byId = m.get(t);
  if (!byId) {
    byId = new Map();
    m.set(t, byId);
  }
  const list = byId.get(id);
  if (!list) {
    byId.set(id, [v]);
    return;
  }
  if (list.length < SCANNED) {
    if (!list.includes(v)) list.push(v);
    return;
  }
  let seen = longLists.get(list);
  if (!seen) {
    seen = new Set(list);
    longLists.set(list, seen);
  }
  if (!seen.has(v)) {
    seen.add(v);
    list.push(v);
  }
}
