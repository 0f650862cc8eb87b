import type { InventoryRecord } from '../../src/model/record.js';
import type { IngestResult } from '../../src/reconcile/ingest.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

/**
 * Ingests exports in this order into a fresh in-memory store, and returns each record as its
 * name and sighting statuses (`vm-2 missing`), sorted, with each run's result.
 *
 * @example
 * const { records } = await inventoryAfter([later, earlier], put);
 * expect(records).toContain('vm-2 missing');
 */
export async function inventoryAfter<T>(
  exports: readonly T[],
  put: (store: SqliteStore, e: T) => Promise<IngestResult>,
): Promise<{ records: string[]; results: IngestResult[] }> {
  const store = new SqliteStore({ path: ':memory:' });
  await store.migrate();
  try {
    const results: IngestResult[] = [];
    for (const e of exports) results.push(await put(store, e));
    const all: InventoryRecord[] = [];
    for await (const page of store.scanRecords()) all.push(...page);
    const records = all
      .map((r) => `${r.name} ${r.sightings.map((s) => s.status).join(',')}`)
      .sort();
    return { records, results };
  } finally {
    await store.close();
  }
}

/** Every order of the items, for tests that ingest in any order (DESIGN.md rule 3). */
export function orders<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((x, i) =>
    orders([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]));
}
