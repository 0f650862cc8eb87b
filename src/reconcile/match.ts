import { isSingleValued, keyStrength, keyString } from '../model/keys.js';
import type { EntityKind, Key } from '../model/types.js';

/** What the store knows about candidate records, as the matcher needs it. */
export interface MatchIndex {
  /** Record ids of the given kind holding each strong key (by keyString). */
  readonly holders: ReadonlyMap<string, readonly string[]>;
  /** Keys of each candidate record. */
  readonly keysOf: ReadonlyMap<string, readonly Key[]>;
}

export interface KeyConflict {
  readonly keyType: string;
  readonly values: readonly string[];
  readonly recordIds: readonly string[];
}

export interface MatchResult {
  /** The record the observation belongs to; undefined means a new record. */
  readonly recordId: string | undefined;
  /** Other records the observation proves to be the same thing: merge them into recordId. */
  readonly absorb: readonly string[];
  /** Strong keys that disagree: the merge was blocked and the conflict is kept. */
  readonly conflicts: readonly KeyConflict[];
}

/**
 * Finds the record an observation belongs to (DESIGN.md rule 2). Only strong keys match; a
 * weak key never merges on its own. An observation whose strong keys lead to several records
 * bridges them into one, unless that would give one record two values of a single-valued key
 * (two serial numbers, two instance ids): then the merge is blocked and a conflict raised.
 * Candidates are considered in id order, so the outcome does not depend on arrival order.
 */
export function matchObservation(
  kind: EntityKind,
  keys: readonly Key[],
  index: MatchIndex,
): MatchResult {
  void kind;
  const strong = keys.filter((k) => keyStrength(k.type) === 'strong');
  const candidates = new Set<string>();
  for (const k of strong) {
    for (const id of index.holders.get(keyString(k)) ?? []) candidates.add(id);
  }
  const ordered = [...candidates].sort();
  if (ordered.length === 0) return { recordId: undefined, absorb: [], conflicts: [] };

  const chosen: string[] = [];
  const merged = new Map<string, string>(); // single-valued key type -> value
  const conflicts: KeyConflict[] = [];
  addSingleValued(merged, strong);
  for (const id of ordered) {
    const clash = findClash(merged, index.keysOf.get(id) ?? []);
    if (clash) {
      conflicts.push({ ...clash, recordIds: [...chosen, id] });
      continue;
    }
    chosen.push(id);
    addSingleValued(merged, index.keysOf.get(id) ?? []);
  }
  const [recordId, ...absorb] = chosen;
  return { recordId, absorb, conflicts };
}

function addSingleValued(into: Map<string, string>, keys: readonly Key[]): void {
  for (const k of keys) if (isSingleValued(k.type) && !into.has(k.type)) into.set(k.type, k.value);
}

function findClash(
  merged: ReadonlyMap<string, string>,
  keys: readonly Key[],
): Omit<KeyConflict, 'recordIds'> | undefined {
  for (const k of keys) {
    const have = merged.get(k.type);
    if (isSingleValued(k.type) && have !== undefined && have !== k.value) {
      return { keyType: k.type, values: [have, k.value].sort() };
    }
  }
  return undefined;
}
