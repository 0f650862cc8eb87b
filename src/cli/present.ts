import type { InventoryRecord } from '../model/record.js';
import type { StoredFinding } from '../store/port.js';
import type { Finding } from '../judge/finding.js';
import { severityColor, type Column } from './output.js';

/** Newest sighting per source: `{ aws: '2026-12-01T00:00:00.000Z', ... }`. */
export function lastSeenBySource(r: InventoryRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of r.sightings) {
    const key = s.status === 'missing' ? `${s.source} (missing)` : s.source;
    if (!out[key] || s.lastSeen > out[key]) out[key] = s.lastSeen;
  }
  return out;
}

/** The JSON shape of a record in listings (issue #2, point 7). */
export function recordJson(r: InventoryRecord): Record<string, unknown> {
  const attr = (n: string): unknown => r.attributes[n]?.value ?? null;
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    keys: r.keys.map((k) => ({ type: k.type, value: k.value })),
    admission: r.admission,
    lifecycle: r.lifecycle,
    owner: r.owner,
    environment: r.environment,
    criticality: r.criticality,
    class: attr('class'),
    ...(r.kind === 'asset' ? { runState: attr('runState') } : {}),
    ...(r.kind === 'identity' ? { identityType: attr('identityType') } : {}),
    ...(r.kind === 'credential'
      ? { credentialType: attr('credentialType'), active: attr('active'), expiresAt: attr('expiresAt') }
      : {}),
    lastSeen: lastSeenBySource(r),
    firstSeen: r.firstSeen,
    updatedAt: r.updatedAt,
  };
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
      { header: 'STATE', value: (r) => attrText(r, 'runState') },
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
  const stored = 'status' in f ? { status: f.status, openedAt: f.openedAt, closedAt: f.closedAt } : {};
  return {
    id: f.id,
    kind: f.kind,
    severity: f.severity,
    subject: f.subject,
    message: f.message,
    references: f.references,
    evidence: f.evidence,
    ...stored,
  };
}

export const findingColumns: Column<Finding>[] = [
  { header: 'SEVERITY', value: (f) => f.severity, color: (s, f) => severityColor(f.severity)(s) },
  { header: 'KIND', value: (f) => f.kind },
  { header: 'SUBJECT', value: (f) => `${f.subject.type}:${f.subject.name}` },
  { header: 'MESSAGE', value: (f) => f.message, width: 110 },
  { header: 'REFERENCES', value: (f) => f.references.join(' ') },
];
