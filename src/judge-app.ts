/**
 * Composition of judging with source health: every judgement (roster ingest, findings
 * --as-of, serve, watch) reads the health `roster watch` keeps in the database, so that a
 * silent source's records are held back the same way whoever judges, and a judge outside
 * watch does not undo what watch decided (issue #5, point 8). Part of the composition root.
 */
import type { App } from './app.js';
import { freshnessWindow } from './judge/config.js';
import type { Finding } from './judge/finding.js';
import { judgePages } from './judge/judge-store.js';
import {
  silenceExplaining,
  silentFinding,
  silentSources,
  type SilentSource,
} from './lifecycle/source-health.js';
import type { JudgementCounts } from './store/port.js';
import { SqliteLifecycleStore } from './store/sqlite/lifecycle-store.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';

interface Health {
  readonly silent: readonly SilentSource[];
  /** Classes whose end is a lifecycle event: not `missing-from-source` when a run drops them. */
  readonly ephemeral: ReadonlySet<string>;
}

async function healthAt(app: App, now: string): Promise<Health> {
  if (!(app.store instanceof SqliteStore)) return { silent: [], ephemeral: new Set() };
  const states = await new SqliteLifecycleStore(app.store.connection).listSourceStates();
  return {
    silent: silentSources(states, now),
    ephemeral: new Set(states.flatMap((s) => s.ephemeralClasses ?? [])),
  };
}

/**
 * The store's findings at `now`, page by page, adjusted for source health: stale records a
 * silent source explains are held back, missing ephemeral things dropped, and one
 * `source-silent` finding per silent source comes last, with the count it held back.
 */
async function* healthyPages(app: App, now: string): AsyncGenerator<Finding[]> {
  const health = await healthAt(app, now);
  const held = new Map<string, number>();
  const classOf = async (id: string): Promise<string | undefined> => {
    const v = (await app.store.getRecord(id))?.attributes['class']?.value;
    return typeof v === 'string' ? v : undefined;
  };
  for await (const page of judgePages(app.store, app.config.judge, now)) {
    const kept: Finding[] = [];
    for (const f of page) {
      if (f.kind === 'missing-from-source' && health.ephemeral.size > 0) {
        const cls = await classOf(f.subject.id);
        if (cls !== undefined && health.ephemeral.has(cls)) continue;
      }
      if (f.kind === 'stale-asset' && health.silent.length > 0) {
        const window = freshnessWindow(app.config.judge, await classOf(f.subject.id));
        const by = silenceExplaining(f, health.silent, window);
        if (by) {
          held.set(by.name, (held.get(by.name) ?? 0) + 1);
          continue;
        }
      }
      kept.push(f);
    }
    yield kept;
  }
  yield health.silent.map((s) => silentFinding(s, held.get(s.name) ?? 0));
}

/** Judges the inventory at `now` with source health, as one sorted list. */
export async function judgeInventory(app: App, now: string): Promise<Finding[]> {
  const out: Finding[] = [];
  for await (const page of healthyPages(app, now)) out.push(...page);
  return out.sort((a, b) => a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id));
}

/** Judges the inventory at `now` with source health and replaces the stored finding set. */
export function judgeInventoryInto(app: App, now: string): Promise<JudgementCounts> {
  return app.store.saveJudgementPages(healthyPages(app, now), now);
}
