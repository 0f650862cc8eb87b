import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../store/port.js';
import { record } from '../../test/helpers/records.js';
import { transitionsOf } from './transitions.js';

const cmdbHost = record('ast_1', 'asset', [{ type: 'cmdb-sys-id', value: 'abc' }],
  { name: 'ftp-1', lifecycle: 'in-service', admission: 'approved' },
  [{ source: 'cmdb', format: 'servicenow-cmdb', systemOfRecord: true, runId: 'run_9' }]);
const event = (data: Record<string, unknown>): ChangeEvent => ({
  seq: 42, at: '2026-12-02T07:00:00.000Z', type: 'record.changed', subjectId: 'ast_1',
  runId: 'run_9', data: { fields: ['lifecycle'], ...data },
});

describe('transitions from change events', () => {
  it('records a source move with its source, run and time', () => {
    const [t] = transitionsOf(event({ lifecycle: { from: 'decommissioning', to: 'in-service' },
      source: 'cmdb' }), cmdbHost);
    expect(t).toEqual({
      id: 'trn_42_lifecycle', recordId: 'ast_1', recordName: 'ftp-1', dimension: 'lifecycle',
      from: 'decommissioning', to: 'in-service', source: 'cmdb', format: 'servicenow-cmdb',
      runId: 'run_9', at: '2026-12-02T07:00:00.000Z', by: null, reason: null, legal: true,
      note: null, eventSeq: 42,
    });
  });

  it('keeps an illegal move a source reports, flagged with the reason', () => {
    const found = transitionsOf(event({ lifecycle: { from: 'retired', to: 'in-service' },
      admission: { from: 'retired', to: 'approved' }, source: 'cmdb' }), cmdbHost);
    expect(found.map((t) => [t.dimension, t.legal, t.note])).toEqual([
      ['lifecycle', false, 'retired is final; a returning thing is admitted as a new one'],
      ['admission', false, 'admission retired may not become approved'],
    ]);
  });

  it("names the operator and the reason when the move is Roster's own decision", () => {
    const decided = record('ast_1', 'asset', [{ type: 'cmdb-sys-id', value: 'abc' }],
      { name: 'ftp-1', lifecycle: 'retired', 'roster.by': 'bob', 'roster.reason': 'unused' },
      [{ source: 'roster', format: 'roster-admission', systemOfRecord: true }]);
    const [t] = transitionsOf(event({ lifecycle: { from: 'in-service', to: 'retired' },
      source: 'roster' }), decided);
    expect(t).toMatchObject({ source: 'roster', by: 'bob', reason: 'unused', legal: true });
  });

  it('ignores events without a move', () => {
    expect(transitionsOf(event({}), cmdbHost)).toEqual([]);
    expect(transitionsOf({ ...event({}), type: 'finding.opened' }, cmdbHost)).toEqual([]);
  });
});
