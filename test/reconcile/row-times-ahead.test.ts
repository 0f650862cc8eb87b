import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InventoryRecord } from '../../src/model/record.js';
import { fixedClock } from '../../src/model/time.js';
import { ingest } from '../../src/reconcile/ingest.js';
import { DEFAULT_PRECEDENCE } from '../../src/reconcile/rules.js';
import type { SourceFormat } from '../../src/sources/format.js';
import { osqueryFormat } from '../../src/sources/osquery/osquery-format.js';
import { textInput } from '../../src/sources/read-file.js';
import { vaultResponses } from '../../src/sources/vault/vault-format.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

/**
 * A format that dates its run from its rows' own times must not let one row with a clock ahead
 * refuse the whole file (the run's as-of is refused past the clock plus the skew): the row is
 * read, its time dates nothing, and the run takes the newest time the clock allows.
 */
const NOW = '2026-12-01T00:30:00.000Z';
const clock = fixedClock(NOW);
const Y2031 = 1924992000;

let store: SqliteStore;
beforeEach(async () => {
  store = new SqliteStore({ path: ':memory:' });
  await store.migrate();
});
afterEach(() => store.close());

const run = (format: SourceFormat, name: string, text: string) =>
  ingest(store, format, textInput(name, text), { rules: DEFAULT_PRECEDENCE, clock });

async function records(): Promise<InventoryRecord[]> {
  const out: InventoryRecord[] = [];
  for await (const page of store.scanRecords()) out.push(...page);
  return out;
}

const result = (host: string, unixTime: number) => JSON.stringify({
  name: 'pack_inventory_system_info', hostIdentifier: host, unixTime, action: 'snapshot',
  snapshot: [{ hardware_serial: `SN-${host}`, hostname: host, cpu_brand: 'x' }],
});

describe('an osquery log with one endpoint whose clock is ahead', () => {
  it('stores every host, dated by the newest result the clock allows', async () => {
    // 2026-12-01T00:00:00Z plus a second per host, then one host in 2031.
    const good = Array.from({ length: 50 }, (_, i) => result(`ws-${i}`, 1796083200 + i));
    const r = await run(osqueryFormat, 'results.log', [...good, result('evil', Y2031)].join('\n'));
    expect(r.run.status).toBe('committed');
    expect(r.run.asOf).toBe('2026-12-01T00:00:49.000Z');
    expect(r.run.asOfOrigin).toBe('file');
    expect(r.counts.added).toBe(51);
    expect(r.warnings).toEqual([expect.objectContaining({
      file: 'results.log', line: 51, field: 'unixTime', code: 'FUTURE_TIME',
    })]);
    const evil = (await records()).find((x) => x.attributes['name']?.value === 'evil');
    expect(evil?.attributes['lastSeenAt']).toBeUndefined();
  });

  it('takes the clock when every result is ahead, with a warning', async () => {
    const r = await run(osqueryFormat, 'results.log', result('evil', Y2031));
    expect(r.run.status).toBe('committed');
    expect(r.run.asOf).toBe(NOW);
    expect(r.run.asOfOrigin).toBe('clock');
    expect(r.warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(/^every result time lies later than the clock allows/));
  });
});

describe('Vault responses with one answer time ahead of the clock', () => {
  const lookup = (accessor: string, expire: string, ttl: number) => JSON.stringify({
    data: { accessor, display_name: accessor, expire_time: expire, ttl, policies: ['default'],
      type: 'service', path: 'auth/token/create', issue_time: '2026-11-30T00:00:00Z' },
  });

  it('dates the run by the next response, and reads both', async () => {
    const text = [lookup('Aa11Bb22Cc33Dd44Ee55Ff66', '2031-01-01T01:00:00Z', 3600),
      lookup('Gg77Hh88Ii99Jj00Kk11Ll22', '2026-12-01T01:00:00Z', 3600)].join('\n');
    const r = await run(vaultResponses, 'lookups.json', text);
    expect(r.run.asOf).toBe('2026-12-01T00:00:00.000Z');
    expect(r.counts.added).toBe(2);
    expect(r.warnings).toEqual([expect.objectContaining({
      file: 'lookups.json', item: 1, field: 'data.expire_time', code: 'FUTURE_TIME',
    })]);
  });
});
