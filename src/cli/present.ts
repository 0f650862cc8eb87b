import type { InventoryRecord } from '../model/record.js';
import { findingFields } from '../present/finding-fields.js';
import {
  lastSeenBySource, recordHead, recordTimes, runStateFields, runStateText,
} from '../present/record-fields.js';
import type { StoredFinding } from '../store/port.js';
import type { Finding } from '../judge/finding.js';
import { severityColor, type Column } from './output.js';

/** The JSON shape of a record in listings (issue #2, point 7). */
export function recordJson(r: InventoryRecord): Record<string, unknown> {
  return { ...recordHead(r), class: attrOrNull(r, 'class'), ...kindFields(r), ...recordTimes(r) };
}

/** The attributes a listing of one kind shows beside the shared fields. */
function kindFields(r: InventoryRecord): Record<string, unknown> {
  const attr = (n: string): unknown => attrOrNull(r, n);
  if (r.kind === 'asset') return runStateFields(r);
  if (r.kind === 'identity') return { identityType: attr('identityType') };
  if (r.kind === 'credential') {
    return {
      credentialType: attr('credentialType'),
      active: attr('active'),
      expiresAt: attr('expiresAt'),
    };
  }
  return {};
}

function attrOrNull(r: InventoryRecord, name: string): unknown {
  return r.attributes[name]?.value ?? null;
}

const attrText = (r: InventoryRecord, n: string): string => {
  const v = r.attributes[n]?.value;
  return v === undefined || v === null ? '' : String(v);
};

export function recordColumns(kind: string): Column<InventoryRecord>[] {
  const base: Column<InventoryRecord>[] = [
    { header: 'NAME', value: (r) => r.name },
    { header: 'ADMISSION', value: (r) => r.admission },
  ];
  const sources: Column<InventoryRecord> = {
    header: 'SOURCES',
    value: (r) => Object.keys(lastSeenBySource(r)).sort().join(','),
  };
  const id: Column<InventoryRecord> = { header: 'ID', value: (r) => r.id };
  if (kind === 'asset') {
    return [
      ...base,
      { header: 'LIFECYCLE', value: (r) => r.lifecycle ?? '' },
      { header: 'STATE', value: runStateText },
      { header: 'OWNER', value: (r) => r.owner ?? '' },
      { header: 'ENV', value: (r) => r.environment ?? '' },
      { header: 'CRIT', value: (r) => r.criticality ?? '' },
      sources,
      id,
    ];
  }
  if (kind === 'identity') {
    return [...base, { header: 'TYPE', value: (r) => attrText(r, 'identityType') },
      { header: 'OWNER', value: (r) => r.owner ?? '' }, sources, id];
  }
  if (kind === 'credential') {
    return [
      ...base,
      { header: 'TYPE', value: (r) => attrText(r, 'credentialType') },
      { header: 'ACTIVE', value: (r) => attrText(r, 'active') },
      { header: 'LAST USED', value: (r) => attrText(r, 'lastUsedAt').slice(0, 10) },
      { header: 'EXPIRES', value: (r) => attrText(r, 'expiresAt').slice(0, 10) },
      sources,
      id,
    ];
  }
  return [...base, { header: 'ACTIVE', value: (r) => attrText(r, 'active') }, sources, id];
}

/** The JSON shape of a finding (issue #2, point 7). */
export function findingJson(f: Finding | StoredFinding): Record<string, unknown> {
  // A finding judged on the spot (`findings --as-of`) is not stored: no status, no dates.
  const stored = 'status' in f
    ? { status: f.status, openedAt: f.openedAt, closedAt: f.closedAt }
    : {};
  return { ...findingFields(f), ...stored };
}

export const findingColumns: Column<Finding>[] = [
  { header: 'SEVERITY', value: (f) => f.severity, color: (s, f) => severityColor(f.severity)(s) },
  { header: 'KIND', value: (f) => f.kind },
  { header: 'SUBJECT', value: (f) => `${f.subject.type}:${f.subject.name}` },
  { header: 'MESSAGE', value: (f) => f.message, width: 110 },
  { header: 'REFERENCES', value: (f) => f.references.join(' ') },
];
