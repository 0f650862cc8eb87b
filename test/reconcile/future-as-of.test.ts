import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RosterError } from '../../src/model/errors.js';
import type { InventoryRecord } from '../../src/model/record.js';
import { fixedClock } from '../../src/model/time.js';
import type { Observation } from '../../src/model/types.js';
import { ingest, type IngestOptions } from '../../src/reconcile/ingest.js';
import { DEFAULT_PRECEDENCE } from '../../src/reconcile/rules.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { awsCredentialReport } from '../../src/sources/aws/credential-report.js';
import { textInput } from '../../src/sources/read-file.js';
import { REPORT_HEADER, reportRow } from '../helpers/credential-report.js';
import { fakeFormat, fakeInput } from '../helpers/fake-format.js';

/**
 * DESIGN.md rule 1 and the run's as-of: an export cannot have been made in the future. A run
 * whose as-of lies later than the clock by more than the clock skew allowed (15 minutes by
 * default) is refused whole, whether the as-of came from the file or from --as-of; a file's
 * mtime later than the clock is passed over for the clock.
 */
const cmdb = fakeFormat('fake-cmdb', 'cmdb', true);
const NOW = '2026-12-01T00:00:00.000Z';
const clock = fixedClock(NOW);

const host = (lifecycle: string): Observation => ({
  kind: 'asset',
  sourceId: 'sys1',
  scope: 'cmdb:t',
  keys: [{ type: 'cmdb-sys-id', value: 'sys1' }, { type: 'hostname', value: 'backup-01' }],
  attributes: { name: 'backup-01', admission: 'approved', lifecycle },
});

let store: SqliteStore;
beforeEach(async () => {
  store = new SqliteStore({ path: ':memory:' });
  await store.migrate();
});
afterEach(() => store.close());

function run(doc: { meta?: object; observations: Observation[] }, opts: Partial<IngestOptions>) {
  return ingest(store, cmdb, fakeInput(doc, 'servers.json'), {
    rules: DEFAULT_PRECEDENCE, clock, ...opts,
  });
}

async function records(): Promise<InventoryRecord[]> {
  const out: InventoryRecord[] = [];
  for await (const page of store.scanRecords()) out.push(...page);
  return out;
}

describe('a run whose as-of lies in the future', () => {
  it('is refused when --as-of is far past the clock: nothing is stored', async () => {
    const refused = run({ observations: [host('in-service')] }, { asOf: '2062-11-30T07:00:00Z' });
    await expect(refused).rejects.toThrow(RosterError);
    await expect(refused).rejects.toThrow(
      'servers.json: as of 2062-11-30T07:00:00Z (given as --as-of or the API\'s asOf) is ' +
        `later than the clock ${NOW} by more than 15 minutes: an export cannot have been ` +
        'made in the future; the run is refused and nothing of it was stored ' +
        '(check --as-of or asOf, and --now)',
    );
    expect(await records()).toEqual([]);
    const runs = await store.listRuns();
    expect(runs.every((r) => r.status === 'failed')).toBe(true);
  });

  it('no longer freezes the inventory: the next real export retires the host', async () => {
    await expect(run({ observations: [host('in-service')] }, { asOf: '2062-11-30T07:00:00Z' }))
      .rejects.toThrow('later than the clock');
    await run({ observations: [host('in-service')] }, { asOf: '2026-11-30T07:00:00Z' });
    const later = { clock: fixedClock('2026-12-02T08:00:00.000Z') };
    const r = await run({ observations: [host('retired')] },
      { asOf: '2026-12-02T07:00:00Z', ...later });
    expect(r.counts.older).toBe(0);
    expect((await records())[0]?.attributes['lifecycle']?.value).toBe('retired');
  });

  it('is refused when the file itself says it was made in the future', async () => {
    const doc = { meta: { asOf: '2999-01-01T00:00:00Z' }, observations: [host('in-service')] };
    await expect(run(doc, {})).rejects.toThrow(
      "servers.json: as of 2999-01-01T00:00:00.000Z (the export's own generation time) is " +
        'later than the clock',
    );
    expect(await records()).toEqual([]);
  });

  it('is taken within 15 minutes of clock skew, and refused just past them', async () => {
    const within = await run({ observations: [host('in-service')] },
      { asOf: '2026-12-01T00:15:00Z' });
    expect(within.run.asOf).toBe('2026-12-01T00:15:00Z');
    await expect(run({ observations: [host('in-service')] }, { asOf: '2026-12-01T00:15:01Z' }))
      .rejects.toThrow('by more than 15 minutes');
  });

  it('follows the skew configured (ingest.clockSkewSeconds)', async () => {
    await expect(run({ observations: [host('in-service')] },
      { asOf: '2026-12-01T00:00:01Z', clockSkewSeconds: 0 }))
      .rejects.toThrow('by more than 0 seconds');
    await expect(run({ observations: [host('in-service')] },
      { asOf: '2026-12-01T00:00:31Z', clockSkewSeconds: 30 }))
      .rejects.toThrow('by more than 30 seconds');
  });

  it('passes over a file mtime later than the clock for the clock', async () => {
    const r = await run({ observations: [host('in-service')] },
      { fallbackAsOf: '2026-12-04T17:00:00.000Z' });
    expect(r.run.asOf).toBe(NOW);
    expect(r.run.asOfOrigin).toBe('clock');
    const m = await run({ observations: [host('in-service')] },
      { fallbackAsOf: '2026-11-29T17:00:00.000Z' });
    expect(m.run.asOfOrigin).toBe('mtime');
  });
});

describe('row times after the run\'s as-of', () => {
  it('are FUTURE_TIME warnings in a credential report CSV dated by --as-of', async () => {
    const text = [REPORT_HEADER, reportRow('test1', '2099-02-03T09:50:21+00:00')].join('\n');
    const r = await ingest(store, awsCredentialReport, textInput('report.csv', text), {
      rules: DEFAULT_PRECEDENCE, clock, asOf: NOW,
    });
    expect(r.warnings).toEqual([expect.objectContaining({
      code: 'FUTURE_TIME', file: 'report.csv', line: 2, field: 'access_key_1_last_rotated',
    })]);
    expect(r.run.asOfOrigin).toBe('flag');
  });
});
