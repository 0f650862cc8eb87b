import { normalizeKey, parseKeyString } from '../model/keys.js';
import type { InventoryRecord } from '../model/record.js';
import { KEY_TYPES } from '../model/types.js';
import type { Store } from '../store/port.js';

/**
 * The records a reference names, for the CLI and the API alike: a record id, a `type:value`
 * key, or a bare value tried against every key type by that type's own normalisation (an
 * instance id, an ARN, a serial number). Several records may match; the caller decides.
 *
 * @example
 * await recordsByRef(store, 'i-0a1b2c3d4e5f60718') // [the asset with that EC2 instance id]
 */
export async function recordsByRef(store: Store, ref: string): Promise<InventoryRecord[]> {
  const text = ref.trim();
  const byId = await store.getRecord(text);
  if (byId) return [byId];
  const typed = parseKeyString(text);
  if (typed && KEY_TYPES.includes(typed.type)) {
    const key = normalizeKey(typed.type, typed.value);
    if (key) return store.findByKey(key);
  }
  const found = new Map<string, InventoryRecord>();
  for (const type of KEY_TYPES) {
    const key = normalizeKey(type, text);
    if (!key) continue;
    for (const r of await store.findByKey(key)) found.set(r.id, r);
  }
  return [...found.values()];
}
