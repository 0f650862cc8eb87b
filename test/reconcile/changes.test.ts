import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { changedAttributes } from '../../src/reconcile/changes.js';
import { record } from '../helpers/records.js';

const KEYS = [{ type: 'aws-instance-id', value: 'i-0123456789abcdef0' }] as const;

describe('changedAttributes', () => {
  it('lists admission once when it is both an attribute and the record admission', () => {
    // As an operator decision leaves it: the attribute and the record's admission both move.
    const before = record('ast_1', 'asset', KEYS, { admission: 'unknown', owner: 'a' });
    const after = {
      ...record('ast_1', 'asset', KEYS, { admission: 'approved', owner: 'b' }),
      admission: 'approved' as const,
    };
    expect(before.admission).toBe('unknown');
    expect(changedAttributes(before, after)).toEqual(['admission', 'owner']);
  });

  it('lists admission when only the record admission moved, nothing when nothing did', () => {
    const before = record('ast_1', 'asset', KEYS, { owner: 'a' });
    const after = { ...before, admission: 'retired' as const };
    expect(changedAttributes(before, after)).toEqual(['admission']);
    expect(changedAttributes(before, before)).toEqual([]);
  });
});

async function roster(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'roster', ...args], {
    out: (t) => out.push(t), err: (t) => err.push(t), color: false,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('record.changed after roster admit', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-changes-'));
    db = join(dir, 'roster.db');
    expect((await roster('--db', db, 'demo')).code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names each changed field once', async () => {
    const admit = await roster('--db', db, 'admit', 'canary-07', '--owner', 'team-edge',
      '--purpose', 'canary', '--by', 'test', '--now', '2026-12-01T13:00:00Z');
    expect(admit.code, admit.err).toBe(0);
    const events = JSON.parse((await roster('--db', db, 'events', '-o', 'json')).out) as {
      type: string; data: { fields?: string[]; admission?: { from: string; to: string } };
    }[];
    const changed = events.filter((e) => e.type === 'dev.roster.record.changed' &&
      e.data.admission?.to === 'approved');
    expect(changed).toHaveLength(1);
    expect(changed[0]!.data.fields).toEqual(['admission', 'owner', 'purpose',
      'roster.admittedAt', 'roster.at', 'roster.by', 'roster.decision']);
    expect(changed[0]!.data.admission).toEqual({ from: 'unknown', to: 'approved' });
  });
});
