import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseText } from '../../../test/helpers/parse.js';
import { servicenowCmdb } from './index.js';
import { readMapping } from './mapping.js';

const example: unknown = JSON.parse(
  readFileSync(new URL('../../../examples/mappings/assetbook-cmdb.json', import.meta.url), 'utf8'),
);

// An export of the made-up AssetBook CMDB that the example mapping describes.
const assetbook = [
  'Asset ID,Hostname,Kind,Serial,State,Tier,Env,Owner,Team,Last Scan,Cloud ID,Rack',
  'AB-1001,ledger-01,linux box,CZ1234XYZ,live,gold,prd,Dana Whitfield,Finance IT,' +
    '2024-06-01 08:00:00,i-0123456789abcdef0,R1',
  'AB-1002,old-print-srv,windows box,,scrapped,bronze,tst,,Workplace,,,R2',
].join('\n');

describe('servicenow-cmdb mapping files', () => {
  it('reads another CMDB through the example mapping', async () => {
    const r = await parseText(servicenowCmdb, 'assetbook.csv', assetbook, {
      mapping: example,
      scope: 'assetbook',
      timezone: 'UTC',
    });
    const [ledger, printer] = r.observations;
    expect(ledger).toMatchObject({
      kind: 'asset',
      sourceId: 'ab-1001',
      scope: 'servicenow:assetbook/cmdb_ci', // a Linux and a Windows box: several classes
      attributes: {
        name: 'ledger-01',
        class: 'cmdb_ci_linux_server',
        lifecycle: 'in-service',
        criticality: 'critical',
        environment: 'production',
        owner: 'Dana Whitfield',
        lastSeenAt: '2024-06-01T08:00:00.000Z',
        'cmdb.rack': 'R1',
      },
    });
    expect(ledger!.keys).toContainEqual({ type: 'aws-instance-id', value: 'i-0123456789abcdef0' });
    expect(ledger!.keys).toContainEqual({ type: 'serial-number', value: 'CZ1234XYZ' });
    expect(printer!.attributes).toMatchObject({
      class: 'cmdb_ci_win_server',
      admission: 'retired',
      lifecycle: 'retired',
      criticality: 'medium',
      environment: 'test',
      owner: 'Workplace',
    });
    // Only the column the mapping does not name is unknown.
    expect(r.warnings).toEqual([
      expect.objectContaining({ code: 'UNKNOWN_COLUMN', field: 'Rack' }),
    ]);
  });

  it('matches mapped columns and values regardless of case and spacing', () => {
    const m = readMapping(example)!;
    expect(m.column('  asset   id ')).toBe('sys_id');
    expect(m.value('install_status', 'LIVE')).toBe('Installed');
    expect(m.value('install_status', 'unheard-of')).toBeUndefined();
  });

  it('refuses a mapping that is not one, naming the problem', () => {
    expect(() => readMapping({ columns: { ID: 'Sys ID' } })).toThrow(/columns.ID/);
    expect(() => readMapping({ colums: {} })).toThrow(/not valid/);
  });
});
