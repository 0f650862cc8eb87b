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
    runState: text('runState'),
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

/** An in-memory context over summaries and resolved edges. */
export class MemoryJudgeContext implements JudgeContext {
  readonly #summaries = new Map<string, RecordSummary>();
  readonly #out = new Map<string, Map<RelationType, string[]>>();
  readonly #in = new Map<string, Map<RelationType, string[]>>();
  readonly #dangling = new Map<string, Map<RelationType, Key[]>>();

  addSummary(s: RecordSummary): void {
    this.#summaries.set(s.id, s);
  }

  addEdge(fromId: string | null, toId: string | null, type: RelationType, missing?: Key): void {
    if (fromId && toId) {
      if (fromId === toId) return;
      push(this.#out, fromId, type, toId);
      push(this.#in, toId, type, fromId);
    } else if (fromId && missing) {
      push(this.#dangling, fromId, type, missing);
    }
  }

  summary(id: string): RecordSummary | undefined {
    return this.#summaries.get(id);
  }

  related(id: string, type: RelationType, direction: 'out' | 'in'): readonly string[] {
    return (direction === 'out' ? this.#out : this.#in).get(id)?.get(type) ?? [];
  }

  dangling(id: string, type: RelationType): readonly Key[] {
    return this.#dangling.get(id)?.get(type) ?? [];
  }

  summaries(): IterableIterator<RecordSummary> {
    return this.#summaries.values();
  }
}

function push<T>(m: Map<string, Map<RelationType, T[]>>, id: string, t: RelationType, v: T): void {
  let byType = m.get(id);
  if (!byType) {
    byType = new Map();
    m.set(id, byType);
  }
  const list = byType.get(t);
  if (!list) byType.set(t, [v]);
  else if (!list.includes(v)) list.push(v);
}
