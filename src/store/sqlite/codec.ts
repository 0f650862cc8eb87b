import { summarise, type RecordSummary } from '../../judge/context.js';
import type { InventoryRecord } from '../../model/record.js';
import type { StoredObservation } from '../../reconcile/observation.js';
import type { RunRecord, StoredFinding } from '../port.js';
import { decodeRecordBody, encodeRecordBody } from './record-body.js';

export interface RecordRow {
  id: string;
  kind: string;
  name: string;
  admission: string;
  lifecycle: string | null;
  owner: string | null;
  environment: string | null;
  criticality: string | null;
  first_seen: string;
  updated_at: string;
  search: string;
  /** The record's judging summary as JSON; null in rows written before it was kept. */
  summary: string | null;
  body: string;
}

export function recordToRow(r: InventoryRecord): RecordRow {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    admission: r.admission,
    lifecycle: r.lifecycle,
    owner: r.owner,
    environment: r.environment,
    criticality: r.criticality,
    first_seen: r.firstSeen,
    updated_at: r.updatedAt,
    search: searchText(r),
    summary: JSON.stringify(summarise(r)),
    body: encodeRecordBody(r),
  };
}

/** A record's judging summary from its row, without parsing the body when the row has one. */
export function rowToSummary(row: RecordRow): RecordSummary {
  return row.summary ? (JSON.parse(row.summary) as RecordSummary) : summarise(rowToRecord(row));
}

/** Lower-case text of name and key values, for substring search over names and keys. */
function searchText(r: InventoryRecord): string {
  return [r.name, ...r.keys.map((k) => k.value)].join(' ').toLowerCase();
}

export function rowToRecord(row: RecordRow): InventoryRecord {
  const body = decodeRecordBody(row.body);
  return {
    id: row.id,
    kind: row.kind as InventoryRecord['kind'],
    name: row.name,
    keys: body.keys,
    attributes: body.attributes,
    sightings: body.sightings,
    keyConflicts: body.keyConflicts,
    admission: row.admission as InventoryRecord['admission'],
    lifecycle: row.lifecycle as InventoryRecord['lifecycle'],
    owner: row.owner,
    environment: row.environment,
    criticality: row.criticality as InventoryRecord['criticality'],
    firstSeen: row.first_seen,
    updatedAt: row.updated_at,
  };
}

export interface ObservationRow {
  format: string;
  scope: string;
  source_id: string;
  record_id: string;
  run_id: string;
  as_of: string;
  status: string;
  body: string;
}

type ObservationBody = Omit<
  StoredObservation,
  'format' | 'scope' | 'sourceId' | 'recordId' | 'runId' | 'asOf' | 'status'
>;

export function observationToRow(o: StoredObservation): ObservationRow {
  const { format, scope, sourceId, recordId, runId, asOf, status, ...rest } = o;
  const body: ObservationBody = rest;
  return {
    format,
    scope,
    source_id: sourceId,
    record_id: recordId,
    run_id: runId,
    as_of: asOf,
    status,
    body: JSON.stringify(body),
  };
}

export function rowToObservation(row: ObservationRow): StoredObservation {
  const body = JSON.parse(row.body) as ObservationBody;
  return {
    ...body,
    format: row.format,
    scope: row.scope,
    sourceId: row.source_id,
    recordId: row.record_id,
    runId: row.run_id,
    asOf: row.as_of,
    status: row.status as StoredObservation['status'],
  };
}

export interface RunRow {
  id: string;
  format: string;
  source: string;
  file: string;
  as_of: string;
  as_of_origin: string;
  complete: number;
  scopes: string;
  started_at: string;
  finished_at: string | null;
  status: string;
  counts: string | null;
}

export function runToRow(r: RunRecord): RunRow {
  return {
    id: r.id,
    format: r.format,
    source: r.source,
    file: r.file,
    as_of: r.asOf,
    as_of_origin: r.asOfOrigin,
    complete: r.complete ? 1 : 0,
    scopes: JSON.stringify(r.scopes),
    started_at: r.startedAt,
    finished_at: r.finishedAt ?? null,
    status: r.status,
    counts: r.counts ? JSON.stringify(r.counts) : null,
  };
}

export function rowToRun(row: RunRow): RunRecord {
  return {
    id: row.id,
    format: row.format,
    source: row.source,
    file: row.file,
    asOf: row.as_of,
    asOfOrigin: row.as_of_origin as RunRecord['asOfOrigin'],
    complete: row.complete === 1,
    scopes: JSON.parse(row.scopes) as string[],
    startedAt: row.started_at,
    ...(row.finished_at ? { finishedAt: row.finished_at } : {}),
    status: row.status as RunRecord['status'],
    ...(row.counts ? { counts: JSON.parse(row.counts) as RunRecord['counts'] } : {}),
  };
}

export interface FindingRow {
  id: string;
  kind: string;
  severity: string;
  subject_id: string;
  status: string;
  opened_at: string;
  closed_at: string | null;
  last_judged_at: string;
  body: string;
}

/** What the body column holds: the lifecycle fields have columns of their own. */
type FindingBody = Omit<StoredFinding, 'status' | 'openedAt' | 'closedAt' | 'lastJudgedAt'>;

export function rowToFinding(row: FindingRow): StoredFinding {
  const body = JSON.parse(row.body) as FindingBody;
  return {
    ...body,
    status: row.status as StoredFinding['status'],
    openedAt: row.opened_at,
    closedAt: row.closed_at,
    lastJudgedAt: row.last_judged_at,
  };
}
