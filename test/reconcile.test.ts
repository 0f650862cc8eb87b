import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/model/time.js';
import type { InventoryRecord } from '../src/model/record.js';
import type { Observation } from '../src/model/types.js';
import { ingest } from '../src/reconcile/ingest.js';
import { DEFAULT_PRECEDENCE } from '../src/reconcile/rules.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { fakeFormat, fakeInput } from './helpers/fake-format.js';

const cmdb = fakeFormat('fake-cmdb', 'cmdb', true);
const ec2 = fakeFormat('fake-ec2', 'aws', false);
const clock = fixedClock('2026-12-01T00:00:00.000Z');

function asset(sourceId: string, scope: string, keys: Observation['keys'], attributes: Observation['attributes']): Observation {
  return { kind: 'asset', sourceId, scope, keys, attributes };
}

const cmdbWeb = asset('sys1', 'cmdb:t', [
  { type: 'cmdb-sys-id', value: 'sys1' },
  { type: 'aws-instance-id', value: 'i-0aaa1111bbbb2222c' },
  { type: 'hostname', value: 'web-1' },
], { name: 'web-1', admission: 'approved', lifecycle: 'in-service', owner: 'Alice Ng', environment: 'production' });

const ec2Web = asset('i-0aaa1111bbbb2222c', 'aws:111122223333:eu-west-1', [
  { type: 'aws-instance-id', value: 'i-0aaa1111bbbb2222c' },
  { type: 'hostname', value: 'web-1' },
], { name: 'web-1-tag', runState: 'running', owner: 'platform-team', environment: 'staging' });

const ec2Other = asset('i-0ccc3333dddd4444e', 'aws:111122223333:eu-west-1', [
  { type: 'aws-instance-id', value: 'i-0ccc3333dddd4444e' },
  { type: 'hostname', value: 'web-1' },
], { name: 'web-1-twin', runState: 'running' });

let store: SqliteStore;
beforeEach(async () => {
  store = new SqliteStore({ path: ':memory:' });
  await store.migrate();
});
afterEach(() => store.close());

const run = (format = ec2, observations: unknown[], meta: object = { asOf: '2026-11-30T00:00:00Z' }) =>
  ingest(store, format, fakeInput({ meta, observations }), { rules: DEFAULT_PRECEDENCE, clock });

async function all(s = store): Promise<InventoryRecord[]> {
  const out: InventoryRecord[] = [];
  for await (const page of s.scanRecords()) out.push(...page);
  return out;
}

/**
 * The inventory without run and record ids, ordered by keys: run ids differ between databases,
 * and a record keeps the id of the observation that created it, so ids depend on arrival.
 */
function portable(records: InventoryRecord[]): unknown[] {
  const strip = (r: InventoryRecord): unknown =>
    JSON.parse(JSON.stringify(r, (k, v) => (k === 'runId' || k === 'id' ? undefined : v)));
  const sig = (r: InventoryRecord): string => JSON.stringify(r.keys);
  return [...records].sort((a, b) => sig(a).localeCompare(sig(b))).map(strip);
}

