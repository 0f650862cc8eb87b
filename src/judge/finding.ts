import type { EntityKind } from '../model/types.js';

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** Every kind of finding the judge makes (`roster findings --kind`). */
export const FINDING_KINDS = [
  'unknown-asset',
  'unowned-asset',
  'inactive-owner',
  'retired-asset-active',
  'stale-asset',
  'missing-from-source',
  'orphaned-credential',
  'unused-credential',
  'unrotated-credential',
  'root-access-key',
  'human-use-of-nhi',
  'conflicting-attributes',
  'expired-credential',
  'expiring-credential',
  'weak-credential',
  'self-signed-outside-trust',
  'nhi-reuse',
  'environment-crossing',
  'unregistered-workload',
  'long-lived-credential',
  'attestation-overdue',
  'source-silent',
] as const;

export type FindingKind = (typeof FINDING_KINDS)[number];

/** One piece of evidence: which source said what, in which field, as of when. */
export interface Evidence {
  readonly source: string;
  readonly format?: string;
  readonly field: string;
  readonly value: unknown;
  readonly asOf?: string;
  readonly runId?: string;
  /** The record the evidence is about, when it is not the subject itself. */
  readonly recordId?: string;
}

export interface FindingSubject {
  /** A record's kind, or `source` for a finding about a source itself (source-silent). */
  readonly type: EntityKind | 'source';
  readonly id: string;
  readonly name: string;
}

/** A judged problem with its subject, evidence and framework references. */
export interface Finding {
  /** Stable across judgements: the same problem on the same subject keeps its id. */
  readonly id: string;
  readonly kind: FindingKind;
  readonly severity: Severity;
  readonly subject: FindingSubject;
  readonly message: string;
  /** e.g. `OWASP-NHI1:2025`, `NIST-CSF-2.0:ID.AM-08`, `NIST-SP-800-207:tenet-5`. */
  readonly references: readonly string[];
  readonly evidence: readonly Evidence[];
}
