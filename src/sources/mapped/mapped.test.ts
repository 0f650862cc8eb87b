import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../model/types.js';
import { MAX_RECORD_CHARS } from '../common.js';
import { parseFile, parseText, type Parsed } from '../../../test/helpers/parse.js';
import {
  mappedCsvFormat as csv,
  mappedFormatFor,
  mappedJsonFormat as json,
} from './mapped-formats.js';
import { loadMapping, parseMapping } from './mapping-schema.js';

const examples = (path: string): string =>
  fileURLToPath(new URL(`../../../examples/${path}`, import.meta.url));
const GLPI = loadMapping(examples('mappings/glpi-computers.yaml'));
const GLPI_CSV = examples('mapped/glpi-computers.csv');
const SNIPE_JSON = examples('mapped/snipeit-hardware.json');
const SNIPE = loadMapping(examples('mappings/snipeit-hardware.yaml'));
const bySource = (r: Parsed, id: string): Observation => {
  const found = r.observations.find((o) => o.sourceId === id);
  if (!found) throw new Error(`no observation ${id}`);
  return found;
};

describe('mapped-csv with the GLPI computers mapping', () => {
  it('leaves out a row past the record bound by its line and reads the rows after it', async () => {
    const lines = readFileSync(GLPI_CSV, 'utf8').split('\n');
    const huge = lines.map((l, i) => (i === 1 ? l.replace('PC-PAR-0101', 'z'.repeat(5e6)) : l));
    // What the file reads as without that row at all (its line left blank).
    const without = lines.map((l, i) => (i === 1 ? '' : l));
    const r = await parseText(csv, 'glpi.csv', huge.join('\n'), { mapping: GLPI });
    const expected = await parseText(csv, 'glpi.csv', without.join('\n'), { mapping: GLPI });
    expect(r.rejections).toEqual([expect.objectContaining({ line: 2, code: 'BAD_CSV',
      message: expect.stringContaining(`longer than ${MAX_RECORD_CHARS}`) as string })]);
    expect(r.observations).toEqual(expected.observations);
    expect(r.observations.length).toBeGreaterThan(1);
  });

  it('keys computers and reads GLPI local times in the declared zone', async () => {
    const r = await parseFile(csv, GLPI_CSV, { mapping: GLPI });
    const pc = bySource(r, '101');
    expect(pc.scope).toBe('glpi:helpdesk.example.org');
    expect(pc.line).toBe(2);
    expect(pc.keys).toEqual([
      { type: 'external-id', value: 'glpi:computer:101' },
      { type: 'serial-number', value: '5CG1234XYZ' },
      { type: 'asset-tag', value: 'INV-2021-0101' },
      { type: 'hardware-uuid', value: '4c4c4544-0051-3710-8038-c4c04f583633' },
      { type: 'hostname', value: 'pc-par-0101' },
    ]);
    expect(pc.attributes).toMatchObject({
      class: 'glpi-computer',
      admission: 'approved',
      lifecycle: 'in-service',
      owner: 'amartin',
      location: 'Paris > Floor 3',
      createdAt: '2021-03-15T08:12:00.000Z',
      updatedAt: '2025-02-27T16:45:03.000Z',
      'glpi.deleted': false,
    });
  });

  it('retires what the mapping says is retired and keeps unmapped columns', async () => {
    const r = await parseFile(csv, GLPI_CSV, { mapping: GLPI });
    const old = bySource(r, '102');
    expect(old.attributes).toMatchObject({
      admission: 'retired',
      lifecycle: 'retired',
      'glpi.comment': 'Disk wiped 2024-11-02',
    });
    expect(old.relations).toEqual([]);
  });

  it('warns about a placeholder serial and a state the mapping does not list', async () => {
    const r = await parseFile(csv, GLPI_CSV, { mapping: GLPI });
    const lab = bySource(r, '103');
    const types = lab.keys.map((k) => k.type);
    expect(types).toEqual(['external-id', 'asset-tag', 'hardware-uuid', 'hostname']);
    expect(lab.attributes.admission).toBe('approved');
    expect(lab.attributes.lifecycle).toBeUndefined();
    expect(lab.attributes['glpi.comment']).toBe('Found in lab; owner "B. Nguyen"');
    expect(r.warnings.map((w) => [w.line, w.field, w.code])).toEqual([
      [4, 'serial', 'PLACEHOLDER_KEY'],
      [4, 'states_id', 'UNKNOWN_VALUE'],
      [4, 'states_id', 'UNKNOWN_VALUE'],
    ]);
    const owners = r.observations.filter((o) => o.kind === 'owner').map((o) => o.sourceId);
    expect(owners).toEqual(['owner:amartin', 'owner:bnguyen']);
    expect(r.meta).toEqual({ scopes: ['glpi:helpdesk.example.org'], complete: true });
  });
});

