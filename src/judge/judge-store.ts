import type { EntityKind, RelationType } from '../model/types.js';
import type { JudgementCounts, Store } from '../store/port.js';
import type { JudgeConfig } from './config.js';
import { MemoryJudgeContext } from './context.js';
import type { Finding } from './finding.js';
import { judgeRecord } from './judge.js';

/**
 * Builds the judging context from a store: a summary of every record and every resolved
 * relation. Summaries are small, so this stays in memory for millions of records.
 */
export async function loadJudgeContext(store: Store): Promise<MemoryJudgeContext> {
  const ctx = new MemoryJudgeContext();
  for await (const page of store.scanSummaries()) for (const s of page) ctx.addSummary(s);
  for await (const edges of store.allEdges()) {
    for (const e of edges) {
      const ends = ENDS[e.type];
      const from = e.fromId && fits(ctx, e.fromId, ends?.[0]) ? e.fromId : null;
      const to = e.toId && fits(ctx, e.toId, ends?.[1]) ? e.toId : null;
      ctx.addEdge(from, to, e.type, to ? undefined : e.toKey);
    }
  }
  return ctx;
}

/** The kinds each relation joins; a key that resolves to another kind is not a match. */
const ENDS: Partial<Record<RelationType, readonly [EntityKind[], EntityKind[]]>> = {
  'runs-on': [['identity'], ['asset']],
  'belongs-to': [['credential'], ['identity']],
  'owned-by': [['asset', 'identity', 'credential'], ['owner']],
  'hosted-on': [['asset'], ['asset']],
  'issued-by': [['credential'], ['credential']],
};

function fits(ctx: MemoryJudgeContext, id: string, kinds: EntityKind[] | undefined): boolean {
  const s = ctx.summary(id);
  return s !== undefined && (kinds === undefined || kinds.includes(s.kind));
}

/**
 * Judges the store's records page by page at `now`: each page's findings are yielded as soon
 * as they are made, so that a caller can write them away and memory stays bounded by the
 * judging context and one page, whatever the number of findings.
 */
export async function* judgePages(
  store: Store,
  config: JudgeConfig,
  now: string,
): AsyncGenerator<Finding[]> {
  const ctx = await loadJudgeContext(store);
  // Small pages: a decoded record is large, and a page of them lives until it is judged.
  for await (const page of store.scanRecords(undefined, JUDGE_PAGE)) {
    const findings: Finding[] = [];
    for (const r of page) for (const f of judgeRecord(r, ctx, config, now)) findings.push(f);
    yield findings;
  }
}

const JUDGE_PAGE = 500;

/** Judges every record of the store at `now`, as one sorted list (for small stores and views). */
export async function judgeStore(
  store: Store,
  config: JudgeConfig,
  now: string,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  for await (const page of judgePages(store, config, now)) for (const f of page) findings.push(f);
  return findings.sort((a, b) => a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id));
}

/**
 * Judges the whole store at `now` and replaces its open finding set, writing findings as
 * they come (one transaction): the finding set is never held in memory.
 */
export async function judgeIntoStore(
  store: Store,
  config: JudgeConfig,
  now: string,
): Promise<JudgementCounts> {
  return store.saveJudgementPages(judgePages(store, config, now), now);
}
