import type { InventoryRecord } from '../model/record.js';
import { currentRunState } from '../model/run-state.js';

/**
 * The fields shared by the CLI's and the API's JSON views of a record. Each view puts its own
 * fields between these two groups, so both keep one order: identity first, times last.
 */

/** What the record is, how it is known, and who answers for it. */
export function recordHead(r: InventoryRecord) {
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
  };
}

/** When each source last saw the record, and when Roster first saw and last changed it. */
export function recordTimes(r: InventoryRecord) {
  return { lastSeen: lastSeenBySource(r), firstSeen: r.firstSeen, updatedAt: r.updatedAt };
}

/**
 * Newest sighting per source: `{ aws: '2026-12-01T00:00:00.000Z' }`; a source that lost sight
 * of the record reads `aws (missing)`. Roster itself is not listed.
 */
export function lastSeenBySource(r: InventoryRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of r.sightings) {
    // Roster's own word (an admission, a retirement it holds) is not a sighting of the thing.
    if (s.source === 'roster') continue;
    const key = s.status === 'missing' ? `${s.source} (missing)` : s.source;
    if (!out[key] || s.lastSeen > out[key]) out[key] = s.lastSeen;
  }
  return out;
}

/**
 * An asset's run state for every view (CLI table and JSON, API): `runState` is what a source
 * that still lists the asset says, or `missing` once none does; `runStateLastReported` then
 * says what was last reported, by which source, and since when the asset is missing from it.
 */
export function runStateFields(r: InventoryRecord) {
  const s = currentRunState(r);
  return {
    runState: s?.state ?? null,
    ...(s?.lastReported ? { runStateLastReported: { ...s.lastReported } } : {}),
  };
}

/** The same in words for a table cell: `running`, or `missing since 2026-11-30 (was running)`. */
export function runStateText(r: InventoryRecord): string {
  const s = currentRunState(r);
  if (!s) return '';
  if (!s.lastReported) return s.state;
  return `missing since ${s.lastReported.missingSince.slice(0, 10)} (was ${s.lastReported.value})`;
}
