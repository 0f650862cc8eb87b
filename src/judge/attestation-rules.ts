import type { InventoryRecord } from '../model/record.js';
import { attestationDue } from '../lifecycle/attestation.js';
import type { JudgeConfig } from './config.js';
import type { Evidence } from './finding.js';
import { attrEvidence, type FindingDraft } from './make.js';

/**
 * An owner has not confirmed within the interval of the record's criticality that it is still
 * needed (issue #5, point 3; NIST CSF 2.0 ID.AM-08). The attestation state travels on the
 * record itself: Roster writes each attestation as an `attestedAt` observation of its own
 * source, so judging needs nothing beyond the record and the configured intervals.
 */
export function attestationOverdue(
  r: InventoryRecord,
  config: JudgeConfig,
  now: string,
): FindingDraft | undefined {
  const due = attestationDue(r, config.attestationDays, 0, now);
  if (!due || due.status !== 'overdue') return undefined;
  const basis: Evidence = due.basis === 'first-seen'
    ? { source: 'roster', field: 'firstSeen', value: r.firstSeen, asOf: r.firstSeen }
    : attrEvidence(r, due.basis === 'attested' ? 'attestedAt' : 'roster.admittedAt')[0]!;
  return {
    kind: 'attestation-overdue',
    message: `${due.owner} has not attested ${r.name} since ${due.since.slice(0, 10)} ` +
      `(${due.basis}); due every ${due.intervalDays} days, overdue since ${due.dueAt.slice(0, 10)}`,
    evidence: [basis, ...attrEvidence(r, 'owner')],
  };
}
