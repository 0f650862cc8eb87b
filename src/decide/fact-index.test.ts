import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_JUDGE_CONFIG } from '../judge/config.js';
import { keyStrength, keyString, normalizeKey } from '../model/keys.js';
import type { InventoryRecord } from '../model/record.js';
import type { Key, KeyType } from '../model/types.js';
import { FactIndex, type Resolution } from './fact-index.js';

const TYPES: readonly KeyType[] = [
  'spiffe-id', 'aws-arn', 'aws-instance-id', 'aws-unique-id', 'aws-access-key-id',
  'aws-credential-slot', 'aws-account-id', 'serial-number', 'hardware-uuid', 'cmdb-sys-id',
  'asset-tag', 'x509-sha256', 'k8s-uid', 'k8s-ref', 'gcp-resource', 'entra-object-id',
  'entra-app-id', 'netbox-id', 'key-id', 'external-id', 'email', 'owner',
  'hostname', 'fqdn', 'ip', 'mac', 'name',
];

function record(id: string, keys: readonly Key[]): InventoryRecord {
  return { id, kind: 'asset', name: id, keys, attributes: {}, sightings: [], keyConflicts: [],
    admission: 'approved', lifecycle: null, owner: null, environment: null, criticality: null,
    firstSeen: '2026-12-01T00:00:00.000Z', updatedAt: '2026-12-01T00:00:00.000Z' };
}

/** The rule the index must keep: normalise the name by every key type, strong keys first. */
function reference(records: readonly InventoryRecord[], text: string): string {
  const byKey = new Map<string, Set<string>>();
  for (const r of records) {
    for (const k of r.keys) {
      const ks = keyString(k);
      byKey.set(ks, (byKey.get(ks) ?? new Set()).add(r.id));
    }
  }
  if (records.some((r) => r.id === text)) return `found ${text} via record id`;
  for (const strength of ['strong', 'weak']) {
    const ids = new Set<string>();
    let via = '';
    for (const type of TYPES) {
      if (keyStrength(type) !== strength) continue;
      const key = normalizeKey(type, text);
      const hit = key && byKey.get(keyString(key));
      if (!hit) continue;
      if (!via) via = keyString(key);
      for (const id of hit) ids.add(id);
    }
    if (ids.size > 1) return `ambiguous ${[...ids].sort().join(',')}`;
    if (ids.size === 1) return `found ${[...ids][0]} via key ${via}`;
  }
  return 'unknown';
}

function shown(r: Resolution): string {
  if (r.status === 'found') return `found ${r.facts.recordId} via ${r.via}`;
  if (r.status === 'ambiguous') return `ambiguous ${r.candidates.map((c) => c.recordId).join(',')}`;
  return 'unknown';
}

/** Raw values in the shapes the key types take, with case, separators and padding varied. */
const rawValue = fc.oneof(
  fc.constantFrom('Web-01', 'web-01.', 'WEB01', 'web 01', 'i-0ABC12345678', 'i-0abc12345678',
    '010.1.2.3', '10.1.2.3', 'AA:BB:CC:DD:EE:FF', 'aabb.ccdd.eeff', 'a@Example.com',
    'spiffe://Example.org/ns/A', 'spiffe://example.org/ns/A', '123456789012', 'sn-7x',
    'AB:CD:EF', 'abcdef', 'Jane  Doe', 'jane doe', 'arn:aws:iam::1:role/R', 'n/a', '0000'),
  fc.stringMatching(/^[A-Za-z0-9 .:@/-]{1,12}$/),
);

/** Types whose normalisation changes a value most; drawn more often. */
const TRICKY: readonly KeyType[] = ['ip', 'mac', 'x509-sha256', 'hostname', 'name', 'spiffe-id',
  'serial-number', 'aws-instance-id'];

const keyArb = fc.tuple(fc.oneof(fc.constantFrom(...TYPES), fc.constantFrom(...TRICKY)), rawValue)
  .map(([type, raw]) => normalizeKey(type, raw))
  .filter((k): k is Key => k !== undefined);

describe('FactIndex.resolve', () => {
  it('matches a name to the same records as trying every key type', () => {
    fc.assert(fc.property(
      fc.array(fc.array(keyArb, { maxLength: 4 }), { minLength: 1, maxLength: 6 }),
      fc.array(fc.oneof(rawValue, fc.constantFrom('r0', 'r1', '010.001.002.003', ' 10.1.2.3',
        'aa-bb-cc-dd-ee-ff', 'ab cd ef', 'SPIFFE://EXAMPLE.ORG/ns/A')),
      { minLength: 1, maxLength: 12 }),
      fc.integer({ min: -1, max: 5 }),
      (keySets, names, drop) => {
        const records = keySets.map((keys, i) => record(`r${i}`, keys));
        const index = new FactIndex(DEFAULT_JUDGE_CONFIG);
        for (const r of records) index.upsert({ record: r, owners: [], findings: [] });
        // A removal and a re-keying must unlink the old keys from every map.
        const kept = records.filter((r) => r.id !== `r${drop}`);
        if (kept.length < records.length) index.remove(`r${drop}`);
        const last = kept[kept.length - 1];
        if (last && last.keys.length > 1) {
          const rekeyed = record(last.id, last.keys.slice(1));
          index.upsert({ record: rekeyed, owners: [], findings: [] });
          kept[kept.length - 1] = rekeyed;
        }
        for (const name of names) expect(shown(index.resolve(name))).toBe(reference(kept, name));
      },
    ), { numRuns: 400 });
  });

  it('prefers a strong key over a weak one and never guesses between two records', () => {
    const index = new FactIndex(DEFAULT_JUDGE_CONFIG);
    const add = (id: string, type: KeyType, raw: string): void =>
      index.upsert({ record: record(id, [normalizeKey(type, raw)!]), owners: [], findings: [] });
    add('a', 'hostname', 'I-0ABC12345678');
    add('b', 'aws-instance-id', 'i-0abc12345678');
    expect(shown(index.resolve('i-0ABC12345678')))
      .toBe('found b via key aws-instance-id:i-0abc12345678');
    add('c', 'name', 'web 01');
    add('d', 'hostname', 'Web 01');
    expect(shown(index.resolve(' WEB 01 '))).toBe('ambiguous c,d');
    // An IPv4 address written with leading zeros is the same address.
    add('e', 'ip', '10.1.2.3');
    expect(shown(index.resolve('010.001.002.003'))).toBe('found e via key ip:10.1.2.3');
  });
});
