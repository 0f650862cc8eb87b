import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../model/types.js';
import { parseFile, parseText, type Parsed } from '../../../test/helpers/parse.js';
import { netboxFormat as netbox } from './netbox-format.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../../test/fixtures/netbox/${name}`, import.meta.url));
const PAGE = fixture('devices-page.json');
const bySource = (r: Parsed, id: string): Observation => {
  const found = r.observations.find((o) => o.sourceId === id);
  if (!found) throw new Error(`no observation ${id}`);
  return found;
};

describe('netbox: devices', () => {
  it('keys a device by netbox id, serial, asset tag, name and bare IPs', async () => {
    const r = await parseFile(netbox, PAGE);
    const db = bySource(r, 'dcim:412');
    expect(db.scope).toBe('netbox:netbox.example.net/dcim.devices');
    expect(db.keys).toEqual([
      { type: 'netbox-id', value: 'netbox:dcim:412' },
      { type: 'serial-number', value: 'HX7QK93' },
      { type: 'asset-tag', value: 'AT-004412' },
      { type: 'name', value: 'fra1-db-03' },
      { type: 'ip', value: '10.10.4.33' },
      { type: 'ip', value: '2001:db8:10::33' },
    ]);
  });

  it('admits what NetBox lists and reads role, site, custom fields and tags', async () => {
    const r = await parseFile(netbox, PAGE);
    expect(bySource(r, 'dcim:412').attributes).toMatchObject({
      class: 'netbox-device',
      admission: 'approved',
      lifecycle: 'in-service',
      criticality: 'high',
      location: 'FRA1',
      platform: 'Ubuntu 22.04',
      owner: 'Payments',
      tags: ['pci', 'backup-daily'],
      updatedAt: '2025-01-20T13:03:11.522Z',
      'netbox.role': 'Database Server',
      'netbox.manufacturer': 'Dell',
      'netbox.deviceType': 'PowerEdge R750',
      'netbox.cf.cost_center': 'CC-4410',
      'netbox.cf.patch_group': 'Wave 2',
    });
    expect(bySource(r, 'dcim:412').attributes).not.toHaveProperty('netbox.cf.decommission_ticket');
  });

  it('maps statuses to lifecycle stages and retires only a status that says retired', async () => {
    const r = await parseFile(netbox, PAGE);
    const stage = (id: string): unknown[] => {
      const a = bySource(r, id).attributes;
      return [a.lifecycle, a.admission];
    };
    expect(stage('dcim:413')).toEqual(['planned', 'approved']);
    expect(stage('dcim:77')).toEqual(['decommissioning', 'approved']);
    expect(stage('dcim:78')).toEqual(['retired', 'retired']);
  });

  it('relates devices to tenant and contacts as owners, each observed once', async () => {
    const r = await parseFile(netbox, PAGE);
    const owners = r.observations.filter((o) => o.kind === 'owner');
    expect(owners.map((o) => o.sourceId)).toEqual(['tenant:9', 'contact:31']);
    expect(owners[1]!.keys).toContainEqual({ type: 'email', value: 'ines.varga@example.net' });
    expect(bySource(r, 'dcim:412').relations).toEqual([
      { type: 'owned-by', target: { type: 'owner', value: 'payments' } },
      { type: 'owned-by', target: { type: 'email', value: 'ines.varga@example.net' } },
    ]);
    expect(bySource(r, 'dcim:77').relations).toEqual([
      { type: 'hosted-on', target: { type: 'netbox-id', value: 'netbox:dcim:412' } },
    ]);
  });

  it('warns about a placeholder serial and calls a page with a next link partial', async () => {
    const r = await parseFile(netbox, PAGE);
    expect(r.warnings).toEqual([
      expect.objectContaining({ item: 2, field: 'serial', code: 'PLACEHOLDER_KEY' }),
    ]);
    expect(bySource(r, 'dcim:413').keys.map((k) => k.type)).toEqual(['netbox-id', 'name']);
    expect(r.meta).toEqual({
      scopes: ['netbox:netbox.example.net/dcim.devices'], complete: false,
    });
  });
});

describe('netbox: virtual machines and older shapes', () => {
  it('reads a single VM with a plain string status it does not know', async () => {
    const r = await parseFile(netbox, fixture('vm.json'));
    const vm = bySource(r, 'virtualization:1203');
    expect(vm.keys).toContainEqual({ type: 'netbox-id', value: 'netbox:virtualization:1203' });
    expect(vm.keys).toContainEqual({ type: 'ip', value: '10.10.8.15' });
    expect(vm.attributes).toMatchObject({
      class: 'netbox-virtual-machine',
      admission: 'approved',
      'netbox.status': 'quarantined',
      'netbox.cluster': 'fra1-vsphere',
      'netbox.cf.criticality': 'tier-0',
    });
    expect(vm.attributes.lifecycle).toBeUndefined();
    expect(vm.attributes.criticality).toBeUndefined();
    expect(vm.relations).toEqual([
      { type: 'hosted-on', target: { type: 'netbox-id', value: 'netbox:dcim:412' } },
    ]);
    expect(r.warnings).toEqual([
      expect.objectContaining({ field: 'status', code: 'UNKNOWN_VALUE' }),
    ]);
    expect(r.meta.complete).toBe(false);
  });

  it('reads the older {value: 1, label} status and refuses a secret in context data', async () => {
    const r = await parseFile(netbox, fixture('legacy-devices.json'));
    const fw = bySource(r, 'dcim:5');
    expect(fw.scope).toBe('netbox:netbox.lab:8000/dcim.devices');
    expect(fw.attributes).toMatchObject({ lifecycle: 'in-service', 'netbox.role': 'Firewall' });
    expect(fw.keys.map((k) => k.type)).toEqual(['netbox-id', 'serial-number', 'name']);
    expect(r.rejections).toEqual([
      expect.objectContaining({
        item: 2,
        field: 'local_context_data.snmp.community_password',
        code: 'SECRET_REFUSED',
      }),
    ]);
    expect(JSON.stringify(r)).not.toContain('made-up-community-value');
  });

  it('uses --scope when nothing in the input names the NetBox host', async () => {
    const text = JSON.stringify({ id: 9, name: 'x', device_type: {}, site: {}, status: 'offline' });
    const r = await parseText(netbox, 'one.json', text, { scope: 'netbox:dc2' });
    expect(r.observations[0]!.scope).toBe('netbox:dc2/dcim.devices');
    expect(r.observations[0]!.attributes.lifecycle).toBe('maintenance');
  });

  it('detects NetBox pages and objects, not other JSON', () => {
    const d = (head: string): number => netbox.detect({ path: 'x', head });
    const url = '"url":"http://nb/api/dcim/devices/1/"';
    expect(d(`{"count":1,"next":null,"results":[{${url}}]}`)).toBe(0.9);
    expect(d('{"id":1,"device_type":{},"site":{}}')).toBe(0.85);
    expect(d('{"count":1,"results":[{"id":1}]}')).toBe(0);
  });
});
