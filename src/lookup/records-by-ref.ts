import { keyString, normalizeKey, parseKeyString } from '../model/keys.js';
import type { InventoryRecord } from '../model/record.js';
import type { Key } from '../model/types.js';
import { KEY_TYPES } from '../model/types.js';
import type { Store } from '../store/port.js';

/** One record a reference names, and the keys of it the reference matched (none: its id). */
export interface RefMatch {
  readonly record: InventoryRecord;
  readonly keys: readonly Key[];
}

/**
 * The records a reference names, for the CLI and the API alike: a record id, a `type:value`
 * key, or a bare value tried against every key type by that type's own normalisation (an
 * instance id, an ARN, a serial number). Several records may match (an IP address two hosts
 * have held, a reused hostname); each comes once, with the keys that matched, ordered by kind,
 * name and id. The caller decides what several mean; none may silently pick one.
 *
 * @example
 * await matchesByRef(store, '10.20.1.15') // [{ record: web-prod-01, keys: [ip 10.20.1.15] }, ...]
 */
export async function matchesByRef(store: Store, ref: string): Promise<RefMatch[]> {
  const text = ref.trim();
  const byId = await store.getRecord(text);
  if (byId) return [{ record: byId, keys: [] }];
  const found = new Map<string, { record: InventoryRecord; keys: Key[] }>();
  for (const key of candidateKeys(text)) {
    for (const record of await store.findByKey(key)) {
      const seen = found.get(record.id) ?? { record, keys: [] };
      if (!seen.keys.some((k) => keyString(k) === keyString(key))) seen.keys.push(key);
      found.set(record.id, seen);
    }
  }
  return [...found.values()].sort((a, b) => a.record.kind.localeCompare(b.record.kind) ||
    a.record.name.localeCompare(b.record.name) || a.record.id.localeCompare(b.record.id));
}

/**
 * The records a reference names, as {@link matchesByRef} finds them.
 *
 * @example
 * await recordsByRef(store, 'i-0a1b2c3d4e5f60718') // [the asset with that EC2 instance id]
 */
export async function recordsByRef(store: Store, ref: string): Promise<InventoryRecord[]> {
  return (await matchesByRef(store, ref)).map((m) => m.record);
}

function candidateKeys(text: string): Key[] {
  const typed = parseKeyString(text);
  if (typed && KEY_TYPES.includes(typed.type)) {
    const key = normalizeKey(typed.type, typed.value);
    if (key) return [key];
  }
  const keys: Key[] = [];
  for (const type of KEY_TYPES) {
    const key = normalizeKey(type, text);
    if (key) keys.push(key);
  }
  return keys;
}
