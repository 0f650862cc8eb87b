import { describe, expect, it } from 'vitest';
import type { Observation } from '../../model/types.js';
import { parseText } from '../../../test/helpers/parse.js';
import { servicenowCmdb } from './index.js';

// Made-up Table API responses for an instance called "acme".
const API = 'https://acme.service-now.com/api/now/table';
const DANA = 'd0a1b2c3d4e5f60718293a4b5c6d7e8f';
const OMAR = 'e1b2c3d4e5f60718293a4b5c6d7e8f90';
const LINUX_OPS = 'f2c3d4e5f60718293a4b5c6d7e8f90a1';

const ref = (table: string, id: string): object => ({ link: `${API}/${table}/${id}`, value: id });
const both = (v: string): object => ({ display_value: v, value: v });

const listJson = JSON.stringify({
  result: [
    {
      sys_id: '7a8b9c0d1e2f30415263748596a7b8c9',
      name: 'app-11',
      sys_class_name: 'cmdb_ci_linux_server',
      install_status: '1',
      owned_by: 'Dana Whitfield', // plain value (sysparm_exclude_reference_link, display values)
      last_discovered: '2024-05-01 12:00:00',
    },
    {
      sys_id: '8b9c0d1e2f30415263748596a7b8c9d0',
      name: 'app-12',
      sys_class_name: 'cmdb_ci_linux_server',
      install_status: '6',
      owned_by: ref('sys_user', OMAR),
      support_group: ref('sys_user_group', LINUX_OPS),
    },
    {
      sys_id: '9c0d1e2f30415263748596a7b8c9d0e1',
      name: 'app-13',
      sys_class_name: 'cmdb_ci_win_server',
      install_status: '3',
      owned_by: { display_value: 'Dana Whitfield', ...ref('sys_user', DANA) },
      busines_criticality: '2 - somewhat critical',
    },
  ],
});

const find = (obs: readonly Observation[], name: string): Observation =>
  obs.find((o) => o.attributes['name'] === name)!;

