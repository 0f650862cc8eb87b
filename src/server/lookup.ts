import type { InventoryRecord } from '../model/record.js';
import { normalizeKey, parseKeyString } from '../model/keys.js';
import type { EntityKind, KeyType } from '../model/types.js';
import type { Store } from '../store/port.js';
import { ApiError } from './errors.js';

const KEY_TYPES: readonly KeyType[] = [
  'aws-instance-id', 'aws-arn', 'aws-unique-id', 'aws-access-key-id', 'aws-credential-slot',
  'aws-account-id', 'serial-number', 'hardware-uuid', 'cmdb-sys-id', 'asset-tag', 'spiffe-id',
  'x509-sha256', 'k8s-uid', 'k8s-ref', 'gcp-resource', 'entra-object-id', 'entra-app-id',
  'netbox-id', 'key-id', 'external-id', 'owner', 'email', 'hostname', 'fqdn', 'ip', 'mac', 'name',
];

/**
 * Records a reference names: a record id, a `type:value` key, or a bare value tried against
 * every key type by that type's own normalisation (an instance id, an ARN, a serial number).
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

/**
 * The one record a reference names, of a kind if given; none is 404, several are 409. The
 * reference is not echoed: what a user pastes into a search box may be a secret (rule 5).
 */
export async function recordByRef(
  store: Store,
  ref: string,
  kind?: EntityKind,
): Promise<InventoryRecord> {
  const all = await recordsByRef(store, ref);
  const matches = kind ? all.filter((r) => r.kind === kind) : all;
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw new ApiError('NOT_FOUND', `no ${kind ?? 'record'} matches this reference`);
  }
  const candidates = matches.slice(0, 20).map((r) => ({ id: r.id, kind: r.kind, name: r.name }));
  const message = `${matches.length} records match this reference; use a record id`;
  throw new ApiError('AMBIGUOUS_KEY', message, { candidates });
}
