import { describe, expect, it } from 'vitest';
import type { InventoryRecord } from '../../src/model/record.js';
import { fixedClock } from '../../src/model/time.js';
import type { Observation } from '../../src/model/types.js';
import { ingest } from '../../src/reconcile/ingest.js';
import { DEFAULT_PRECEDENCE } from '../../src/reconcile/rules.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { netboxFormat as netbox } from '../../src/sources/netbox/index.js';
import { fileInput } from '../../src/sources/read-file.js';
import { detectFormat } from '../../src/sources/registry.js';
import { corpusFiles, corpusPath, hasCorpus } from '../helpers/corpus.js';
import { parseFile, type Parsed } from '../helpers/parse.js';

const DIR = 'netbox';
const parse = (name: string): Promise<Parsed> => parseFile(netbox, corpusPath(DIR, name));
const byId = (p: Parsed, id: string): Observation => {
  const o = p.observations.find((x) => x.sourceId === id);
  if (!o) throw new Error(`no observation ${id}`);
  return o;
};

describe.skipIf(!hasCorpus)('netbox over the corpus', () => {
  it('detects and ingests every fixture without a crash or a rejection', async () => {
    for (const file of corpusFiles(DIR)) {
      expect(detectFormat(fileInput(file)).name).toBe('netbox');
      const p = await parseFile(netbox, file);
      expect(p.rejections).toEqual([]);
    }
  });

  it('admits the 11 devices with the older status shape as active, without tenants', async () => {
    const p = await parse('pynetbox_dcim_devices.json');
    const devices = p.observations.filter((o) => o.kind === 'asset');
    expect(devices).toHaveLength(11);
    for (const d of devices) {
      expect(d.attributes).toMatchObject({ admission: 'approved', lifecycle: 'in-service' });
      expect(d.attributes.owner).toBeUndefined();
      expect(d.scope).toBe('netbox:localhost:8000/dcim.devices');
    }
    expect(p.observations.filter((o) => o.kind === 'owner')).toEqual([]);
    expect(p.meta).toEqual({ scopes: ['netbox:localhost:8000/dcim.devices'], complete: true });
  });

  it('keys devices by serial where there is one and by primary IP without its length', async () => {
    const p = await parse('pynetbox_dcim_devices.json');
    const core2 = byId(p, 'dcim:8');
    expect(core2.keys).toEqual([
      { type: 'netbox-id', value: 'netbox:dcim:8' },
      { type: 'serial-number', value: '67856734534' },
      { type: 'name', value: 'test1-core2' },
      { type: 'ip', value: '10.0.254.2' },
    ]);
    const core1 = byId(p, 'dcim:2');
    expect(core1.keys.map((k) => k.type)).toEqual(['netbox-id', 'name', 'ip']);
    expect(core1.attributes).toMatchObject({
      'netbox.role': 'Core Switch',
      'netbox.deviceType': 'EX9214',
      location: 'TEST1',
    });
    // 5555555555 is one digit repeated: a placeholder that must not identify.
    const edge1 = byId(p, 'dcim:1');
    expect(edge1.keys.map((k) => k.type)).not.toContain('serial-number');
    expect(p.warnings).toContainEqual(
      expect.objectContaining({ field: 'serial', code: 'PLACEHOLDER_KEY' }),
    );
  });

  it('reads the single device, the VM without tenant and the tenants as teams', async () => {
    const device = await parse('pynetbox_dcim_device.json');
    expect(byId(device, 'dcim:1').attributes).toMatchObject({
      name: 'test1-edge1',
      platform: 'Juniper Junos',
      'netbox.status': 'active',
    });
    expect(device.meta.complete).toBe(false);
    const vms = await parse('pynetbox_virtualization_virtual_machines.json');
    expect(byId(vms, 'virtualization:1').attributes).toMatchObject({
      class: 'netbox-virtual-machine',
      name: 'vm-test01',
      'netbox.cluster': 'vm-test-cluster',
      lifecycle: 'in-service',
    });
    const tenants = await parse('pynetbox_tenancy_tenants.json');
    expect(tenants.observations.map((o) => o.attributes.name)).toEqual([
      'TEST Tenant 1',
      'TEST Tenant 2',
    ]);
    expect(tenants.observations[0]!.attributes.ownerType).toBe('team');
  });

  it('skips IP address lists with one warning', async () => {
    const p = await parse('pynetbox_ipam_ip_addresses.json');
    expect(p.observations).toEqual([]);
    expect(p.warnings).toEqual([expect.objectContaining({ code: 'UNSUPPORTED_OBJECT' })]);
  });
});

describe.skipIf(!hasCorpus)('netbox listings of different object types', () => {
  const LISTS = [
    'pynetbox_dcim_devices.json',
    'pynetbox_tenancy_tenants.json',
    'pynetbox_virtualization_virtual_machines.json',
  ];
  const orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];

  it('mark nothing of another type missing, in any order', async () => {
    for (const order of orders) {
      const store = new SqliteStore({ path: ':memory:' });
      await store.migrate();
      for (const i of order) {
        const r = await ingest(store, netbox, fileInput(corpusPath(DIR, LISTS[i]!)), {
          rules: DEFAULT_PRECEDENCE,
          clock: fixedClock('2026-12-05T00:00:00Z'),
          // Each list a day apart: a later complete list of one type must not retire another.
          asOf: `2026-12-0${i + 1}T00:00:00.000Z`,
        });
        expect(r.run.complete).toBe(true);
        expect(r.counts.missing).toBe(0);
      }
      const records: InventoryRecord[] = [];
      for await (const page of store.scanRecords()) records.push(...page);
      // 11 devices, 1 VM, 2 tenants.
      expect(records).toHaveLength(14);
      const missing = records.filter((r) => r.sightings.some((s) => s.status === 'missing'));
      expect(missing.map((r) => r.name)).toEqual([]);
      await store.close();
    }
  });
});
