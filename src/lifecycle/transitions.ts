import type { InventoryRecord } from '../model/record.js';
import type { ChangeEvent } from '../store/port.js';
import { checkAdmission, checkLifecycle, isAdmission, isLifecycleStage } from './stages.js';

/** One recorded move of a record's admission or lifecycle: who, when, why, from where. */
export interface Transition {
  readonly id: string;
  readonly recordId: string;
  readonly recordName: string;
  readonly dimension: 'lifecycle' | 'admission';
  readonly from: string | null;
  readonly to: string | null;
  readonly source: string;
  readonly format: string | null;
  readonly runId: string | null;
  /** As-of of the run that reported it. */
  readonly at: string;
  readonly by: string | null;
  readonly reason: string | null;
  /** False when the state machine does not allow the move: recorded anyway, flagged. */
  readonly legal: boolean;
  readonly note: string | null;
  readonly eventSeq: number;
}

interface Move {
  readonly from: unknown;
  readonly to: unknown;
}

function moveOf(v: unknown): Move | undefined {
  if (typeof v !== 'object' || v === null || !('to' in v)) return undefined;
  return v as Move;
}

function text(r: InventoryRecord | undefined, name: string): string | null {
  const v = r?.attributes[name]?.value;
  return typeof v === 'string' && v !== '' ? v : null;
}

/**
 * Whether `transitionsOf` or `refusedReturns` can find anything in this event for a record in
 * this state: a move of its admission or lifecycle in the event, or a retired record that a
 * source may have tried to bring back. When not, the record need not be read whole.
 */
export function mayTransition(
  ev: ChangeEvent,
  state: Pick<InventoryRecord, 'admission' | 'lifecycle'>,
): boolean {
  if (ev.type !== 'record.changed' || !ev.subjectId) return false;
  if (moveOf(ev.data['lifecycle']) || moveOf(ev.data['admission'])) return true;
  return state.lifecycle === 'retired' || state.admission === 'retired';
}

/**
 * The transitions a `record.changed` event carries (reconcile/ingest.ts writes `admission`
 * and `lifecycle` moves with both ends). A source is a fact: an illegal move is kept, flagged.
 */
export function transitionsOf(ev: ChangeEvent, record: InventoryRecord | undefined): Transition[] {
  if (ev.type !== 'record.changed' || !ev.subjectId) return [];
  const out: Transition[] = [];
  for (const dimension of ['lifecycle', 'admission'] as const) {
    const move = moveOf(ev.data[dimension]);
    if (!move) continue;
    const claim = record?.attributes[dimension];
    const reported = typeof ev.data['source'] === 'string' ? ev.data['source'] : '?';
    const source = claim?.source ?? reported;
    const check = legality(dimension, move);
    const fromRoster = source === 'roster';
    out.push({
      id: `trn_${ev.seq}_${dimension}`,
      recordId: ev.subjectId,
      recordName: record?.name ?? ev.subjectId,
      dimension,
      from: asText(move.from),
      to: asText(move.to),
      source,
      format: claim?.format ?? null,
      runId: ev.runId ?? claim?.runId ?? null,
      at: ev.at,
      by: fromRoster ? text(record, 'roster.by') : null,
      reason: fromRoster ? text(record, 'roster.reason') : null,
      legal: check.ok,
      note: check.ok ? null : check.reason,
      eventSeq: ev.seq,
    });
  }
  return out;
}

function asText(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function legality(dimension: 'lifecycle' | 'admission', move: Move) {
  if (dimension === 'lifecycle') {
    if (!isLifecycleStage(move.to)) return { ok: true } as const;
    return checkLifecycle(isLifecycleStage(move.from) ? move.from : null, move.to);
  }
  if (!isAdmission(move.from) || !isAdmission(move.to)) return { ok: true } as const;
  return checkAdmission(move.from, move.to);
}

/**
 * The moves back from retired that a source reported in this event's run and that Roster
 * refused (it holds retirements: retired is final). Recorded like any illegal move a source
 * reports, flagged, with the source's claim; the record itself stays retired.
 */
export function refusedReturns(ev: ChangeEvent, record: InventoryRecord): Transition[] {
  if (ev.type !== 'record.changed' || !ev.subjectId || !ev.runId) return [];
  if (record.attributes['roster.retiredAsOf'] === undefined) return [];
  const out: Transition[] = [];
  for (const dimension of ['lifecycle', 'admission'] as const) {
    const attr = record.attributes[dimension];
    if (attr?.value !== 'retired') continue;
    const claim = attr.conflicts.find((c) => c.runId === ev.runId && c.value !== 'retired');
    if (!claim) continue;
    const check = legality(dimension, { from: 'retired', to: claim.value });
    if (check.ok) continue;
    out.push({
      id: `trn_${ev.seq}_${dimension}`,
      recordId: record.id,
      recordName: record.name,
      dimension,
      from: 'retired',
      to: asText(claim.value),
      source: claim.source,
      format: claim.format,
      runId: claim.runId,
      at: ev.at,
      by: null,
      reason: null,
      legal: false,
      note: check.reason,
      eventSeq: ev.seq,
    });
  }
  return out;
}
