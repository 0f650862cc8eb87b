import { keyStrength, keyString } from '../model/keys.js';
import type { EntityKind, Key, Observation } from '../model/types.js';
import type { StoreTx } from '../store/port.js';
import type { MatchIndex } from './match.js';
import type { StoredObservation } from './observation.js';

/**
 * What the matcher needs to know about the records that one chunk of observations may land
 * on: which records hold each strong key, and the keys of those records. It is read from the
 * store once per chunk (a few batched queries instead of several per observation) and then
 * kept current in memory as the chunk is placed: observations written earlier in the chunk are
 * not in the store yet, and records absorbed into others are gone.
 */
export class ChunkIndex {
  /** `kind|keyString` → ids of the records of that kind holding the key. */
  readonly #holders = new Map<string, Set<string>>();
  /** record id → its strong keys by keyString. */
  readonly #keys = new Map<string, Map<string, Key>>();

  /** Reads the holders of every strong key in `batch`, and the keys of those records. */
  static async load(
    tx: StoreTx,
    batch: readonly Observation[],
    previous: Iterable<StoredObservation>,
  ): Promise<ChunkIndex> {
    const index = new ChunkIndex();
    const byKind = new Map<EntityKind, Map<string, Key>>();
    for (const o of batch) {
      let keys = byKind.get(o.kind);
      if (!keys) byKind.set(o.kind, (keys = new Map()));
      for (const k of strongKeys(o.keys)) keys.set(keyString(k), k);
    }
    const ids = new Set<string>();
    for (const [kind, keys] of byKind) {
      const holders = await tx.holdersOf(kind, [...keys.values()]);
      for (const [ks, list] of holders) {
        index.#holders.set(`${kind}|${ks}`, new Set(list));
        for (const id of list) ids.add(id);
      }
    }
    for (const p of previous) ids.add(p.recordId);
    const keysOf = await tx.keysOfRecords([...ids]);
    for (const [id, keys] of keysOf) index.#addKeys(id, keys);
    return index;
  }

  /**
   * The match index for one observation. Its previous record (when a run saw it before) counts
   * as a holder of each of its strong keys, so that it stays where it was unless keys say
   * otherwise.
   */
  matchIndex(kind: EntityKind, strong: readonly Key[], previousRecord?: string): MatchIndex {
    const holders = new Map<string, string[]>();
    const ids = new Set<string>();
    for (const k of strong) {
      const ks = keyString(k);
      const set = new Set(this.#holders.get(`${kind}|${ks}`));
      if (previousRecord) set.add(previousRecord);
      if (set.size === 0) continue;
      holders.set(ks, [...set]);
      for (const id of set) ids.add(id);
    }
    const keysOf = new Map<string, Key[]>();
    for (const id of ids) keysOf.set(id, [...(this.#keys.get(id)?.values() ?? [])]);
    return { holders, keysOf };
  }

  /** An observation written in this chunk: its record now holds its strong keys. */
  add(o: StoredObservation): void {
    for (const k of strongKeys(o.keys)) {
      const sig = `${o.kind}|${keyString(k)}`;
      const set = this.#holders.get(sig);
      if (set) set.add(o.recordId);
      else this.#holders.set(sig, new Set([o.recordId]));
    }
    this.#addKeys(o.recordId, strongKeys(o.keys));
  }

  /** `from` was merged into `into`: whatever `from` held, `into` holds now. */
  absorb(kind: EntityKind, from: string, into: string): void {
    const keys = this.#keys.get(from);
    if (!keys) return;
    for (const ks of keys.keys()) {
      const set = this.#holders.get(`${kind}|${ks}`);
      if (!set) continue;
      set.delete(from);
      set.add(into);
    }
    this.#addKeys(into, keys.values());
    this.#keys.delete(from);
  }

  #addKeys(id: string, keys: Iterable<Key>): void {
    let map = this.#keys.get(id);
    if (!map) this.#keys.set(id, (map = new Map()));
    for (const k of keys) map.set(keyString(k), k);
  }
}

export function strongKeys(keys: readonly Key[]): Key[] {
  return keys.filter((k) => keyStrength(k.type) === 'strong');
}
