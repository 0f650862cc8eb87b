import { describe, expect, it } from 'vitest';
import { MemoryJudgeContext, type RecordSummary } from './context.js';

function summary(id: string, over: Partial<RecordSummary> = {}): RecordSummary {
  return {
    id, kind: 'asset', name: id, admission: 'approved', lifecycle: 'in-service',
    owner: 'Team A', environment: 'production', criticality: 'high', present: true,
    runState: 'running', active: null, identityType: null, assetClass: 'server',
    expiresAt: null, application: null,
    provenance: { admission: { source: 'cmdb', asOf: '2026-12-01T06:00:00.000Z' } },
    ...over,
  };
}

describe('MemoryJudgeContext', () => {
  it('answers each summary with its own values, the shared ones held once', () => {
    const ctx = new MemoryJudgeContext();
    const a = summary('ast_a');
    const b = summary('ast_b', { owner: 'Team B', lifecycle: null });
    ctx.addSummary(structuredClone(a));
    ctx.addSummary(structuredClone(b));
    expect(ctx.summary('ast_a')).toEqual(a);
    expect(ctx.summary('ast_b')).toEqual(b);
    expect(ctx.summary('ast_a')!.provenance!.admission)
      .toBe(ctx.summary('ast_b')!.provenance!.admission);
    expect(ctx.summary('ast_c')).toBeUndefined();
  });

  it('keeps each related id once, in the order first met, however long the list', () => {
    const ctx = new MemoryJudgeContext();
    const ids = Array.from({ length: 100 }, (_, i) => `ast_${String(i).padStart(3, '0')}`);
    // Every asset owned by one owner, each edge stated twice (two sources), interleaved.
    for (const id of [...ids, ...ids.slice().reverse()]) ctx.addEdge(id, 'own_1', 'owned-by');
    expect(ctx.related('own_1', 'owned-by', 'in')).toEqual(ids);
    expect(ctx.related('ast_007', 'owned-by', 'out')).toEqual(['own_1']);
    expect(ctx.related('ast_007', 'runs-on', 'out')).toEqual([]);
    expect(ctx.related('own_1', 'owned-by', 'out')).toEqual([]);
  });

  it('keeps a relation whose target no record holds as dangling, and no self edge', () => {
    const ctx = new MemoryJudgeContext();
    const key = { type: 'owner' as const, value: 'nobody' };
    ctx.addEdge('ast_a', null, 'owned-by', key);
    ctx.addEdge('ast_a', 'ast_a', 'hosted-on');
    expect(ctx.dangling('ast_a', 'owned-by')).toEqual([key]);
    expect(ctx.dangling('ast_a', 'runs-on')).toEqual([]);
    expect(ctx.related('ast_a', 'hosted-on', 'out')).toEqual([]);
  });
});
