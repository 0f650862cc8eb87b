import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding, FindingKind } from '../../judge/finding.js';
import { SqliteStore } from './sqlite-store.js';

const finding = (id: string, kind: FindingKind, subject: string): Finding => ({
  id, kind, severity: 'medium', subject: { type: 'asset', id: subject, name: subject },
  message: `${kind} on ${subject}`, references: [], evidence: [],
});

async function* pagesOf(...pages: Finding[][]): AsyncGenerator<Finding[]> {
  for (const p of pages) yield p;
}

describe('saveJudgementPages', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-judgement-'));
    store = new SqliteStore({ path: join(dir, 'r.db') });
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens new findings, keeps seen ones open since their first time, closes the rest',
    async () => {
      const a = finding('f_a', 'unknown-asset', 'rec_1');
      const b = finding('f_b', 'unowned-asset', 'rec_1');
      const c = finding('f_c', 'unowned-asset', 'rec_2');
      const first = await store.saveJudgementPages(pagesOf([a, b], [c]), '2026-12-01T00:00:00Z');
      expect(first).toEqual({ open: 3, opened: 3, closed: 0,
        byKind: { 'unknown-asset': 1, 'unowned-asset': 2 } });

      const second = await store.saveJudgementPages(pagesOf([a], []), '2026-12-02T00:00:00Z');
      expect(second).toEqual({ open: 1, opened: 0, closed: 2, byKind: { 'unknown-asset': 1 } });
      const open = await store.listFindings({});
      expect(open.map((f) => [f.id, f.openedAt])).toEqual([['f_a', '2026-12-01T00:00:00Z']]);
      const closed = await store.listFindings({ status: 'closed' });
      expect(closed.map((f) => [f.id, f.closedAt])).toEqual([
        ['f_b', '2026-12-02T00:00:00Z'], ['f_c', '2026-12-02T00:00:00Z']]);
      const events = (await store.events(0)).map((e) => [e.type, e.subjectId, e.data['id']]);
      expect(events.filter((e) => e[0] === 'finding.closed')).toEqual([
        ['finding.closed', 'rec_1', 'f_b'], ['finding.closed', 'rec_2', 'f_c']]);
    });

  it('rolls the whole judgement back when a page fails', async () => {
    await store.saveJudgementPages(pagesOf([finding('f_a', 'unknown-asset', 'rec_1')]), 't1');
    async function* failing(): AsyncGenerator<Finding[]> {
      yield [finding('f_b', 'unowned-asset', 'rec_2')];
      throw new Error('judging failed');
    }
    await expect(store.saveJudgementPages(failing(), 't2')).rejects.toThrow('judging failed');
    const open = await store.listFindings({ status: 'all' });
    expect(open.map((f) => [f.id, f.status, f.lastJudgedAt])).toEqual([['f_a', 'open', 't1']]);
  });
});
