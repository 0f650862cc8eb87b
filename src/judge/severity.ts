import type { Criticality } from '../model/types.js';
import { SEVERITIES, type FindingKind, type Severity } from './finding.js';

/** Severity of each kind before the subject's criticality and environment raise it. */
export const BASE_SEVERITY: Readonly<Record<FindingKind, Severity>> = {
  'unknown-asset': 'medium',
  'unowned-asset': 'medium',
  'inactive-owner': 'medium',
  'retired-asset-active': 'high',
  'stale-asset': 'low',
  'missing-from-source': 'low',
  'orphaned-credential': 'high',
  'unused-credential': 'low',
  'unrotated-credential': 'medium',
  'root-access-key': 'critical',
  'human-use-of-nhi': 'high',
  'conflicting-attributes': 'low',
  'expired-credential': 'medium',
  'expiring-credential': 'low',
  'weak-credential': 'medium',
  'self-signed-outside-trust': 'medium',
  'nhi-reuse': 'medium',
  'environment-crossing': 'high',
  'unregistered-workload': 'medium',
  'long-lived-credential': 'low',
  'attestation-overdue': 'medium',
  'source-silent': 'medium',
};

const CRITICALITY_STEPS: Readonly<Record<Criticality, number>> = {
  critical: 2,
  high: 1,
  medium: 0,
  low: 0,
};

/**
 * Raises a kind's base severity: two steps for a critical subject, one for high, one more in
 * production. Never lowers, never past critical.
 *
 * @example severityFor('unowned-asset', 'critical', 'production') // 'critical'
 */
export function severityFor(
  kind: FindingKind,
  criticality: Criticality | null,
  environment: string | null,
): Severity {
  const base = SEVERITIES.indexOf(BASE_SEVERITY[kind]);
  const raise = (criticality ? CRITICALITY_STEPS[criticality] : 0) +
    (environment === 'production' ? 1 : 0);
  return SEVERITIES[Math.min(base + raise, SEVERITIES.length - 1)]!;
}
