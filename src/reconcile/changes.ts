import type { InventoryRecord } from '../model/record.js';

/** Admission and lifecycle moves, with both ends, for lifecycle tracking (issue #5). */
export function transitions(a: InventoryRecord, b: InventoryRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (a.admission !== b.admission) out['admission'] = { from: a.admission, to: b.admission };
  if (a.lifecycle !== b.lifecycle) out['lifecycle'] = { from: a.lifecycle, to: b.lifecycle };
  const source = b.attributes['lifecycle']?.source ?? b.attributes['admission']?.source;
  if (source && Object.keys(out).length > 0) out['source'] = source;
  return out;
}

/**
 * Names of the attributes whose value differs between two versions of a record, each once.
 * `admission` is listed when the record's admission moved, whether or not a source (an
 * operator decision) also carries it as an attribute.
 */
export function changedAttributes(a: InventoryRecord, b: InventoryRecord): string[] {
  const names = new Set([...Object.keys(a.attributes), ...Object.keys(b.attributes)]);
  const out = new Set<string>();
  for (const n of names) {
    const x = a.attributes[n]?.value;
    const y = b.attributes[n]?.value;
    if (x !== y && JSON.stringify(x) !== JSON.stringify(y)) out.add(n);
  }
  if (a.admission !== b.admission) out.add('admission');
  return [...out].sort();
}
