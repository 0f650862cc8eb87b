import type { InventoryRecord } from '../model/record.js';
import { findingFields } from '../present/finding-fields.js';
import { recordHead, recordTimes, runStateFields } from '../present/record-fields.js';
import type { ChangeEvent, RunRecord, StoredFinding } from '../store/port.js';
import type { z } from 'zod';
import type { RecordDetail, RecordSummary, HistoryEvent } from './schemas/records.js';
import type { Finding } from './schemas/findings.js';
import type { Run } from './schemas/runs.js';

export function recordSummary(r: InventoryRecord): z.input<typeof RecordSummary> {
  const cls = r.attributes['class']?.value;
  return {
    ...recordHead(r),
    class: typeof cls === 'string' ? cls : null,
    ...(r.kind === 'asset' ? runStateFields(r) : {}),
    ...recordTimes(r),
  };
}

export function recordDetail(r: InventoryRecord): z.input<typeof RecordDetail> {
  return {
    ...recordSummary(r),
    attributes: r.attributes as z.input<typeof RecordDetail>['attributes'],
    sightings: r.sightings.map((s) => ({ ...s })),
    keyConflicts: r.keyConflicts.map((c) => ({
      ...c,
      values: [...c.values],
      recordIds: [...c.recordIds],
    })),
  };
}

export function findingJson(f: StoredFinding): z.input<typeof Finding> {
  return {
    ...findingFields(f),
    status: f.status,
    openedAt: f.openedAt,
    closedAt: f.closedAt,
    lastJudgedAt: f.lastJudgedAt,
  };
}

/**
 * The base name of a run's file: a CLI run stores the full path it read, which tells any reader
 * of the API how the server's disk is laid out. Either separator, since upload names are free.
 */
export function fileBaseName(path: string): string {
  return path.split(/[\\/]/).filter((part) => part !== '').pop() ?? '';
}

export function runJson(r: RunRecord): z.input<typeof Run> {
  return {
    id: r.id,
    format: r.format,
    source: r.source,
    file: fileBaseName(r.file),
    asOf: r.asOf,
    asOfOrigin: r.asOfOrigin,
    complete: r.complete,
    scopes: [...r.scopes],
    startedAt: r.startedAt,
    finishedAt: r.finishedAt ?? null,
    status: r.status,
    counts: r.counts ? { ...r.counts } : null,
  };
}

export function historyJson(e: ChangeEvent): z.input<typeof HistoryEvent> {
  return { seq: e.seq, at: e.at, type: e.type, runId: e.runId, data: { ...e.data } };
}
