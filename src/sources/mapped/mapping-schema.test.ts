import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RosterError } from '../../model/errors.js';
import { loadMapping, parseMapping } from './mapping-schema.js';

const example = (name: string): string =>
  fileURLToPath(new URL(`../../../examples/mappings/${name}`, import.meta.url));

function configError(run: () => unknown): RosterError {
  try {
    run();
  } catch (e) {
    if (e instanceof RosterError) return e;
    throw e;
  }
  throw new Error('expected a CONFIG error');
}

describe('mapping files', () => {
  it('loads the shipped Snipe-IT and GLPI mappings with their defaults', () => {
    const snipe = loadMapping(example('snipeit-hardware.yaml'));
    expect(snipe).toMatchObject({ source: 'snipeit', kind: 'asset', recordsPath: 'rows' });
    expect(snipe.keys.map((k) => k.type)).toEqual([
      'external-id',
      'asset-tag',
      'serial-number',
      'mac',
      'name',
    ]);
    const glpi = loadMapping(example('glpi-computers.yaml'));
    expect(glpi).toMatchObject({ timezone: 'Europe/Paris', csv: { delimiter: ';' } });
    expect(glpi.relations).toEqual([]);
    expect(glpi.complete).toBe(true);
  });

  it('defaults the source to mapped and system of record to true', () => {
    const keys = [{ column: 'mail', type: 'email' }];
    const m = parseMapping({ kind: 'identity', id: 'uid', keys });
    expect(m.source).toBe('mapped');
    expect(m.systemOfRecord).toBe(true);
    expect(m.unmapped).toBe('keep');
  });

  it('names every bad field of the mapping file in one error', () => {
    const bad = {
      kind: 'gadget',
      keys: [{ column: 'serial', type: 'serial' }],
      lifecycle: { column: 'state', values: { running: ['Up'] } },
      colour: 'blue',
    };
    const e = configError(() => parseMapping(bad, 'acme.yaml'));
    expect(e.code).toBe('CONFIG');
    expect(e.message).toMatch(/^acme\.yaml: invalid mapping: /);
    const problems = e.details?.problems as string[];
    expect(problems.map((p) => p.split(':')[0])).toEqual(
      expect.arrayContaining(['kind', 'id', 'keys[0].type', 'lifecycle.values', '(root)']),
    );
    expect(problems).toContain('lifecycle.values: Unrecognized key: "running"');
    expect(problems).toContain('(root): Unrecognized key: "colour"');
  });

  it('refuses a mapping without keys and an unreadable file, naming the file', () => {
    const e = configError(() => parseMapping({ kind: 'asset', id: 'id', keys: [] }, 'm.json'));
    expect(e.message).toContain('keys: needs at least one key');
    const dir = mkdtempSync(join(tmpdir(), 'roster-mapping-'));
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'kind: asset\n  id: [unclosed\n');
    expect(configError(() => loadMapping(file)).message).toContain(`${file}: cannot read mapping`);
  });

  it('reads a mapping written as JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-mapping-'));
    const file = join(dir, 'm.json');
    const keys = [{ column: 'sn', type: 'serial-number' }];
    writeFileSync(file, JSON.stringify({ kind: 'asset', id: 'id', keys }));
    expect(loadMapping(file).keys[0]).toEqual({ column: 'sn', type: 'serial-number' });
  });
});
