import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../model/types.js';
import { parseFile, parseText, type Parsed } from '../../../test/helpers/parse.js';
import { fleetHostsFormat as fleet } from './fleet-format.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../../test/fixtures/fleet/${name}`, import.meta.url));
const bySource = (r: Parsed, id: string): Observation => {
  const found = r.observations.find((o) => o.sourceId === id);
  if (!found) throw new Error(`no observation ${id}`);
  return found;
};

describe('fleet-hosts: REST hosts list', () => {
  it('keys a host by serial, uuid, hostname, primary IP and MAC', async () => {
    const r = await parseFile(fleet, fixture('hosts.json'), { scope: 'fleet:prod' });
    const db = bySource(r, 'host:17');
    expect(db.scope).toBe('fleet:prod');
    expect(db.keys).toEqual([
      { type: 'serial-number', value: '7XK2QJ3' },
      { type: 'hardware-uuid', value: '9b2f4c1e-7a0d-4e3b-8c5f-2d6e8a0b1c3d' },
      { type: 'hostname', value: 'db-replica-2' },
      { type: 'ip', value: '10.4.8.21' },
      { type: 'mac', value: '0c:42:a1:5e:77:10' },
    ]);
    expect(db.attributes).toMatchObject({
      class: 'endpoint',
      platform: 'ubuntu',
      os: 'Ubuntu 22.04.4 LTS',
      lastSeenAt: '2025-03-03T09:01:12.000Z',
      runState: 'running',
      'fleet.status': 'online',
      owner: 'Data Platform',
      'fleet.publicIp': '198.51.100.23',
    });
  });

  it('makes the team an owner, once, and relates hosts to it', async () => {
    const r = await parseFile(fleet, fixture('hosts.json'));
    const teams = r.observations.filter((o) => o.kind === 'owner');
    expect(teams).toEqual([
      expect.objectContaining({
        sourceId: 'team:data platform',
        attributes: { name: 'Data Platform', ownerType: 'team' },
      }),
    ]);
    const target = { type: 'owner', value: 'data platform' };
    expect(bySource(r, 'host:17').relations).toEqual([{ type: 'owned-by', target }]);
    expect(bySource(r, 'host:18').relations).toEqual([]);
  });

  it('drops placeholder serials and a uuid shared by two machines, naming it', async () => {
    const r = await parseFile(fleet, fixture('hosts.json'));
    for (const id of ['host:18', 'host:19']) {
      const types = bySource(r, id).keys.map((k) => k.type);
      expect(types).toEqual(['hostname']);
    }
    const placeholders = r.warnings.filter((w) => w.code === 'PLACEHOLDER_KEY');
    expect(placeholders.map((w) => [w.item, w.field])).toEqual([
      [2, 'hardware_serial'],
      [3, 'hardware_serial'],
    ]);
    const cloned = r.warnings.filter((w) => w.code === 'CLONED_UUID');
    expect(cloned.map((w) => w.item)).toEqual([2, 3]);
    expect(cloned[0]!.message).toContain('11223344-5566-4778-899a-abbccddeeff0');
    expect(bySource(r, 'host:17').keys.map((k) => k.type)).toContain('hardware-uuid');
  });

  it('keeps a host without identifiers, reading 0001-01-01 as never seen', async () => {
    const r = await parseFile(fleet, fixture('hosts.json'));
    const fresh = bySource(r, 'host:20');
    expect(fresh.keys).toEqual([]);
    expect(fresh.attributes.lastSeenAt).toBeUndefined();
    expect(r.meta.complete).toBe(true);
  });
});

describe('fleet-hosts: fleetctl output', () => {
  it('reads one document after another and drops a cloned uuid from both hosts', async () => {
    const r = await parseFile(fleet, fixture('fleetctl-hosts.json'));
    const ids = r.observations.filter((o) => o.kind === 'asset').map((o) => o.sourceId);
    expect(ids.sort()).toEqual(['host:31', 'host:32', 'host:33']);
    expect(bySource(r, 'host:31').keys.map((k) => k.type)).toEqual([
      'serial-number',
      'hostname',
      'ip',
    ]);
    expect(bySource(r, 'host:33').keys).toContainEqual({
      type: 'hardware-uuid',
      value: 'd00dfeed-1111-4222-8333-444455556666',
    });
    expect(r.meta).toEqual({ scopes: ['fleet'], complete: true });
  });

  it('does not call a single host detail a complete listing', async () => {
    const doc = { kind: 'host', apiVersion: 'v1', spec: { id: 5, hostname: 'solo', uuid: '' } };
    const r = await parseText(fleet, 'one.json', JSON.stringify(doc, null, 2));
    expect(r.observations).toHaveLength(1);
    expect(r.meta.complete).toBe(false);
  });

  it('rejects a host with an unreadable seen_time and keeps the others', async () => {
    const text = JSON.stringify({
      hosts: [
        { id: 1, hostname: 'a', seen_time: '12/01/2025' },
        { id: 2, hostname: 'b', seen_time: '2025-01-12T00:00:00Z' },
      ],
    });
    const r = await parseText(fleet, 'h.json', text);
    expect(r.rejections).toEqual([
      expect.objectContaining({ item: 1, field: 'seen_time', code: 'BAD_TIME' }),
    ]);
    expect(r.observations.map((o) => o.sourceId)).toEqual(['host:2']);
  });

  it('detects fleetctl documents and the REST list', () => {
    const d = (head: string): number => fleet.detect({ path: 'x', head });
    expect(d('{"kind":"host","apiVersion":"v1","spec":{}}')).toBe(0.9);
    expect(d('{\n  "hosts": [\n    {"osquery_version": "5"}')).toBe(0.9);
    expect(d('{"action":"added","columns":{},"hostIdentifier":"h","unixTime":1}')).toBe(0);
  });
});
