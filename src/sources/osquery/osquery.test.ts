import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../model/types.js';
import { parseFile, parseText, type Parsed } from '../../../test/helpers/parse.js';
import { osqueryFormat } from './osquery-format.js';

const LOG = fileURLToPath(new URL('../../../test/fixtures/osquery/results.log', import.meta.url));
const bySource = (r: Parsed, id: string): Observation => {
  const found = r.observations.find((o) => o.sourceId === id);
  if (!found) throw new Error(`no observation ${id}`);
  return found;
};

describe('osquery result logs', () => {
  it('makes one endpoint per host from its newest system_info row', async () => {
    const r = await parseFile(osqueryFormat, LOG);
    const mac = bySource(r, 'host:mbp-jlee.corp.example');
    expect(mac.keys).toEqual([
      { type: 'serial-number', value: 'C02ZK1ABMD6T' },
      { type: 'hardware-uuid', value: '4c4c4544-0042-3510-8052-b4c04f4e3732' },
      { type: 'hostname', value: 'mbp-jlee.corp.example' },
    ]);
    expect(mac.attributes).toMatchObject({
      class: 'endpoint',
      name: "Jo's MacBook Pro",
      serialNumber: 'C02ZK1ABMD6T',
      'osquery.cpu_brand': 'Apple M2 Pro',
      'osquery.hardware_model': 'Mac14,9',
    });
    expect(mac.line).toBe(1);
  });

  it('lets a removed row delete nothing, but counts it as the host reporting', async () => {
    const r = await parseFile(osqueryFormat, LOG);
    const mac = bySource(r, 'host:mbp-jlee.corp.example');
    expect(mac.keys).toHaveLength(3);
    expect(mac.attributes.lastSeenAt).toBe('2025-03-03T11:06:39.000Z');
  });

  it('marks a host seen from any query and warns once its rows are not inventory', async () => {
    const r = await parseFile(osqueryFormat, LOG);
    const build = bySource(r, 'host:build-07');
    expect(build.keys).toEqual([{ type: 'hostname', value: 'build-07' }]);
    expect(build.attributes.lastSeenAt).toBe('2025-03-03T09:05:00.000Z');
    const notInventory = r.warnings.filter((w) => w.code === 'QUERY_NOT_INVENTORY');
    expect(notInventory).toEqual([expect.objectContaining({ line: 2, field: 'name' })]);
  });

  it('drops a placeholder serial and a uuid two machines share, with warnings', async () => {
    const r = await parseFile(osqueryFormat, LOG);
    const a = bySource(r, 'host:ws-114');
    const b = bySource(r, 'host:ws-115');
    expect(a.keys).toEqual([{ type: 'hostname', value: 'ws-114' }]);
    expect(b.keys).toEqual([
      { type: 'serial-number', value: 'PF3XK9QZ' },
      { type: 'hostname', value: 'ws-115' },
    ]);
    expect(r.warnings).toContainEqual(
      expect.objectContaining({ line: 4, field: 'hardware_serial', code: 'PLACEHOLDER_KEY' }),
    );
    const cloned = r.warnings.filter((w) => w.code === 'CLONED_UUID');
    expect(cloned.map((w) => w.line)).toEqual([4, 5]);
    expect(cloned[0]!.message).toContain('03000200-0400-0500-0006-000700080010');
  });

  it('reads host_uuid decorations and takes no UUID host identifier for a name', async () => {
    const r = await parseFile(osqueryFormat, LOG);
    const host = bySource(r, 'host:6f1c2e5a-93b4-4d7e-8a20-1b3c5d7e9f01');
    expect(host.keys).toEqual([
      { type: 'hardware-uuid', value: '6f1c2e5a-93b4-4d7e-8a20-1b3c5d7e9f01' },
    ]);
    expect(host.attributes.hostname).toBeUndefined();
  });

  it('rejects a broken line and a result without host, and says the log is partial', async () => {
    const r = await parseFile(osqueryFormat, LOG, { scope: 'osquery:corp' });
    expect(r.rejections).toEqual([
      expect.objectContaining({ line: 7, code: 'BAD_JSON' }),
      expect.objectContaining({ line: 8, field: 'hostIdentifier', code: 'MISSING_KEY' }),
    ]);
    expect(r.meta).toEqual({
      scopes: ['osquery:corp'],
      complete: false,
      asOf: '2025-03-03T11:06:39.000Z',
    });
    expect(r.observations.every((o) => o.scope === 'osquery:corp')).toBe(true);
  });

  it('reads a pretty-printed result and the calendarTime when unixTime is absent', async () => {
    const text = JSON.stringify(
      {
        action: 'snapshot',
        snapshot: [{ hardware_serial: 'SN-77', uuid: 'aa', hostname: 'h1' }],
        name: 'system_info',
        hostIdentifier: 'h1',
        calendarTime: 'Mon May  2 22:27:32 2016 UTC',
      },
      null,
      2,
    );
    const r = await parseText(osqueryFormat, 'one.json', text);
    expect(r.observations[0]!.attributes.lastSeenAt).toBe('2016-05-02T22:27:32.000Z');
    expect(r.observations[0]!.keys[0]).toEqual({ type: 'serial-number', value: 'SN-77' });
  });

  it('reads a result whose endpoint clock is ahead, but dates nothing by it', async () => {
    const result = (host: string, unixTime: number, line = 'x') => JSON.stringify({
      name: 'system_info', hostIdentifier: host, unixTime, action: 'snapshot',
      snapshot: [{ hardware_serial: `SN-${host}`, hostname: host, cpu_brand: line }],
    });
    // 2026-12-01T00:00:00Z and a minute later; 2031-01-01T00:00:00Z, twice for one host.
    const text = [result('ws-1', 1796083200), result('ws-2', 1796083260),
      result('evil', 1924992000, 'first'), result('evil', 1924992000, 'second')].join('\n');
    const latestAsOf = '2026-12-01T00:15:00.000Z';
    const r = await parseText(osqueryFormat, 'r.log', text, { latestAsOf });
    expect(r.meta.asOf).toBe('2026-12-01T00:01:00.000Z');
    const evil = bySource(r, 'host:evil');
    expect(evil.keys[0]).toEqual({ type: 'serial-number', value: 'SN-EVIL' });
    expect(evil.attributes['osquery.cpu_brand']).toBe('second');
    expect(evil.attributes.lastSeenAt).toBeUndefined();
    expect(r.warnings).toEqual([expect.objectContaining({
      file: 'r.log', line: 3, field: 'unixTime', code: 'FUTURE_TIME',
      message: expect.stringMatching(new RegExp('^host evil reports a result at ' +
        '2031-01-01T00:00:00.000Z, later than the clock allows \\(2026-12-01T00:15:00.000Z' +
        '.*its clock is ahead')),
    })]);
  });

  it('falls back to the default as-of when every result is ahead of the clock', async () => {
    const text = JSON.stringify({ name: 'system_info', hostIdentifier: 'h', action: 'snapshot',
      calendarTime: 'Wed Jan  1 00:00:00 2031 UTC', snapshot: [{ hardware_serial: 'SN-1' }] });
    const r = await parseText(osqueryFormat, 'r.log', text, { latestAsOf: '2026-12-01T00:15:00Z' });
    expect(r.meta.asOf).toBeUndefined();
    expect(r.observations).toHaveLength(1);
    expect(r.warnings.map((w) => [w.line, w.field, w.code])).toEqual([
      [1, 'calendarTime', 'FUTURE_TIME'],
      [undefined, 'unixTime', 'FUTURE_TIME'],
    ]);
    expect(r.warnings[1]!.message).toMatch(/every result time lies later than the clock/);
  });

  it('detects result logs but not Fleet hosts', () => {
    const d = (head: string): number => osqueryFormat.detect({ path: 'x', head });
    expect(d('{"name":"q","hostIdentifier":"h","unixTime":1,"columns":{}}')).toBe(0.9);
    expect(d('{"diffResults":{"added":[]},"hostname":"h","calendarTime":"x"}')).toBe(0.9);
    expect(d('{"hosts":[{"hostname":"h","seen_time":"x"}]}')).toBe(0);
  });
});
