import { looksLikeSecretValue } from '../../model/secrets.js';
import type { AttrValue, Observation } from '../../model/types.js';
import type { ParseEvent } from '../format.js';
import { observation, reject, warning } from '../streaming/events.js';
import { asArray, asObject, asString, type Json } from '../streaming/values.js';
import { leaseKey, leaseSuffix } from './vault-lease.js';
import { approleKey, type VaultContext } from './vault-values.js';

/** What a `LIST` response lists: its `data.keys` alone do not say, the endpoint does. */
export type VaultListKind = 'token-accessors' | 'secret-id-accessors' | 'leases' | 'approle-roles';

type Entry = Omit<Observation, 'scope' | 'line'>;

const ENTRY: Record<VaultListKind, (key: string) => Entry> = {
  'token-accessors': (a) => credential(`token:${a}`, `vault-token:${a}`, 'vault-token', 'token', a),
  'secret-id-accessors': (a) =>
    credential(`secret-id:${a}`, `vault-secret-id:${a}`, 'vault-approle-secret-id', 'secret-id', a),
  leases: (id) => ({
    kind: 'credential',
    sourceId: `lease:${leaseSuffix(id)}`,
    keys: [leaseKey(id)],
    attributes: { class: 'vault-lease', credentialType: 'vault-lease', active: true },
  }),
  'approle-roles': (name) => ({
    kind: 'identity',
    sourceId: `role:approle/${name}`,
    keys: [],
    attributes: { class: 'vault-approle', identityType: 'service', name: `approle ${name}`,
      'vault.roleName': name, 'vault.authMount': 'approle' },
  }),
};

function credential(
  sourceId: string,
  key: string,
  cls: string,
  type: string,
  accessor: string,
): Entry {
  const attributes: Record<string, AttrValue> = {
    class: cls, credentialType: type, active: true, 'vault.accessor': accessor,
  };
  return { kind: 'credential', sourceId, keys: [{ type: 'key-id', value: key }], attributes };
}

/**
 * The entries of one `LIST` response (`{"data": {"keys": [...]}}`). A key ending in `/` is a
 * sub-folder of a lease prefix, not a lease: counted and reported once. A key that looks like
 * a token rather than an accessor is refused.
 */
export function* readList(
  doc: Json,
  kind: VaultListKind,
  ctx: VaultContext,
): Generator<ParseEvent> {
  const keys = asArray(asObject(doc.data)?.keys);
  let folders = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = asString(keys[i]);
    const field = `data.keys[${i}]`;
    if (!key) {
      yield reject(ctx.file, ctx.line, field, 'MISSING_KEY', 'empty or non-text list entry');
    } else if (looksLikeSecretValue(key)) {
      yield reject(ctx.file, ctx.line, field, 'SECRET_REFUSED',
        'list entry is a token, not an accessor; refused and dropped');
    } else if (key.endsWith('/')) {
      folders++;
    } else {
      const e = ENTRY[kind](key);
      const keysOf = kind === 'approle-roles' ? [approleKey(ctx.scope, 'approle', key)] : e.keys;
      yield observation({ ...e, keys: keysOf, scope: ctx.scope, line: ctx.line });
    }
  }
  if (folders > 0) {
    yield warning(ctx.file, ctx.line, 'data.keys', 'LEASE_PREFIXES',
      `${folders} entries are prefixes (ending in /), not leases: list each prefix on its own`);
  }
}
