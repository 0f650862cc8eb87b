import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RosterError } from '../../src/model/errors.js';
import type { Observation } from '../../src/model/types.js';
import { fixedClock } from '../../src/model/time.js';
import { ingest } from '../../src/reconcile/ingest.js';
import { DEFAULT_PRECEDENCE } from '../../src/reconcile/rules.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { fakeFormat, fakeInput } from '../helpers/fake-format.js';

// A scope ending in /* names a family (model/scopes.ts), which a complete run covers whole.
// Only a format that lists several types may derive one; from a user or from the text of a
// file, a family would let one file retire every scope below it.

const fleet = fakeFormat('fake-fleet', 'fleet', false);
const clock = fixedClock('2026-12-02T00:00:00Z');
const host = (id: string, scope: string): Observation =>
  ({ kind: 'asset', sourceId: id, scope, keys: [{ type: 'hostname', value: id }],
    attributes: { name: id } });

let store: SqliteStore;
beforeEach(async () => {
  store = new SqliteStore({ path: ':memory:' });
  await store.migrate();
});
afterEach(() => store.close());

const put = (meta: object, observations: Observation[], scope?: string) =>
  ingest(store, fleet, fakeInput({ meta, observations }, 'hosts.json'), {
    rules: DEFAULT_PRECEDENCE, clock, ...(scope !== undefined ? { scope } : {}),
  });

async function statuses(): Promise<string[]> {
  const out: string[] = [];
  for await (const page of store.scanRecords()) {
    out.push(...page.map((r) => `${r.name} ${r.sightings.map((s) => s.status).join(',')}`));
  }
  return out.sort();
}

async function seed(): Promise<void> {
  await put({ asOf: '2026-12-01T00:00:00Z', complete: true },
    [host('a', 'fleet:corp/prod'), host('b', 'fleet:corp/dev')]);
}

describe('families of scopes from users and files', () => {
  it('refuses a --scope ending in /* before reading, naming the field', async () => {
    await seed();
    const err = await put({ asOf: '2026-12-01T06:00:00Z', complete: true }, [], 'fleet:corp/*')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RosterError);
    expect((err as RosterError).code).toBe('BAD_INPUT');
    expect((err as RosterError).message).toMatch(/^scope 'fleet:corp\/\*' ends in \/\*/);
    expect(await statuses()).toEqual(['a present', 'b present']);
    // The refused run is kept as failed, and it covers nothing.
    const runs = await store.listRuns();
    expect(runs.map((r) => r.status).sort()).toEqual(['committed', 'failed']);
  });

  it('refuses a family the file itself names, from a format that gives none', async () => {
    await seed();
    const err = await put({ asOf: '2026-12-01T06:00:00Z', complete: true,
      scopes: ['fleet:corp/*'] }, [], undefined).catch((e: unknown) => e);
    expect((err as RosterError).message).toBe("hosts.json: the export names the scope " +
      "'fleet:corp/*', which ends in /* and so names a family of scopes; fake-fleet gives no " +
      'families: the run is refused, nothing of it stored');
    expect(await statuses()).toEqual(['a present', 'b present']);
  });

  it('still lets a plain scope of the same run mark what it no longer lists', async () => {
    await seed();
    await put({ asOf: '2026-12-01T06:00:00Z', complete: true, scopes: ['fleet:corp/prod'] }, []);
    expect(await statuses()).toEqual(['a present', 'b present']); // empty: partial (EMPTY_RUN)
    await put({ asOf: '2026-12-01T07:00:00Z', complete: true }, [host('c', 'fleet:corp/prod')]);
    expect(await statuses()).toEqual(['a missing', 'b present', 'c present']);
  });
});
