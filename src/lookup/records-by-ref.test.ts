import { describe, expect, it } from 'vitest';
import { record } from '../../test/helpers/records.js';
import { keyString } from '../model/keys.js';
import type { InventoryRecord } from '../model/record.js';
import type { Key } from '../model/types.js';
import type { Store } from '../store/port.js';
import { matchesByRef, recordsByRef } from './records-by-ref.js';

/** A store that answers only the two reads recordsByRef makes, and counts the key reads. */
function storeOf(records: InventoryRecord[]): Store & { keyReads: string[] } {
  const keyReads: string[] = [];
  const fake = {
    keyReads,
    getRecord: async (id: string) => records.find((r) => r.id === id),
    findByKey: async (key: Key) => {
      keyReads.push(keyString(key));
      return records.filter((r) => r.keys.some((k) => keyString(k) === keyString(key)));
    },
  };
  return fake as unknown as Store & { keyReads: string[] };
}

const web = record('ast_web', 'asset', [
  { type: 'aws-instance-id', value: 'i-0a1b2c3d4e5f60718' },
  { type: 'hostname', value: 'web-01' },
  { type: 'name', value: 'web-01' },
], { name: 'web-01' });
const namesake = record('idn_web', 'identity', [{ type: 'name', value: 'web-01' }],
  { name: 'web-01' });

describe('recordsByRef', () => {
  it('takes a record id before any key', async () => {
    const store = storeOf([web, namesake]);
    expect(await recordsByRef(store, ' ast_web ')).toEqual([web]);
    expect(store.keyReads).toEqual([]);
  });

  it('reads a type:value reference as that one key, by its type\'s normalisation', async () => {
    const store = storeOf([web, namesake]);
    const found = await recordsByRef(store, 'aws-instance-id:I-0A1B2C3D4E5F60718');
    expect(found.map((r) => r.id)).toEqual(['ast_web']);
    expect(store.keyReads).toEqual(['aws-instance-id:i-0a1b2c3d4e5f60718']);
  });

  it('tries a bare value as every key type, each record once however many keys match', async () => {
    const store = storeOf([web, namesake]);
    const found = await recordsByRef(store, 'Web-01');
    expect(found.map((r) => r.id).sort()).toEqual(['ast_web', 'idn_web']);
    expect(store.keyReads).toContain('hostname:web-01');
    expect(store.keyReads).toContain('name:web-01');
  });

  it('treats an unknown type prefix as part of a bare value, and finds nothing', async () => {
    const store = storeOf([web]);
    expect(await recordsByRef(store, 'gadget:web-01')).toEqual([]);
    expect(store.keyReads).not.toContain('gadget:web-01');
    expect(store.keyReads).toContain('name:gadget:web-01');
  });

  it('gives each record a key names with the keys of it that matched, none for an id', async () => {
    const store = storeOf([web, namesake]);
    const found = await matchesByRef(store, 'web-01');
    expect(found.map((m) => [m.record.id, m.keys.map(keyString)])).toEqual([
      ['ast_web', ['hostname:web-01', 'name:web-01']],
      ['idn_web', ['name:web-01']],
    ]);
    expect(await matchesByRef(store, 'ast_web')).toEqual([{ record: web, keys: [] }]);
  });
});
