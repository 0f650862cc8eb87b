import { describe, expect, it } from 'vitest';
import type { Observation } from '../../model/types.js';
import { parseText } from '../../../test/helpers/parse.js';
import { servicenowCmdb } from './index.js';

// Made-up exports in the shape ServiceNow writes: every cell quoted, comma separated.
const q = (cells: readonly string[]): string =>
  cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');

const FIELD_HEADER = [
  'sys_id', 'name', 'sys_class_name', 'serial_number', 'asset_tag', 'fqdn', 'host_name',
  'ip_address', 'mac_address', 'object_id', 'owned_by', 'managed_by', 'support_group',
  'install_status', 'operational_status', 'used_for', 'busines_criticality', 'last_discovered',
  'sys_updated_on', 'sys_created_on', 'short_description', 'os', 'u_cost_center',
];

const WEB_01 = [
  '0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'web-01', 'cmdb_ci_linux_server', 'VMW-4221-88',
  'P000123', 'web-01.acme.example', 'web-01', '10.1.2.3', '00:50:56:AB:CD:EF',
  'i-0abc1234def567890', 'Dana Whitfield', 'Omar Haddad', 'Linux Ops', 'Installed',
  'Operational', 'Production', '1 - most critical', '2024-03-01 09:30:00',
  '2024-03-02 10:00:00', '2023-01-15 08:00:00', 'Checkout web tier',
  'Red Hat Enterprise Linux 9', 'CC-4410',
];

const DB_07 = [
  '1b2c3d4e5f60718293a4b5c6d7e8f90a', 'db-07', 'cmdb_ci_linux_server', '', '', '', '', '',
  '', '', '', '', 'DBA Team', '7', '6', 'QA', '3', '', '', '', '', '', '',
];

const fieldCsv = [q(FIELD_HEADER), q(WEB_01), q(DB_07)].join('\n') + '\n';

const byName = (obs: readonly Observation[], name: string): Observation =>
  obs.find((o) => o.attributes['name'] === name)!;

describe('servicenow-cmdb CSV under field names', () => {
  it('reads keys, attributes and the owner of a CI', async () => {
    const berlin = { timezone: 'Europe/Berlin' };
    const r = await parseText(servicenowCmdb, 'servers.csv', fieldCsv, berlin);
    const web = byName(r.observations, 'web-01');
    expect(web.kind).toBe('asset');
    expect(web.sourceId).toBe('0a1b2c3d4e5f60718293a4b5c6d7e8f9');
    expect(web.keys).toEqual([
      { type: 'cmdb-sys-id', value: '0a1b2c3d4e5f60718293a4b5c6d7e8f9' },
      { type: 'aws-instance-id', value: 'i-0abc1234def567890' },
      { type: 'serial-number', value: 'VMW-4221-88' },
      { type: 'asset-tag', value: 'P000123' },
      { type: 'hostname', value: 'web-01' },
      { type: 'fqdn', value: 'web-01.acme.example' },
      { type: 'ip', value: '10.1.2.3' },
      { type: 'mac', value: '00:50:56:ab:cd:ef' },
      { type: 'name', value: 'web-01' },
    ]);
    expect(web.attributes).toMatchObject({
      class: 'cmdb_ci_linux_server',
      platform: 'linux',
      admission: 'approved',
      lifecycle: 'in-service',
      criticality: 'critical',
      environment: 'production',
      owner: 'Dana Whitfield',
      managedBy: 'Omar Haddad',
      supportGroup: 'Linux Ops',
      purpose: 'Checkout web tier',
      'cmdb.u_cost_center': 'CC-4410',
      // Berlin is UTC+1 in March: local wall-clock times are read in the declared zone.
      lastSeenAt: '2024-03-01T08:30:00.000Z',
      updatedAt: '2024-03-02T09:00:00.000Z',
      createdAt: '2023-01-15T07:00:00.000Z',
    });
    expect(web.relations).toEqual([
      { type: 'owned-by', target: { type: 'owner', value: 'dana whitfield' } },
    ]);
    expect(r.warnings).toEqual([]);
    expect(r.meta).toEqual({ scopes: ['servicenow:default/cmdb_ci_linux_server'], complete: true });
  });

  it('reads choice codes like labels, and falls back to the support group as owner', async () => {
    const r = await parseText(servicenowCmdb, 'servers.csv', fieldCsv, { timezone: 'UTC' });
    const db = byName(r.observations, 'db-07');
    expect(db.attributes).toMatchObject({
      admission: 'retired',
      lifecycle: 'retired',
      criticality: 'medium',
      environment: 'test',
      owner: 'DBA Team',
      'cmdb.install_status': 'Retired',
      'cmdb.operational_status': 'Retired',
    });
    expect(db.relations).toEqual([
      { type: 'owned-by', target: { type: 'owner', value: 'dba team' } },
    ]);
  });

  it('takes a placeholder owner for no owner, and the support group instead', async () => {
    const na = WEB_01.map((c, i) => (FIELD_HEADER[i] === 'owned_by' ? 'N/A' : c));
    const r = await parseText(servicenowCmdb, 's.csv', [q(FIELD_HEADER), q(na)].join('\n'));
    const web = byName(r.observations, 'web-01');
    expect(web.attributes['owner']).toBe('Linux Ops');
    expect(web.relations).toEqual([
      { type: 'owned-by', target: { type: 'owner', value: 'linux ops' } },
    ]);
    expect(r.observations.filter((o) => o.kind === 'owner').map((o) => o.sourceId)).toEqual([
      'owner:linux ops',
    ]);
  });

  it('emits one owner observation per distinct owner and support group', async () => {
    const twin = WEB_01.map((c, i) => (i === 0 ? 'f'.repeat(31) + '1' : c));
    const rows = [q(FIELD_HEADER), q(WEB_01), q(DB_07), q(twin)];
    const r = await parseText(servicenowCmdb, 'servers.csv', rows.join('\n'), { timezone: 'UTC' });
    const owners = r.observations.filter((o) => o.kind === 'owner');
    expect(owners.map((o) => [o.sourceId, o.attributes['ownerType']])).toEqual([
      ['owner:dana whitfield', 'person'],
      ['owner:linux ops', 'team'],
      ['owner:dba team', 'team'],
    ]);
    expect(owners[0]!.keys).toEqual([{ type: 'owner', value: 'dana whitfield' }]);
  });

  it('reads times without a zone as UTC and warns once per file', async () => {
    const r = await parseText(servicenowCmdb, 'servers.csv', fieldCsv);
    const web = byName(r.observations, 'web-01');
    expect(web.attributes['lastSeenAt']).toBe('2024-03-01T09:30:00.000Z');
    const assumed = r.warnings.filter((w) => w.code === 'TIME_ZONE_ASSUMED');
    expect(assumed).toHaveLength(1);
    expect(assumed[0]).toMatchObject({ file: 'servers.csv', line: 2, field: 'last_discovered' });
  });

  it('refuses an unknown time zone before reading', async () => {
    const mars = { timezone: 'Mars/Olympus' };
    await expect(parseText(servicenowCmdb, 's.csv', fieldCsv, mars)).rejects.toThrow(
      /unknown time zone/,
    );
  });
});

