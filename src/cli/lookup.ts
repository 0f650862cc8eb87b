import type { InventoryRecord } from '../model/record.js';
import { normalizeKey, parseKeyString } from '../model/keys.js';
import type { KeyType } from '../model/types.js';
import type { Store } from '../store/port.js';

const ALL_KEY_TYPES: readonly KeyType[] = [
  'aws-instance-id', 'aws-arn', 'aws-unique-id', 'aws-access-key-id', 'aws-credential-slot',
  'aws-account-id', 'serial-number', 'hardware-uuid', 'cmdb-sys-id', 'asset-tag', 'spiffe-id',
  'x509-sha256', 'k8s-uid', 'k8s-ref', 'gcp-resource', 'entra-object-id', 'entra-app-id',
  'netbox-id', 'key-id', 'external-id', 'owner', 'email', 'hostname', 'fqdn', 'ip', 'mac', 'name',
];

/**
 * Finds records by anything a user may type: a record id, `type:value`, or a bare value tried
 * against every key type by that type's own normalisation (an instance id, an ARN, a serial).
 */
export async function lookupRecords(store: Store, text: string): Promise<InventoryRecord[]> {
  const t = text.trim();
  const byId = await store.getRecord(t);
  if (byId) return [byId];
  const typed = parseKeyString(t);
  if (typed && ALL_KEY_TYPES.includes(typed.type)) {
    const key = normalizeKey(typed.type, typed.value);
    if (key) return store.findByKey(key);
  }
  const found = new Map<string, InventoryRecord>();
  for (const type of ALL_KEY_TYPES) {
    const key = normalizeKey(type, t);
    if (!key) continue;
    for (const r of await store.findByKey(key)) found.set(r.id, r);
  }
  return [...found.values()];
}
