import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/model/types.js';
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
      expect(d.scope).toBe('netbox:localhost:8000');
    }
    expect(p.observations.filter((o) => o.kind === 'owner')).toEqual([]);
    expect(p.meta).toEqual({ scopes: ['netbox:localhost:8000'], complete: true });
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
