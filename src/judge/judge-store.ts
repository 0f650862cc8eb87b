import type { EntityKind, RelationType } from '../model/types.js';
import type { Store } from '../store/port.js';
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

/** Judges every record of the store at `now`. */
export async function judgeStore(
  store: Store,
  config: JudgeConfig,
  now: string,
): Promise<Finding[]> {
  const ctx = await loadJudgeContext(store);
  const findings: Finding[] = [];
  for await (const page of store.scanRecords()) {
    for (const r of page) findings.push(...judgeRecord(r, ctx, config, now));
  }
  return findings.sort((a, b) => a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id));
}