describe('reconcile', () => {
  it('merges a CMDB row and an EC2 instance by instance id, not by hostname', async () => {
    await run(cmdb, [cmdbWeb]);
    await run(ec2, [ec2Web, ec2Other]);
    const records = await all();
    expect(records).toHaveLength(2);
    const web = records.find((r) => r.keys.some((k) => k.value === 'sys1'))!;
    expect(web.sightings.map((s) => s.format).sort()).toEqual(['fake-cmdb', 'fake-ec2']);
    expect(web.attributes['runState']?.value).toBe('running');
  });

  it('lets the CMDB win owner and keeps the cloud owner as a conflict', async () => {
    await run(ec2, [ec2Web]);
    await run(cmdb, [cmdbWeb]);
    const web = (await store.findByKey({ type: 'cmdb-sys-id', value: 'sys1' }))[0]!;
    expect(web.owner).toBe('Alice Ng');
    expect(web.attributes['owner']?.source).toBe('cmdb');
    expect(web.attributes['owner']?.conflicts.map((c) => [c.source, c.value])).toEqual([
      ['aws', 'platform-team'],
    ]);
    expect(web.attributes['environment']?.value).toBe('production');
    expect(web.admission).toBe('approved');
  });

  it('changes nothing when the same export is ingested twice', async () => {
    await run(cmdb, [cmdbWeb]);
    const before = await all();
    const again = await run(cmdb, [cmdbWeb]);
    expect(again.counts).toMatchObject({ added: 0, changed: 0, unchanged: 1, missing: 0 });
    expect(await all()).toEqual(before);
  });

  it('gives the same inventory in any ingest order', async () => {
    await run(cmdb, [cmdbWeb]);
    await run(ec2, [ec2Web, ec2Other]);
    const other = new SqliteStore({ path: ':memory:' });
    await other.migrate();
    const runOther = (f = ec2, o: unknown[]) =>
      ingest(other, f, fakeInput({ meta: { asOf: '2026-11-30T00:00:00Z' }, observations: o }), {
        rules: DEFAULT_PRECEDENCE,
        clock,
      });
    await runOther(ec2, [ec2Other, ec2Web]);
    await runOther(cmdb, [cmdbWeb]);
    expect(portable(await all(other))).toEqual(portable(await all()));
    await other.close();
  });

  it('refuses to merge records whose single-valued strong keys disagree', async () => {
    // A cloned UUID: the agent reports serial BBB with the uuid that belongs to AAA.
    const a = asset('s1', 'x', [{ type: 'serial-number', value: 'AAA' }, { type: 'hardware-uuid', value: 'u1' }], {});
    const b = asset('s2', 'x', [{ type: 'serial-number', value: 'BBB' }], {});
    const bridge = asset('s3', 'y', [{ type: 'serial-number', value: 'BBB' }, { type: 'hardware-uuid', value: 'u1' }], {});
    await run(cmdb, [a, b]);
    await run(ec2, [bridge]);
    const records = await all();
    expect(records).toHaveLength(2);
    const withConflict = records.find((r) => r.keyConflicts.length > 0)!;
    expect(withConflict.keys).toContainEqual({ type: 'serial-number', value: 'BBB' });
    expect(withConflict.keyConflicts[0]).toMatchObject({ keyType: 'serial-number', values: ['AAA', 'BBB'] });
  });

  it('marks what a complete run no longer lists as missing, only in its scopes', async () => {
    const elsewhere = asset('i-0eee5555ffff6666a', 'aws:999988887777:us-east-1', [
      { type: 'aws-instance-id', value: 'i-0eee5555ffff6666a' },
    ], {});
    await run(ec2, [ec2Web, ec2Other, elsewhere]);
    const second = await run(ec2, [ec2Web], { asOf: '2026-12-01T00:00:00Z', scopes: ['aws:111122223333:eu-west-1'] });
    expect(second.counts.missing).toBe(1);
    const twin = (await store.findByKey({ type: 'aws-instance-id', value: 'i-0ccc3333dddd4444e' }))[0]!;
    expect(twin.sightings[0]).toMatchObject({ status: 'missing', missingSince: '2026-12-01T00:00:00.000Z' });
    const far = (await store.findByKey({ type: 'aws-instance-id', value: 'i-0eee5555ffff6666a' }))[0]!;
    expect(far.sightings[0]?.status).toBe('present');
  });

  it('marks nothing missing after a partial run', async () => {
    await run(ec2, [ec2Web, ec2Other]);
    const partial = await run(ec2, [ec2Web], { asOf: '2026-12-01T00:00:00Z', complete: false });
    expect(partial.counts.missing).toBe(0);
    expect((await all()).every((r) => r.sightings.every((s) => s.status === 'present'))).toBe(true);
  });

  it('never lets an older export overwrite a newer fact', async () => {
    await run(ec2, [{ ...ec2Web, attributes: { runState: 'stopped' } }], { asOf: '2026-12-01T00:00:00Z' });
    const old = await run(ec2, [ec2Web], { asOf: '2026-11-01T00:00:00Z' });
    expect(old.counts.older).toBe(1);
    const web = (await all())[0]!;
    expect(web.attributes['runState']?.value).toBe('stopped');
  });

  it('stores nothing of a run whose parser fails half-way', async () => {
    await run(cmdb, [cmdbWeb]);
    const before = await all();
    await expect(run(ec2, [ec2Web, { fail: true }])).rejects.toThrow('half-way');
    expect(await all()).toEqual(before);
    const runs = await store.listRuns();
    expect(runs.map((r) => r.status).sort()).toEqual(['committed', 'failed']);
  });

  it('only lets a system of record admit', async () => {
    await run(ec2, [{ ...ec2Other, attributes: { admission: 'approved' } }]);
    expect((await all())[0]!.admission).toBe('unknown');
  });
});