const LABEL_HEADER = [
  'Sys ID', 'Name', 'Class', 'Serial number', 'Status', 'Operational status', 'Owned by',
  'Business criticality', 'Used for', 'Most recent discovery', 'Description', 'Rack position',
];

describe('servicenow-cmdb CSV under labels', () => {
  const labelCsv =
    '\uFEFF' +
    [
      q(LABEL_HEADER),
      q(['2c3d4e5f60718293a4b5c6d7e8f90a1b', 'fin-app-02', 'Windows Server',
        'To Be Filled By O.E.M.', 'Pending Install', 'Ready', 'Priya Raman',
        '2 - somewhat critical', 'Disaster recovery',
        '2024-04-10 17:45:00', 'Ledger batch host,\r\nruns nightly close', 'R12-U07']),
      q(['', '', 'Server', 'SN-1', 'Installed', '', '', '', '', '', '', '']),
      q(['3d4e5f60718293a4b5c6d7e8f90a1b2c', 'mail-gw', 'Server', 'SN-9', 'Borrowed', '', '',
        '', 'Demonstration', '31/04/2024 10:00', '', '']),
      q(['4e5f60718293a4b5c6d7e8f90a1b2c3d', 'edge-fw-1', 'Server', 'SN-10', 'Pending Retirement',
        '', '', '4', 'Staging', '', '', 'R01-U01']),
    ].join('\r\n');

  it('maps labels to fields and reads a BOM, CRLF and a multi-line quoted cell', async () => {
    // The cell's own line break is CRLF, as Windows exports write it: read as one newline.
    const r = await parseText(servicenowCmdb, 'labels.csv', labelCsv, { timezone: 'UTC' });
    const fin = byName(r.observations, 'fin-app-02');
    expect(fin.sourceId).toBe('2c3d4e5f60718293a4b5c6d7e8f90a1b');
    expect(fin.attributes).toMatchObject({
      class: 'cmdb_ci_win_server',
      platform: 'windows',
      lifecycle: 'provisioning',
      admission: 'approved',
      criticality: 'high',
      environment: 'dr',
      owner: 'Priya Raman',
      purpose: 'Ledger batch host,\nruns nightly close',
      lastSeenAt: '2024-04-10T17:45:00.000Z',
      'cmdb.rack_position': 'R12-U07',
    });
    expect(fin.line).toBe(2);
    expect(fin.keys.map((k) => k.type)).toEqual(['cmdb-sys-id', 'name']);
  });

  it('warns once for an unknown column and keeps its values', async () => {
    const r = await parseText(servicenowCmdb, 'labels.csv', labelCsv, { timezone: 'UTC' });
    const unknown = r.warnings.filter((w) => w.code === 'UNKNOWN_COLUMN');
    expect(unknown).toEqual([
      expect.objectContaining({ line: 1, field: 'Rack position' }),
    ]);
    expect(byName(r.observations, 'edge-fw-1').attributes['cmdb.rack_position']).toBe('R01-U01');
  });

  it('reports a placeholder serial number and drops it as a key', async () => {
    const r = await parseText(servicenowCmdb, 'labels.csv', labelCsv, { timezone: 'UTC' });
    const w = r.warnings.find((x) => x.code === 'PLACEHOLDER_KEY');
    expect(w).toMatchObject({ line: 2, field: 'Serial number' });
    expect(w!.message).toContain('To Be Filled By O.E.M.');
  });

  it('rejects bad rows with their first line and keeps the good ones', async () => {
    const r = await parseText(servicenowCmdb, 'labels.csv', labelCsv, { timezone: 'UTC' });
    // Line 2 holds a cell over two lines, so the nameless row starts on line 4.
    expect(r.rejections).toEqual([
      expect.objectContaining({ file: 'labels.csv', line: 4, field: 'Sys ID', code: 'MISSING_ID' }),
      expect.objectContaining({ line: 5, field: 'Most recent discovery', code: 'BAD_TIME' }),
    ]);
    const assets = r.observations.filter((o) => o.kind === 'asset');
    expect(assets.map((o) => o.attributes['name'])).toEqual(['fin-app-02', 'edge-fw-1']);
    expect(r.meta.complete).toBe(false);
  });

  it('warns on an unknown status with line and field, and reads a pending retirement', async () => {
    const fixed = labelCsv.replace('31/04/2024 10:00', '');
    const r = await parseText(servicenowCmdb, 'labels.csv', fixed, { timezone: 'UTC' });
    expect(r.warnings.filter((w) => w.code === 'UNKNOWN_ENUM')).toEqual([
      expect.objectContaining({ line: 5, field: 'Status' }),
    ]);
    expect(byName(r.observations, 'mail-gw').attributes['environment']).toBe('Demonstration');
    expect(byName(r.observations, 'edge-fw-1').attributes).toMatchObject({
      lifecycle: 'decommissioning',
      criticality: 'low',
      environment: 'staging',
    });
  });

  it('rejects a row whose cell count differs from the header', async () => {
    const row = q(['5f60718293a4b5c6d7e8f90a1b2c3d4e', 'a', 'extra']);
    const text = [q(['sys_id', 'name']), row].join('\n');
    const r = await parseText(servicenowCmdb, 'x.csv', text);
    expect(r.rejections).toEqual([expect.objectContaining({ line: 2, code: 'BAD_ROW' })]);
  });

  it('reports a malformed file without echoing its cells', async () => {
    const good = '"60718293a4b5c6d7e8f90a1b2c3d4e5f","ok"';
    const text = `${q(['sys_id', 'name'])}\n${good}\n"x","unclosed\n`;
    const r = await parseText(servicenowCmdb, 'broken.csv', text);
    expect(r.observations).toHaveLength(1);
    expect(r.rejections).toEqual([expect.objectContaining({ code: 'BAD_CSV' })]);
    expect(r.rejections[0]!.message).not.toContain('unclosed');
    expect(r.meta.complete).toBe(false);
  });

  it('leaves out records with broken quotes by the line each starts on and reads the rest',
    async () => {
    const good = (n: number) => `"60718293a4b5c6d7e8f90a1b2c3d4e5${n}","ok-${n}"`;
    const text = [q(['sys_id', 'name']), good(1), '"x","db-prod-01,more', good(2), '"y","a"b"',
      good(3)].join('\n');
    const r = await parseText(servicenowCmdb, 'broken.csv', text);
    // Line 3's cell is closed by line 4's first quote, which text follows; counting quotes,
    // the broken record ends with line 5, and reading goes on at line 6.
    expect(r.observations.map((o) => [o.line, o.attributes['name']])).toEqual([[2, 'ok-1'],
      [6, 'ok-3']]);
    expect(r.rejections.map((j) => [j.line, j.code, j.message])).toEqual([
      [3, 'BAD_CSV', 'a quote out of place (a quote inside a cell must be doubled, a quoted ' +
        'cell must start the cell and end at a delimiter or the line\'s end) on line 4 of the ' +
        'record that starts on line 3; lines 3 to 5 (3 lines, each counted as a refused row) ' +
        'were left out, reading went on at line 6'],
    ]);
    expect(r.rejections[0]!.rows).toBe(3);
    expect(JSON.stringify(r.rejections)).not.toContain('db-prod-01');
    expect(r.meta.complete).toBe(false);
  });
});
