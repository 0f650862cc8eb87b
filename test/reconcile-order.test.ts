import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InventoryRecord } from '../src/model/record.js';
import { fixedClock } from '../src/model/time.js';
import type { Observation } from '../src/model/types.js';
import { ingest, type IngestResult } from '../src/reconcile/ingest.js';
import { DEFAULT_PRECEDENCE } from '../src/reconcile/rules.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { fakeFormat, fakeInput } from './helpers/fake-format.js';

// DESIGN.md rule 3: ingesting runs in any order gives the same inventory, also when two
// complete exports carry the same as-of and disagree.

const ec2 = fakeFormat('fake-ec2', 'aws', false);
const clock = fixedClock('2026-12-02T00:00:00.000Z');
const IDS = ['i-0a', 'i-0b', 'i-0c', 'i-0d'];
const SCOPES = ['aws:111122223333:eu-west-1', 'aws:111122223333:us-east-1'];

interface Run {
  readonly day: number;
  readonly complete: boolean;
  readonly scope: string;
  readonly listed: readonly string[];
  /** What this export says of every instance it lists (two exports of a day may differ). */
  readonly state: string;
}

/** What an export says about an instance. */
function instance(id: string, run: Run): Observation {
  return {
    kind: 'asset',
    sourceId: id,
    scope: run.scope,
    keys: [{ type: 'aws-instance-id', value: id }],
    attributes: { name: id, runState: run.state },
  };
}

function ingestRun(store: SqliteStore, run: Run, file: string): Promise<IngestResult> {
  const asOf = `2026-11-${run.day}T06:00:00Z`;
  const meta = { asOf, scopes: [run.scope], complete: run.complete };
  const doc = { meta, observations: run.listed.map((id) => instance(id, run)) };
  return ingest(store, ec2, fakeInput(doc, file), { rules: DEFAULT_PRECEDENCE, clock });
}

/** The inventory without ids (they depend on arrival), ordered by keys. */
function portable(records: InventoryRecord[]): unknown[] {
  const strip = (r: InventoryRecord): unknown =>
    JSON.parse(JSON.stringify(r, (k, v) => (k === 'runId' || k === 'id' ? undefined : v)));
  const sig = (r: InventoryRecord): string => JSON.stringify(r.keys);
  return [...records].sort((a, b) => sig(a).localeCompare(sig(b))).map(strip);
}

async function inventory(runs: readonly Run[]): Promise<unknown[]> {
  const store = new SqliteStore({ path: ':memory:' });
  await store.migrate();
  try {
    for (const [i, r] of runs.entries()) await ingestRun(store, r, `run-${i}.json`);
    return portable(await allRecords(store));
  } finally {
    await store.close();
  }
}

const runArb: fc.Arbitrary<Run> = fc.record({
  // Few days, so that equal as-ofs are common.
  day: fc.constantFrom(27, 28, 30),
  complete: fc.boolean(),
  scope: fc.constantFrom(...SCOPES),
  listed: fc.subarray(IDS),
  state: fc.constantFrom('running', 'stopped'),
});


/** Every record of the store, in id order. */
async function allRecords(store: SqliteStore): Promise<InventoryRecord[]> {
  const out: InventoryRecord[] = [];
  for await (const page of store.scanRecords()) out.push(...page);
  return out;
}

describe('ingest order', () => {
  it('gives the same inventory for every order of the same runs', async () => {
    const runsAndOrder = fc
      .array(runArb, { minLength: 1, maxLength: 5 })
      .chain((runs) => fc.tuple(fc.constant(runs), fc.shuffledSubarray(runs, {
        minLength: runs.length,
        maxLength: runs.length,
      })));
    await fc.assert(
      fc.asyncProperty(runsAndOrder, async ([runs, shuffled]) => {
        expect(await inventory(shuffled)).toEqual(await inventory(runs));
      }),
      { numRuns: 100 },
    );
  }, 180_000); // a few hundred in-memory ingests; slow on a loaded machine

  it('keeps the union of two complete exports with the same as-of, and names both', async () => {
    const a: Run = { day: 30, complete: true, scope: SCOPES[0]!, listed: ['i-0a', 'i-0b'],
      state: 'running' };
    const b: Run = { day: 30, complete: true, scope: SCOPES[0]!, listed: ['i-0a', 'i-0c'],
      state: 'running' };
    for (const [first, second] of [[a, b], [b, a]] as const) {
      const store = new SqliteStore({ path: ':memory:' });
      await store.migrate();
      await ingestRun(store, first, 'first.json');
      const late = await ingestRun(store, second, 'second.json');
      const out = await allRecords(store);
      expect(out.flatMap((r) => r.sightings.map((s) => s.status))).toEqual(
        ['present', 'present', 'present'],
      );
      expect(late.counts.missing).toBe(0);
      const conflicts = late.warnings.filter((w) => w.code === 'SAME_AS_OF_CONFLICT');
      // One warning for what only the first listed, one for what only the second listed.
      expect(conflicts).toHaveLength(2);
      for (const w of conflicts) expect(w.message).toContain("'first.json'");
      expect(conflicts.every((w) => w.file === 'second.json')).toBe(true);
      await store.close();
    }
  });

  it('warns nothing when the same complete export comes twice', async () => {
    const a: Run = { day: 30, complete: true, scope: SCOPES[0]!, listed: ['i-0a', 'i-0b'],
      state: 'running' };
    const store = new SqliteStore({ path: ':memory:' });
    await store.migrate();
    await ingestRun(store, a, 'a.json');
    const again = await ingestRun(store, a, 'a.json');
    expect(again.warnings).toEqual([]);
    expect(again.counts).toMatchObject({ added: 0, changed: 0, unchanged: 2, missing: 0 });
    await store.close();
  });
});

describe('two exports of one instant that describe a record differently', () => {
  it('keep the same description in either order, with a warning naming the other', async () => {
    const a: Run = {
      day: 30, complete: true, scope: SCOPES[0]!, listed: ['i-0a'], state: 'running',
    };
    const b: Run = { ...a, state: 'stopped' };
    const seen: unknown[] = [];
    for (const [first, second] of [[a, b], [b, a]] as const) {
      const store = new SqliteStore({ path: ':memory:' });
      await store.migrate();
      await ingestRun(store, first, 'first.json');
      const late = await ingestRun(store, second, 'second.json');
      const out = await allRecords(store);
      seen.push(out[0]?.attributes['runState']?.value);
      expect(late.warnings.map((w) => w.code)).toEqual(['SAME_AS_OF_CONFLICT']);
      expect(late.warnings[0]?.message).toContain("'first.json'");
      await store.close();
    }
    expect(seen[0]).toBe(seen[1]);
  });
});
