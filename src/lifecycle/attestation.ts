import type { InventoryRecord } from '../model/record.js';
import { attestationInterval } from './config.js';
import { isLeaving } from './stages.js';

export type AttestationStatus = 'ok' | 'due' | 'overdue';

/** When a record's owner must next confirm it is still needed, and from what. */
export interface AttestationDue {
  readonly recordId: string;
  readonly name: string;
  readonly kind: string;
  readonly owner: string;
  readonly criticality: string | null;
  /** The last attestation, else the admission by Roster, else when Roster first saw it. */
  readonly since: string;
  readonly basis: 'attested' | 'admitted' | 'first-seen';
  readonly intervalDays: number;
  readonly dueAt: string;
  readonly status: AttestationStatus;
  readonly attestedBy: string | null;
}

/**
 * Whether a record is subject to owner attestation: an admitted asset or identity with an
 * owner, still in use. Unowned things are a finding of their own (`unowned-asset`).
 */
export function needsAttestation(r: InventoryRecord): boolean {
  if (r.kind !== 'asset' && r.kind !== 'identity') return false;
  if (r.admission !== 'approved' || !r.owner) return false;
  if (isLeaving(r.lifecycle, r.admission)) return false;
  return r.sightings.some((s) => s.status === 'present');
}

/**
 * The attestation due date of a record (issue #5, point 3), or undefined when it needs none.
 * The interval comes from its criticality; an attestation restarts the clock.
 *
 * @example attestationDue(record, { critical: 90, default: 365 }, 14, '2026-12-01T00:00:00Z')
 */
export function attestationDue(
  r: InventoryRecord,
  days: Readonly<Record<string, number>>,
  warnDays: number,
  now: string,
): AttestationDue | undefined {
  if (!needsAttestation(r)) return undefined;
  const { since, basis, by } = baseline(r);
  const intervalDays = attestationInterval(days, r.criticality);
  const dueMs = Date.parse(since) + intervalDays * 86_400_000;
  const dueAt = new Date(dueMs).toISOString();
  const nowMs = Date.parse(now);
  const status: AttestationStatus =
    nowMs > dueMs ? 'overdue' : nowMs >= dueMs - warnDays * 86_400_000 ? 'due' : 'ok';
  return {
    recordId: r.id,
    name: r.name,
    kind: r.kind,
    owner: r.owner!,
    criticality: r.criticality,
    since,
    basis,
    intervalDays,
    dueAt,
    status,
    attestedBy: by,
  };
}

function baseline(r: InventoryRecord) {
  const attested = r.attributes['attestedAt'];
  if (attested && typeof attested.value === 'string' && attested.source === 'roster') {
    const by = r.attributes['roster.attestedBy']?.value;
    const who = typeof by === 'string' ? by : null;
    return { since: attested.value, basis: 'attested' as const, by: who };
  }
  const admitted = r.attributes['roster.admittedAt'];
  if (admitted?.source === 'roster' && typeof admitted.value === 'string') {
    return { since: admitted.value, basis: 'admitted' as const, by: null };
  }
  return { since: r.firstSeen, basis: 'first-seen' as const, by: null };
}
