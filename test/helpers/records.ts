import type { InventoryRecord } from '../../src/model/record.js';
import type { AttrValue, EntityKind, Key } from '../../src/model/types.js';
import { mergeRecord } from '../../src/reconcile/merge.js';
import type { StoredObservation } from '../../src/reconcile/observation.js';
import { DEFAULT_PRECEDENCE } from '../../src/reconcile/rules.js';

export interface Seen {
  readonly source?: string;
  readonly format?: string;
  readonly asOf?: string;
  readonly status?: 'present' | 'missing';
  readonly missingSince?: string;
  readonly systemOfRecord?: boolean;
  readonly attributes?: Readonly<Record<string, AttrValue>>;
  readonly runId?: string;
}

/**
 * A reconciled record for unit tests, merged by the real merge from one observation per
 * `seen` entry (default: one present sighting by `aws` as of 2026-11-30).
 */
export function record(
  id: string,
  kind: EntityKind,
  keys: readonly Key[],
  attributes: Readonly<Record<string, AttrValue>>,
  seen: readonly Seen[] = [{}],
): InventoryRecord {
  const observations: StoredObservation[] = seen.map((s, i) => ({
    format: s.format ?? `${s.source ?? 'aws'}-export`,
    source: s.source ?? 'aws',
    scope: 'test',
    sourceId: `${id}#${i}`,
    kind,
    recordId: id,
    runId: s.runId ?? `run_${i}`,
    asOf: s.asOf ?? '2026-11-30T00:00:00.000Z',
    firstSeen: s.asOf ?? '2026-11-30T00:00:00.000Z',
    status: s.status ?? 'present',
    ...(s.missingSince ? { missingSince: s.missingSince } : {}),
    keys,
    attributes: { ...attributes, ...s.attributes },
    relations: [],
    systemOfRecord: s.systemOfRecord ?? false,
  }));
  return mergeRecord(id, kind, observations, DEFAULT_PRECEDENCE);
}