describe('mapped-json with the Snipe-IT hardware mapping', () => {
  it('reads rows by dotted paths: model, status, assignee, MAC custom field', async () => {
    const r = await parseFile(json, SNIPE_JSON, { mapping: SNIPE });
    const lt = bySource(r, '1442');
    expect(lt.keys).toEqual([
      { type: 'external-id', value: 'snipeit:1442' },
      { type: 'asset-tag', value: 'A-001442' },
      { type: 'serial-number', value: 'C02FQ3XHMD6M' },
      { type: 'mac', value: 'a4:83:e7:1c:2b:90' },
      { type: 'name', value: 'lt-0442' },
    ]);
    expect(lt.attributes).toMatchObject({
      lifecycle: 'in-service',
      owner: 'kweber',
      location: 'Berlin HQ',
      'snipeit.model': 'MacBook Pro 14 (2023)',
      createdAt: '2023-05-02T08:31:17.000Z',
      'snipeit.warrantyExpires': '2026-04-30T00:00:00.000Z',
      'snipeit.purchase_cost': '2,499.00',
    });
    const target = { type: 'owner', value: 'kweber' };
    expect(lt.relations).toEqual([{ type: 'owned-by', target }]);
  });

  it('maps ready-to-deploy to planned and archived to retired', async () => {
    const r = await parseFile(json, SNIPE_JSON, { mapping: SNIPE });
    expect(bySource(r, '1443').attributes.lifecycle).toBe('planned');
    const archived = bySource(r, '977').attributes;
    expect(archived).toMatchObject({ admission: 'retired', lifecycle: 'retired' });
    const nested = r.warnings.filter((w) => w.code === 'UNMAPPED_COLUMN').map((w) => w.field);
    expect(nested).toEqual(['available_actions']);
  });
});

const ASSET = { kind: 'asset', id: 'id', keys: [{ column: 'serial', type: 'serial-number' }] };

describe('mapped formats: bad input', () => {
  it('rejects an ambiguous date, a short row and a secret, and keeps good rows', async () => {
    const mapping = {
      ...ASSET,
      attributes: { createdAt: { column: 'created', type: 'time' } },
    };
    const text = [
      'id,serial,created,api_token',
      '1,SN-1,2024-05-01T10:00:00Z,',
      '2,SN-2,03/04/2024,',
      '3,SN-3',
      '4,SN-4,2024-05-02T10:00:00Z,ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      '5,SN-5,2024-05-03 10:00,',
    ].join('\n');
    const r = await parseText(csv, 'x.csv', text, { mapping });
    expect(r.observations.map((o) => o.sourceId)).toEqual(['1', '5']);
    expect(r.rejections.map((x) => [x.line, x.field, x.code])).toEqual([
      [3, 'created', 'BAD_TIME'],
      [4, undefined, 'COLUMN_COUNT'],
      [5, 'api_token', 'SECRET_REFUSED'],
    ]);
    expect(JSON.stringify(r)).not.toContain('ghp_abcdefghij');
    const zone = r.warnings.filter((w) => w.code === 'TIME_ZONE_ASSUMED');
    expect(zone).toEqual([expect.objectContaining({ line: 6, field: 'created' })]);
    expect(bySource(r, '5').attributes.admission).toBe('approved');
  });

  it('rejects a row without id or usable key and reports a broken quote', async () => {
    const text = 'id;serial\n;SN-9\n7;N/A\n8;"SN-8\n';
    const r = await parseText(csv, 'x.csv', text, { mapping: ASSET });
    expect(r.rejections.map((x) => x.code)).toEqual(['MISSING_KEY', 'MISSING_KEY', 'BAD_CSV']);
    expect(r.rejections[0]).toMatchObject({ line: 2, field: 'id' });
    expect(r.rejections[1]).toMatchObject({ line: 3, field: 'serial' });
    expect(r.meta.complete).toBe(false);
  });

  it('refuses to read without a mapping, or with one for the other format', async () => {
    await expect(parseText(csv, 'x.csv', 'id\n1\n')).rejects.toThrow(/needs a mapping file/);
    const mapping = { ...ASSET, format: 'json' };
    await expect(parseText(csv, 'x.csv', 'id\n1\n', { mapping })).rejects.toThrow(/json input/);
  });
});

