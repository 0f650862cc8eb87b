import type {
  Admission,
  AttrValue,
  Criticality,
  EntityKind,
  Key,
  LifecycleStage,
  RelationType,
} from './types.js';

/** One source's claim for one attribute of a record. */
export interface Claim {
  readonly value: AttrValue;
  readonly source: string;
  readonly format: string;
  readonly runId: string;
  /** The source's as-of time for the claim (ISO instant). */
  readonly asOf: string;
  /** Field in the source that gave it, when known (e.g. `install_status`). */
  readonly field?: string;
}

/** A merged attribute: the winning claim, and every disagreeing claim kept beside it. */
export interface MergedAttribute extends Claim {
  /** Other current claims with a different value (empty when the sources agree). */
  readonly conflicts: readonly Claim[];
}

/** What one source says of a record's presence. */
export interface SourceSighting {
  readonly source: string;
  readonly format: string;
  readonly scope: string;
  readonly runId: string;
  /** As-of time of the newest run that saw it. */
  readonly lastSeen: string;
  /**
   * Whether this sighting is evidence the thing exists: a discovery source saw it, or a system
   * of record says when it last discovered it. A CMDB row alone proves registration, not life.
   */
  readonly discovered: boolean;
  /** `missing` once a complete run of that scope no longer lists it. */
  readonly status: 'present' | 'missing';
  /** As-of of the complete run that first missed it. */
  readonly missingSince?: string;
}

/** Two strong keys that disagree: the merge of these records was blocked (DESIGN.md rule 2). */
export interface KeyConflict {
  readonly keyType: string;
  readonly values: readonly string[];
  readonly recordIds: readonly string[];
  readonly source: string;
  readonly asOf: string;
}

/** A relation of a record to another record (resolved) or to a key nobody holds yet. */
export interface RecordRelation {
  readonly type: RelationType;
  readonly direction: 'out' | 'in';
  /** The record at the other end, when some record holds the key. */
  readonly otherId?: string;
  readonly target: Key;
  readonly source: string;
}

/**
 * The reconciled record: one per asset, identity, credential or owner. Derived fields
 * (admission, lifecycle, owner, ...) are read from the merged attributes so that queries and
 * decisions need not unpack them.
 */
export interface InventoryRecord {
  readonly id: string;
  readonly kind: EntityKind;
  readonly name: string;
  readonly keys: readonly Key[];
  readonly attributes: Readonly<Record<string, MergedAttribute>>;
  readonly sightings: readonly SourceSighting[];
  /** Merges refused because strong keys disagreed; kept, never hidden. */
  readonly keyConflicts: readonly KeyConflict[];
  readonly admission: Admission;
  readonly lifecycle: LifecycleStage | null;
  readonly owner: string | null;
  readonly environment: string | null;
  readonly criticality: Criticality | null;
  readonly firstSeen: string;
  readonly updatedAt: string;
}
