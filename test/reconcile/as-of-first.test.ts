import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/model/time.js';
import type { Observation } from '../../src/model/types.js';
import { ingest } from '../../src/reconcile/ingest.js';
import { DEFAULT_PRECEDENCE } from '../../src/reconcile/rules.js';
import { awsCredentialReport } from '../../src/sources/aws/credential-report.js';
import { osqueryFormat } from '../../src/sources/osquery/osquery-format.js';
import type { SourceInput } from '../../src/sources/format.js';
import { fileInput, textInput } from '../../src/sources/read-file.js';
import { detectFormat } from '../../src/sources/registry.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { REPORT_HEADER, reportRow } from '../helpers/credential-report.js';
import { fakeFormat, fakeInput } from '../helpers/fake-format.js';

/**
 * Ingest stores a run's records by chunks of 2,000, each with the run's as-of, so a reader
 * must give the file's own as-of (a report's generation time, a log's newest result) before
 * its first record. A reader that gave it at the end had the first chunks of a large file
 * stored as of the clock or --as-of, and the file's own time ignored.
 */
const NOW = '2026-12-01T00:00:00.000Z';
const clock = fixedClock(NOW);

let store: SqliteStore;
beforeEach(async () => {
  store = new SqliteStore({ path: ':memory:' });
  await store.migrate();
});
afterEach(() => store.close());

describe("a file's own as-of, in a file of more than one chunk", () => {
  it('a credential report response of 1,100 users is stored as of its GeneratedTime', async () => {
    const rows = Array.from({ length: 1100 }, (_, i) =>
      reportRow(`svc-${i}`, '2026-10-01T00:00:00+00:00'));
    const response = {
      Content: Buffer.from([REPORT_HEADER, ...rows].join('\n')).toString('base64'),
      ReportFormat: 'text/csv',
      GeneratedTime: '2026-11-20T08:00:00+00:00',
    };
    const r = await ingest(store, awsCredentialReport, textInput('report.json',
      JSON.stringify(response)), { rules: DEFAULT_PRECEDENCE, clock, asOf: '2026-11-30T00:00:00Z' });
    expect(r.counts.added).toBe(2200);
    expect(r.run.asOf).toBe('2026-11-20T08:00:00.000Z');
    expect(r.run.asOfOrigin).toBe('file');
    // The --as-of given is not used, and the user is told so, once.
    expect(r.warnings.filter((w) => w.code === 'AS_OF_FROM_FILE')).toEqual([{
      file: 'report.json', field: 'asOf', code: 'AS_OF_FROM_FILE',
      message: 'the file says it was made at 2026-11-20T08:00:00.000Z: that is its as-of, and ' +
        "the as-of given (--as-of, or the API's asOf) 2026-11-30T00:00:00Z is not used",
    }]);
    const seen = new Set<string>();
    for await (const page of store.scanRecords()) {
      for (const rec of page) for (const s of rec.sightings) seen.add(s.lastSeen);
    }
    expect([...seen]).toEqual(['2026-11-20T08:00:00.000Z']);
  });

  it('an osquery log of 2,100 hosts is stored as of its newest result', async () => {
    const lines = Array.from({ length: 2100 }, (_, i) => JSON.stringify({
      name: 'system_info', hostIdentifier: `host-${i}`, unixTime: 1_795_000_000 + i,
      calendarTime: 'Mon Nov 18 12:00:00 2026 UTC', action: 'snapshot',
      snapshot: [{ hostname: `host-${i}.example.net`, hardware_serial: `SER${i}` }],
    }));
    const r = await ingest(store, osqueryFormat, textInput('osqueryd.results.log',
      lines.join('\n')), { rules: DEFAULT_PRECEDENCE, clock });
    expect(r.counts.added).toBe(2100);
    expect(r.run.asOf).toBe(new Date((1_795_000_000 + 2099) * 1000).toISOString());
    expect(r.run.asOfOrigin).toBe('file');
    expect(r.warnings).toEqual([]);
  });

  it('a file that says it was made before 1970 is warned and dated as if it said nothing',
    async () => {
      const format = fakeFormat('old-file', 'cmdb', true);
      const one: Observation = { kind: 'asset', sourceId: 's1', scope: 'cmdb:t',
        keys: [{ type: 'cmdb-sys-id', value: 's1' }], attributes: { name: 'h1' } };
      const r = await ingest(store, format, fakeInput({ meta: { asOf: '0026-12-01T06:00:00Z' },
        observations: [one] }), { rules: DEFAULT_PRECEDENCE, clock, asOf: '2026-11-30T00:00:00Z' });
      expect(r.run.asOf).toBe('2026-11-30T00:00:00Z');
      expect(r.run.asOfOrigin).toBe('flag');
      expect(r.warnings).toEqual([{ file: 'test.json', field: 'asOf', code: 'INVALID_VALUE',
        message: 'the file says it was made at 0026-12-01T06:00:00.000Z, before 1970: almost ' +
          'surely a typo (years are read as written); not used, the run takes its as-of as if ' +
          'the file gave none' }]);
    });

  it('a reader that gives its as-of after stored records fails the run: nothing stays', async () => {
    const format = fakeFormat('late-as-of', 'cmdb', true);
    const late = { ...format, async *parse(input: Parameters<typeof format.parse>[0]) {
      for await (const ev of format.parse(input, {})) yield ev;
      yield { type: 'meta' as const, meta: { asOf: '2026-11-01T00:00:00Z' } };
    } };
    const observations: Observation[] = Array.from({ length: 2001 }, (_, i) => ({
      kind: 'asset', sourceId: `s${i}`, scope: 'cmdb:t',
      keys: [{ type: 'cmdb-sys-id', value: `s${i}` }], attributes: { name: `h${i}` },
    }));
    await expect(ingest(store, late, fakeInput({ observations }), {
      rules: DEFAULT_PRECEDENCE, clock,
    })).rejects.toThrow(`late-as-of gave the file's as-of after records were stored as of ${NOW}`);
    expect(await store.countRecords()).toEqual({});
  });
});

/** Every shipped example and test fixture, read by the format Roster detects for it. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

const SAMPLES = ['examples/estate', 'examples/vault', 'test/fixtures',
  'src/sources/aws/fixtures'].flatMap(files);

/** Whether the reader yields records, and any as-of it gives after its first one. */
async function order(input: SourceInput): Promise<{ observed: boolean; late?: string }> {
  let observed = false;
  let late: string | undefined;
  for await (const ev of detectFormat(input).parse(input, { runAsOf: NOW })) {
    if (ev.type === 'observation') observed = true;
    else if (ev.type === 'meta' && ev.meta.asOf && observed) late = ev.meta.asOf;
  }
  return { observed, ...(late ? { late } : {}) };
}

describe('every reader gives its as-of before its first record', () => {
  it.each(SAMPLES)('%s', async (path) => {
    expect(await order(fileInput(path))).toEqual({ observed: true });
  });

  it('aws iam get-role recorded with its HTTP date', async () => {
    const role = { RoleName: 'etl', RoleId: 'AROAEXAMPLEETL000001',
      Arn: 'arn:aws:iam::210987654321:role/etl', CreateDate: '2024-02-29T23:59:01Z',
      AssumeRolePolicyDocument: '%7B%7D' };
    const doc = { Role: role,
      ResponseMetadata: { HTTPHeaders: { date: 'Wed, 02 Dec 2026 06:00:00 GMT' } } };
    expect(await order(textInput('get-role.json', JSON.stringify(doc)))).toEqual({ observed: true });
  });
});
