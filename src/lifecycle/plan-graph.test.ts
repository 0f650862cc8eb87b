import { describe, expect, it } from 'vitest';
import type { InventoryRecord } from '../model/record.js';
import type { EntityKind } from '../model/types.js';
import type { Store } from '../store/port.js';
import { record } from '../../test/helpers/records.js';
import { HostTagIndex } from './plan-graph.js';

/** A store that answers identity scans only, counting them. */
function scanningStore(records: readonly InventoryRecord[]) {
  const calls = { scans: 0 };
  const store = {
    async *scanRecords(kind?: EntityKind) {
      calls.scans++;
      yield records.filter((r) => !kind || r.kind === kind);
    },
  } as unknown as Store;
  return { store, calls };
}

const host = record('ast_web', 'asset', [
  { type: 'aws-instance-id', value: 'i-0123456789abcdef0' },
  { type: 'hostname', value: 'web-01' },
], {});
const arn = (u: string) => [{ type: 'aws-arn' as const, value: `arn:aws:iam::1:user/${u}` }];
const byId = record('idn_deploy', 'identity', arn('d'),
  { 'aws.tag.RunsOn': 'I-0123456789ABCDEF0' });
const byName = record('idn_backup', 'identity', arn('b'), { 'aws.tag.host': 'db-02, WEB-01' });
const elsewhere = record('idn_other', 'identity', arn('o'),
  { 'aws.tag.RunsOn': 'db-02', 'aws.tag.Team': 'web-01' });

describe('HostTagIndex', () => {
  it('finds the identities whose host tags name any key of a host, each once, by id', async () => {
    const { store } = scanningStore([elsewhere, byName, byId, host]);
    const tags = new HostTagIndex(store, ['RunsOn', 'Host']);
    const found = await tags.naming(host.keys);
    // Tag names and host keys compare by their own case rules; a tag not configured is not read.
    expect(found).toEqual(['idn_backup', 'idn_deploy']);
    expect(await tags.naming([{ type: 'hostname', value: 'db-02' }]))
      .toEqual(['idn_backup', 'idn_other']);
    expect(await tags.naming([{ type: 'hostname', value: 'web-99' }])).toEqual([]);
    // And the other way: the keys an identity's tags name (each value read as every host key
    // type it parses as), none of another identity's.
    const named = (await tags.hostKeysOf('idn_backup')).map((k) => `${k.type}:${k.value}`);
    expect(named).toEqual(expect.arrayContaining(['hostname:db-02', 'hostname:web-01']));
    expect(named.filter((k) => k.startsWith('hostname:'))).toHaveLength(2);
    expect(named.some((k) => k.includes('0123456789abcdef0'))).toBe(false);
    expect(await tags.hostKeysOf('idn_none')).toEqual([]);
  });

  it('reads the identities once for all hosts asked about, not at all without tags', async () => {
    const { store, calls } = scanningStore([byId, byName, host]);
    const tags = new HostTagIndex(store, ['RunsOn']);
    await tags.naming(host.keys);
    await tags.naming([{ type: 'hostname', value: 'db-02' }]);
    expect(calls.scans).toBe(1);
    const none = scanningStore([byId]);
    expect(await new HostTagIndex(none.store, []).naming(host.keys)).toEqual([]);
    expect(none.calls.scans).toBe(0);
  });
});
