import type { KeyConflict } from '../model/record.js';
import type { AttrValue, EntityKind, Key, Relation } from '../model/types.js';

/** An observation as kept in the store: what one run of one format said about one thing. */
export interface StoredObservation {
  readonly format: string;
  readonly source: string;
  readonly scope: string;
  readonly sourceId: string;
  readonly kind: EntityKind;
  readonly recordId: string;
  readonly runId: string;
  /** As-of time of the run that last wrote it. */
  readonly asOf: string;
  /** As-of time of the first run that saw it. */
  readonly firstSeen: string;
  readonly status: 'present' | 'missing';
  readonly missingSince?: string;
  readonly keys: readonly Key[];
  readonly attributes: Readonly<Record<string, AttrValue>>;
  readonly relations: readonly Relation[];
  /** Whether the format is a system of record (it may admit and retire). */
  readonly systemOfRecord: boolean;
  /** Merges this observation would have caused but strong keys forbade. */
  readonly keyConflicts?: readonly KeyConflict[];
}

/** Observation identity: a later run of the same format and scope replaces it. */
export function observationId(o: Pick<StoredObservation, 'format' | 'scope' | 'sourceId'>): string {
  return `${o.format}\u0000${o.scope}\u0000${o.sourceId}`;
}

/** Deep equality of attribute values (strings compared exactly; lists in order). */
export function sameValue(a: AttrValue | undefined, b: AttrValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  return false;
}

/** Whether two observations say the same (so re-ingesting it changes nothing). */
export function sameContent(a: StoredObservation, b: StoredObservation): boolean {
  return (
    a.kind === b.kind &&
    JSON.stringify(a.keys) === JSON.stringify(b.keys) &&
    JSON.stringify(a.attributes) === JSON.stringify(b.attributes) &&
    JSON.stringify(a.relations) === JSON.stringify(b.relations)
  );
}
