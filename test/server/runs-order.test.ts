import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roster } from '../helpers/cli.js';
import { startHarness, type Harness } from './harness.js';

interface RunOut {
  readonly id: string;
  readonly file: string;
  readonly format: string;
  readonly startedAt: string;
}

/** The exports' runs, without one Roster makes to hold a retired record retired. */
const exported = (runs: RunOut[]) => runs.filter((r) => r.format !== 'roster-retirement');

const FILES = [
  'examples/estate/cmdb-users.json',
  'examples/estate/cmdb-servers.csv',
  'examples/estate/aws-credential-report.csv',
];
const NAMES = FILES.map((f) => f.slice(f.lastIndexOf('/') + 1));
const AT = '2026-12-01T06:00:00Z';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ empty: true });
  // One instant for all three runs (a fixed clock, as `roster demo` has).
  const r = await roster('--db', h.db, 'ingest', ...FILES, '--as-of', AT, '--now', AT,
    '--no-judge', '-q');
  expect(r.code, r.err).toBe(0);
});
afterAll(async () => h.close());

describe('runs of one instant', () => {
  it('are listed newest first by the API, in the reverse of their ingest order', async () => {
    const page = await h.getJson<{ items: RunOut[] }>('/api/v1/runs?limit=100');
    const runs = exported(page.items);
    expect(new Set(runs.map((r) => r.startedAt)).size).toBe(1);
    expect(runs.map((r) => r.file)).toEqual([...NAMES].reverse());
  });

  it('are listed in the same order by the CLI, and again on every listing', async () => {
    const list = async () =>
      (JSON.parse((await roster('--db', h.db, 'runs', '-o', 'json')).out) as RunOut[]);
    const first = await list();
    expect(exported(first).map((r) => r.file)).toEqual([...FILES].reverse());
    const api = await h.getJson<{ items: RunOut[] }>('/api/v1/runs?limit=100');
    expect(first.map((r) => r.id)).toEqual(api.items.map((r) => r.id));
    expect((await list()).map((r) => r.id)).toEqual(first.map((r) => r.id));
  });
});
