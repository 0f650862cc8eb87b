import { looksLikeSecretValue } from '../../model/secrets.js';
import type { AttrValue, Observation } from '../../model/types.js';
import type { ParseEvent } from '../format.js';
import { observation, reject, warning } from '../streaming/events.js';
import { asString } from '../streaming/values.js';
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
 * Reads the entries of `LIST` responses (`{"data": {"keys": [...]}}`), streamed one key at a
 * time so that a list of a million accessors stays in bounded memory. A key ending in `/` is a
 * sub-folder of a lease prefix, not a lease: counted and reported once at the end. A key that
 * looks like a token rather than an accessor is refused.
 */
export class ListReader {
  readonly #kind: VaultListKind;
  #folders = 0;

  constructor(kind: VaultListKind) {
    this.#kind = kind;
  }

  /** One element of `data.keys`; `index` is its 0-based place in the file's lists. */
  *entry(raw: unknown, index: number, ctx: VaultContext): Generator<ParseEvent> {
    const key = asString(raw);
    const field = `data.keys[${index}]`;
    if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
      yield reject(ctx.file, ctx.line, undefined, 'NOT_A_LIST',
        'not a LIST response ({"data": {"keys": [...]}}); read it with --format vault');
    } else if (!key) {
      yield reject(ctx.file, ctx.line, field, 'MISSING_KEY', 'empty or non-text list entry');
    } else if (looksLikeSecretValue(key)) {
      yield reject(ctx.file, ctx.line, field, 'SECRET_REFUSED',
        'list entry is a token, not an accessor; refused and dropped');
    } else if (key.endsWith('/')) {
      this.#folders++;
    } else {
      const e = ENTRY[this.#kind](key);
      const keys =
        this.#kind === 'approle-roles' ? [approleKey(ctx.scope, 'approle', key)] : e.keys;
      yield observation({ ...e, keys, scope: ctx.scope, line: ctx.line });
    }
  }

  /** After the last entry: the prefixes skipped, if any. */
  *end(file: string): Generator<ParseEvent> {
    if (this.#folders === 0) return;
    yield warning(file, undefined, 'data.keys', 'LEASE_PREFIXES',
      `${this.#folders} entries are prefixes (ending in /), not leases: list each prefix alone`);
  }
}