describe('mapped formats: options', () => {
  it('streams records at a nested recordsPath with relations and criticality', async () => {
    const mapping = {
      kind: 'credential',
      source: 'vaultish',
      systemOfRecord: false,
      id: 'accessor',
      recordsPath: 'data.items',
      keys: [{ column: 'accessor', type: 'key-id', prefix: 'vaultish:' }],
      attributes: {
        expiresAt: { column: 'expires', type: 'time' },
        'vaultish.policies': { column: 'policies', type: 'list' },
      },
      constants: { credentialType: 'token' },
      criticality: { column: 'tier', values: { critical: ['T0'], low: ['T3'] } },
      relations: [
        { type: 'belongs-to', column: 'role', keyType: 'external-id', prefix: 'vaultish-role:' },
      ],
      unmapped: 'warn',
      timezone: 'America/New_York',
    };
    const doc = {
      data: {
        total: 2,
        items: [
          {
            accessor: 'acc-1',
            expires: '2025-07-01 12:00',
            policies: ['ops', 'db'],
            tier: 'T0',
            role: 'ci',
            note: 'x',
          },
          { accessor: 'acc-2', expires: null, tier: 'T9', role: null },
        ],
      },
    };
    const options = { mapping, scope: 'vaultish:eu' };
    const r = await parseText(json, 'tokens.json', JSON.stringify(doc), options);
    const [a, b] = r.observations;
    expect(a).toMatchObject({
      kind: 'credential',
      sourceId: 'acc-1',
      scope: 'vaultish:eu',
      keys: [{ type: 'key-id', value: 'vaultish:acc-1' }],
      relations: [
        { type: 'belongs-to', target: { type: 'external-id', value: 'vaultish-role:ci' } },
      ],
    });
    expect(a!.attributes).toEqual({
      credentialType: 'token',
      expiresAt: '2025-07-01T16:00:00.000Z',
      'vaultish.policies': ['ops', 'db'],
      criticality: 'critical',
    });
    expect(b!.attributes).toEqual({ credentialType: 'token' });
    expect(r.warnings.map((w) => [w.field, w.code])).toEqual([
      ['note', 'UNMAPPED_COLUMN'],
      ['tier', 'UNKNOWN_VALUE'],
    ]);
  });

  it('reads a top-level JSON array; the mapping, not detection, picks the format', async () => {
    const text = '[{"id":1,"serial":"S1"},{"id":2,"serial":"S2"}]';
    const r = await parseText(json, 'a.json', text, { mapping: ASSET });
    expect(r.observations.map((o) => o.keys[0]!.value)).toEqual(['S1', 'S2']);
    expect(json.detect({ path: 'a.json', head: '[{"id":1}]' })).toBe(0);
    expect(csv.detect({ path: 'a.csv', head: 'id,serial\n1,S1\n' })).toBe(0);
    expect(mappedFormatFor(parseMapping(ASSET), '[{"id":1}]')).toBe(json);
    expect(mappedFormatFor(parseMapping(ASSET), 'id,serial\n')).toBe(csv);
    expect(mappedFormatFor(parseMapping({ ...ASSET, format: 'csv' }), '[')).toBe(csv);
  });
});