describe('servicenow-cmdb Table API JSON', () => {
  it('reads plain references, {link, value} and {display_value, link, value}', async () => {
    const r = await parseText(servicenowCmdb, 'ci.json', listJson);
    expect(find(r.observations, 'app-11').relations).toEqual([
      { type: 'owned-by', target: { type: 'owner', value: 'dana whitfield' } },
    ]);
    const app12 = find(r.observations, 'app-12');
    expect(app12.relations).toEqual([
      { type: 'owned-by', target: { type: 'cmdb-sys-id', value: OMAR } },
    ]);
    expect(app12.attributes['owner']).toBeUndefined();
    expect(app12.attributes['supportGroup']).toBe(LINUX_OPS);
    expect(app12.attributes['lifecycle']).toBe('planned');
    const app13 = find(r.observations, 'app-13');
    expect(app13.attributes).toMatchObject({
      owner: 'Dana Whitfield',
      lifecycle: 'maintenance',
      criticality: 'high',
    });
  });

  it('merges an owner known by name and by sys_id into one owner observation', async () => {
    const r = await parseText(servicenowCmdb, 'ci.json', listJson);
    const owners = r.observations.filter((o) => o.kind === 'owner');
    expect(owners.map((o) => [o.sourceId, o.keys])).toEqual([
      [
        'owner:dana whitfield',
        [
          { type: 'owner', value: 'dana whitfield' },
          { type: 'cmdb-sys-id', value: DANA },
        ],
      ],
      [`cmdb-sys-id:${OMAR}`, [{ type: 'cmdb-sys-id', value: OMAR }]],
      [`cmdb-sys-id:${LINUX_OPS}`, [{ type: 'cmdb-sys-id', value: LINUX_OPS }]],
    ]);
    expect(owners[2]!.attributes).toEqual({ ownerType: 'team' });
  });

  it('takes the instance from a link; several classes are scoped to cmdb_ci', async () => {
    const r = await parseText(servicenowCmdb, 'ci.json', listJson);
    const scopes = new Set(r.observations.map((o) => o.scope));
    expect(scopes).toEqual(new Set(['servicenow:acme/cmdb_ci']));
    expect(r.meta).toEqual({ scopes: ['servicenow:acme/cmdb_ci'], complete: true });
    expect(r.meta.asOf).toBeUndefined();
  });

  it('reads stored date-times as UTC without a warning', async () => {
    const r = await parseText(servicenowCmdb, 'ci.json', listJson, { timezone: 'Asia/Tokyo' });
    const app11 = find(r.observations, 'app-11');
    expect(app11.attributes['lastSeenAt']).toBe('2024-05-01T12:00:00.000Z');
    expect(r.warnings).toEqual([]);
  });

  it('reads the sysparm_display_value=all shape, values from `value`', async () => {
    const record = {
      sys_id: both('a0b1c2d3e4f5061728394a5b6c7d8e9f'),
      name: { display_value: 'pay-db-01', value: 'pay-db-01' },
      sys_class_name: { display_value: 'Linux Server', value: 'cmdb_ci_linux_server' },
      install_status: { display_value: 'Retired', value: '7' },
      operational_status: { display_value: 'Non-Operational', value: '2' },
      busines_criticality: { display_value: '1 - most critical', value: '1' },
      used_for: { display_value: 'Production', value: 'Production' },
      owned_by: { display_value: 'Priya Raman', link: `${API}/sys_user/${DANA}`, value: DANA },
      last_discovered: { display_value: '01/05/2024 21:00:00', value: '2024-05-01 12:00:00' },
      u_patch_window: { display_value: 'Sunday 02:00', value: 'sun0200' },
    };
    const r = await parseText(servicenowCmdb, 'one.json', JSON.stringify({ result: record }));
    const obs = r.observations[0]!;
    expect(obs.sourceId).toBe('a0b1c2d3e4f5061728394a5b6c7d8e9f');
    expect(obs.attributes).toMatchObject({
      class: 'cmdb_ci_linux_server',
      admission: 'retired',
      lifecycle: 'retired',
      criticality: 'critical',
      environment: 'production',
      owner: 'Priya Raman',
      lastSeenAt: '2024-05-01T12:00:00.000Z',
      'cmdb.u_patch_window': 'Sunday 02:00',
    });
    expect(r.rejections).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.meta.scopes).toEqual(['servicenow:acme/cmdb_ci_linux_server']);
  });

  it('reads display-value exports as local times and warns once', async () => {
    const rows = ['2024-05-01 12:00:00', '2024-05-02 12:00:00'].map((t, i) => ({
      sys_id: `b1c2d3e4f5061728394a5b6c7d8e9f0${i}`,
      name: `kiosk-${i}`,
      install_status: 'Installed',
      owned_by: { display_value: 'Dana Whitfield', link: `${API}/sys_user/${DANA}` },
      last_discovered: t,
    }));
    const text = JSON.stringify({ result: rows });
    const berlin = await parseText(servicenowCmdb, 'd.json', text, { timezone: 'Europe/Berlin' });
    const kiosk = find(berlin.observations, 'kiosk-0');
    expect(kiosk.attributes['lastSeenAt']).toBe('2024-05-01T10:00:00.000Z');
    const none = await parseText(servicenowCmdb, 'd.json', text);
    expect(none.warnings.map((w) => w.code)).toEqual(['TIME_ZONE_ASSUMED']);
  });

  it('makes a service account an identity keyed by its ARN', async () => {
    const arn = 'arn:aws:iam::012345678901:role/batch-runner';
    const text = JSON.stringify({
      result: [
        {
          sys_id: 'c2d3e4f5061728394a5b6c7d8e9f0a1b',
          name: 'batch-runner',
          sys_class_name: 'cmdb_ci_service_account',
          object_id: arn,
        },
      ],
    });
    const r = await parseText(servicenowCmdb, 'sa.json', text);
    expect(r.observations[0]).toMatchObject({
      kind: 'identity',
      attributes: { identityType: 'service', class: 'cmdb_ci_service_account' },
      keys: [
        { type: 'cmdb-sys-id', value: 'c2d3e4f5061728394a5b6c7d8e9f0a1b' },
        { type: 'aws-arn', value: arn },
        { type: 'name', value: 'batch-runner' },
      ],
    });
  });

  it('keys a service account CI by the SPIFFE ID in its object_id (a SPIRE workload)', async () => {
    const text = JSON.stringify({
      result: [
        {
          sys_id: 'e4f5061728394a5b6c7d8e9f0a1b2c3d',
          name: 'checkout',
          sys_class_name: 'cmdb_ci_service_account',
          object_id: 'spiffe://Shop.Example/ns/web/sa/checkout',
        },
      ],
    });
    const r = await parseText(servicenowCmdb, 'sa.json', text);
    expect(r.observations[0]).toMatchObject({ kind: 'identity' });
    expect(r.observations[0]!.keys).toEqual([
      { type: 'cmdb-sys-id', value: 'e4f5061728394a5b6c7d8e9f0a1b2c3d' },
      { type: 'spiffe-id', value: 'spiffe://shop.example/ns/web/sa/checkout' },
      { type: 'name', value: 'checkout' },
    ]);
  });

  it('keeps a cloud service account an asset keyed by its account id', async () => {
    const text = JSON.stringify({
      result: [
        {
          sys_id: 'd3e4f5061728394a5b6c7d8e9f0a1b2c',
          name: 'prod',
          sys_class_name: 'cmdb_ci_cloud_service_account',
          account_id: '004455667788',
        },
      ],
    });
    const r = await parseText(servicenowCmdb, 'acct.json', text);
    expect(r.observations[0]!.kind).toBe('asset');
    const account = { type: 'aws-account-id', value: '004455667788' };
    expect(r.observations[0]!.keys).toContainEqual(account);
  });

  it('rejects malformed records by number and field, and reads the rest', async () => {
    const text = JSON.stringify({
      result: [
        'not a record',
        { sys_id: 'e4f5061728394a5b6c7d8e9f0a1b2c3d', name: 'ok-1' },
        { sys_id: 'f5061728394a5b6c7d8e9f0a1b2c3d4e', name: 'bad', ip_address: ['10.0.0.1'] },
      ],
    });
    const r = await parseText(servicenowCmdb, 'm.json', text);
    expect(r.rejections).toEqual([
      expect.objectContaining({ file: 'm.json', item: 1, code: 'BAD_RECORD' }),
      expect.objectContaining({ item: 3, field: 'ip_address', code: 'BAD_RECORD' }),
    ]);
    expect(r.observations.map((o) => o.attributes['name'])).toEqual(['ok-1']);
  });

  it('keeps the records before a truncation and marks the run incomplete', async () => {
    const full = JSON.stringify({
      result: [
        { sys_id: '061728394a5b6c7d8e9f0a1b2c3d4e5f', name: 'first' },
        { sys_id: '1728', name: 'cut' },
      ],
    });
    const r = await parseText(servicenowCmdb, 't.json', full.slice(0, full.indexOf('"cut"')));
    expect(r.observations.map((o) => o.attributes['name'])).toEqual(['first']);
    expect(r.rejections).toEqual([expect.objectContaining({ code: 'BAD_JSON', item: 2 })]);
    expect(r.meta.complete).toBe(false);
  });

  it('reads a CMDB Instance API record wrapped by another tool', async () => {
    const text = JSON.stringify({
      Integration: {
        Record: {
          Attributes: {
            sys_id: '28394a5b6c7d8e9f0a1b2c3d4e5f6071',
            name: 'wrapped',
            sys_class_name: 'cmdb_ci_server',
          },
          InboundRelations: [],
        },
      },
    });
    const r = await parseText(servicenowCmdb, 'w.json', text, { scope: 'acme' });
    expect(r.observations[0]).toMatchObject({
      sourceId: '28394a5b6c7d8e9f0a1b2c3d4e5f6071',
      scope: 'servicenow:acme/cmdb_ci_server',
    });
  });

  it('refuses a JSON document that holds no records', async () => {
    const r = await parseText(servicenowCmdb, 'n.json', JSON.stringify({ items: [{ id: 1 }] }));
    expect(r.observations).toEqual([]);
    expect(r.rejections).toEqual([expect.objectContaining({ code: 'NOT_SERVICENOW' })]);
    expect(r.meta.complete).toBe(false);
  });

  it('gives every record of a long file the same scope', async () => {
    const result = Array.from({ length: 620 }, (_, i) => ({
      sys_id: i.toString(16).padStart(32, '0'),
      name: `n-${i}`,
      sys_class_name: i < 500 ? 'cmdb_ci_server' : 'cmdb_ci_linux_server',
      ...(i === 0 ? { location: { link: `${API}/cmn_location/x`, value: 'x' } } : {}),
    }));
    const r = await parseText(servicenowCmdb, 'big.json', '\uFEFF' + JSON.stringify({ result }));
    expect(r.observations).toHaveLength(620);
    const scopes = new Set(r.observations.map((o) => o.scope));
    // One class in the first 500 records: that class's table, kept past them.
    expect(scopes).toEqual(new Set(['servicenow:acme/cmdb_ci_server']));
  });
});
