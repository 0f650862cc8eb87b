import { FAIL_CLOSED, type Decision } from './decision.js';
import type { ExplainedFact } from './explain.js';

/**
 * One decision of the log as the API (`GET /api/v1/decisions`), `roster decisions -o json`
 * and the console show it. The field names are a contract: keep them.
 */
export interface DecisionLogItem {
  readonly id: string;
  readonly at: string;
  readonly decision: boolean;
  readonly subject: LoggedParty;
  readonly action: { readonly name: string };
  readonly resource: LoggedParty;
  /** Every reason code that applied, primary first, each with its sentence. */
  readonly reasons: { readonly code: string; readonly message: string }[];
  /** Ids of the policies that decided. */
  readonly policies: string[];
  readonly facts: ExplainedFact[];
  /** The whole explanation in words. */
  readonly message: string;
  readonly proof: { readonly kind: string; readonly ok: boolean; readonly spiffeId: string | null;
    readonly fingerprint: string | null } | null;
  /** Digest of the policy set in force, null when none decided (a fail-closed deny). */
  readonly policySet: string | null;
}

export interface LoggedParty {
  readonly type: string;
  readonly id: string;
  /** The inventory record it resolved to, if any. */
  readonly recordId: string | null;
}

/** What the log keeps of a decision (`StoredDecision` of the SQLite log). */
export interface LoggedDecision {
  readonly id: string;
  readonly at: string;
  readonly decision: boolean;
  readonly reason: string;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly action: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/**
 * A logged decision as a log item. The row's columns are the truth for who, what and the
 * outcome; the explanation comes from the stored decision body, and a body that lacks a part
 * (an older or damaged row) yields empty lists rather than a failure.
 *
 * @example
 * log.list({ decision: false, limit: 20 }).map(logItem)
 */
export function logItem(row: LoggedDecision): DecisionLogItem {
  const d = (row.body['decision'] ?? {}) as Partial<Decision>;
  const codes = Array.isArray(d.reasons) && d.reasons.length > 0 ? d.reasons : [row.reason];
  const deciding = Array.isArray(d.policies) ? d.policies : [];
  const reasons = codes.map((code, i) => {
    const policy = deciding.find((p) => p.reason === code);
    const fixed = (FAIL_CLOSED as Record<string, string>)[code];
    // A fail-closed deny's own message says more than the fixed text (which bundle, what age).
    const own = i === 0 && d.message ? d.message : undefined;
    const message = policy?.message ?? own ?? fixed ?? code;
    return { code, message };
  });
  const proof = d.proof;
  return {
    id: row.id,
    at: row.at,
    decision: row.decision,
    subject: { type: row.subjectType, id: row.subjectId, recordId: d.subject?.recordId ?? null },
    action: { name: row.action },
    resource: { type: row.resourceType, id: row.resourceId,
      recordId: d.resource?.recordId ?? null },
    reasons,
    policies: deciding.map((p) => p.id),
    facts: Array.isArray(d.facts) ? d.facts : [],
    message: typeof d.message === 'string' ? d.message : row.reason,
    proof: proof
      ? { kind: proof.kind, ok: proof.ok, spiffeId: proof.spiffeId ?? null,
        fingerprint: proof.fingerprint ?? null }
      : null,
    policySet: d.policySet ?? null,
  };
}