describe('runs read out of time order', () => {
  const day = (d: number) => ({ asOf: `2026-11-${d}T00:00:00Z` });
  const since = (r: InventoryRecord | undefined) =>
    r?.sightings.map((s) => `${s.status} ${s.missingSince ?? ''}`.trim());
  const byName = async (name: string) =>
    (await all()).find((r) => r.attributes['name']?.value === name);

  it('lands what a newer complete run did not list as missing since that run', async () => {
    await run(ec2, [ec2Web], day(30));
    const late = await run(ec2, [ec2Web, ec2Other], day(28));
    expect(since(await byName('web-1-twin'))).toEqual(['missing 2026-11-30T00:00:00.000Z']);
    expect(since(await byName('web-1-tag'))).toEqual(['present']);
    // It is new to the store but lands missing, and is counted so, not as added.
    expect(late.counts).toMatchObject({ added: 0, missing: 1, older: 1 });
  });

  it('keeps missing what an older run lists between two complete runs', async () => {
    await run(ec2, [ec2Web, ec2Other], day(27));
    await run(ec2, [ec2Web], day(30));
    const late = await run(ec2, [ec2Web, ec2Other], day(28));
    expect(late.counts.older).toBe(1);
    // Time order: listed on the 27th and 28th, gone from the complete run of the 30th.
    expect(since(await byName('web-1-twin'))).toEqual(['missing 2026-11-30T00:00:00.000Z']);
  });

  it('takes the first sighting from an older run it otherwise ignores', async () => {
    await run(ec2, [ec2Web], day(30));
    const late = await run(ec2, [ec2Web], day(28));
    expect(late.counts.older).toBe(1);
    const web = await byName('web-1-tag');
    expect(web?.firstSeen).toBe('2026-11-28T00:00:00.000Z');
    expect(web?.updatedAt).toBe('2026-11-30T00:00:00.000Z');
  });

  it('leaves another scope of the same format alone', async () => {
    const other = { ...ec2Other, scope: 'aws:111122223333:us-east-1' };
    await run(ec2, [ec2Web], day(30));
    await run(ec2, [ec2Web, other], day(28));
    expect(since(await byName('web-1-twin'))).toEqual(['present']);
  });
});

describe('a complete run that lists no record', () => {
  it('is partial with a warning, unless complete is asked for', async () => {
    await run(ec2, [ec2Web, ec2Other]);
    const empty = await run(ec2, [], { asOf: '2026-12-01T00:00:00Z', complete: true,
      scopes: ['aws:111122223333:eu-west-1'] });
    expect(empty.run.complete).toBe(false);
    expect(empty.counts.missing).toBe(0);
    expect(empty.warnings.map((w) => w.code)).toEqual(['EMPTY_RUN']);
    const asked = await ingest(store, ec2, fakeInput({ meta: { asOf: '2026-12-01T00:00:00Z',
      scopes: ['aws:111122223333:eu-west-1'] }, observations: [] }),
    { rules: DEFAULT_PRECEDENCE, clock, complete: true });
    expect(asked.run.complete).toBe(true);
    expect(asked.counts.missing).toBe(2);
    expect(asked.warnings).toEqual([]);
  });
});
