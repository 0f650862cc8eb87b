import type { ExplainedFact } from './explain.js';
import type { ProofResult } from './proof/proof.js';
import type { EvaluationRequest } from './request.js';

/**
 * Stable reason codes (DESIGN.md rule 6). Policy reasons come from each policy's `@reason`
 * annotation; these are the ones the decision point itself gives.
 */
export const FAIL_CLOSED = {
  'inventory-not-loaded': 'the inventory holds no committed run yet',
  'inventory-stale': 'the newest inventory run is older than the allowed staleness',
  'no-policies': 'no valid policy set is loaded',
  'policy-error': 'a policy could not be evaluated',
  'missing-attribute': 'a fact a policy needs is missing',
  'subject-unknown': 'the subject is not in the inventory',
  'resource-unknown': 'the resource is not in the inventory',
  'subject-ambiguous': 'the subject id is a key several inventory records hold',
  'resource-ambiguous': 'the resource id is a key several inventory records hold',
  'proof-invalid': 'the workload proof is malformed or breaks the SPIFFE rules',
  'proof-expired': 'the workload proof has expired',
  'proof-untrusted': 'the workload proof does not verify against a configured trust bundle',
  'proof-mismatch': 'the workload proof names another subject',
  'no-permit': 'no policy permits the request',
  'internal-error': 'the decision point failed; denied to fail closed',
} as const;

export type FailClosedReason = keyof typeof FAIL_CLOSED;

export interface DecidingPolicy {
  readonly id: string;
  readonly effect: 'permit' | 'forbid';
  readonly reason: string;
  readonly message: string;
  readonly file: string;
}

/** An explained decision: returned to the caller, printed by `roster decide`, logged. */
export interface Decision {
  /** Sortable id (ULID): the caller quotes it, the log finds it. */
  readonly id: string;
  readonly at: string;
  readonly decision: boolean;
  /** The primary reason code. */
  readonly reason: string;
  /** Every reason code that applied, primary first. */
  readonly reasons: readonly string[];
  /** The decision in words, for operators. */
  readonly message: string;
  readonly policies: readonly DecidingPolicy[];
  readonly facts: readonly ExplainedFact[];
  readonly errors: readonly { readonly policyId: string; readonly message: string }[];
  readonly subject: { readonly type: string; readonly id: string; readonly recordId?: string };
  readonly resource: { readonly type: string; readonly id: string; readonly recordId?: string };
  readonly action: string;
  readonly proof?: {
    readonly kind: string;
    readonly ok: boolean;
    readonly spiffeId?: string;
    readonly fingerprint?: string;
    readonly reason?: string;
  };
  readonly engine: 'compiled' | 'cedar-wasm' | 'none';
  readonly policySet: string | null;
}

/**
 * The AuthZEN response for a decision: `decision`, and a `context` with the decision id, the
 * reason codes, `reason_admin` / `reason_user` (AuthZEN section 5.5.1's reason fields), the
 * deciding policies and the facts used.
 */
export function authzenResponse(
  d: Decision,
): { decision: boolean; context: Record<string, unknown> } {
  return {
    decision: d.decision,
    context: {
      id: d.id,
      reason: d.reason,
      reasons: d.reasons,
      reason_admin: { en: d.message },
      reason_user: { en: userText(d) },
      policies: d.policies.map((p) => ({ id: p.id, effect: p.effect, reason: p.reason })),
      facts: d.facts,
      ...(d.errors.length > 0 ? { errors: d.errors } : {}),
    },
  };
}

/** `reason_user`: what a PEP may show the person it acts for, without inventory detail. */
export function userText(d: Pick<Decision, 'decision' | 'reason'>): string {
  if (d.decision) return 'access granted';
  const reason = d.reason;
  if (reason.startsWith('proof-')) return 'workload identity could not be verified';
  if (reason.startsWith('inventory-') || reason === 'internal-error' || reason === 'no-policies') {
    return 'access cannot be decided now; try again later';
  }
  return 'access denied by policy';
}

/** A fail-closed deny, with the reason in words and the proof's public parts. */
export function failed(
  req: EvaluationRequest,
  id: string,
  at: string,
  reason: FailClosedReason,
  message: string,
  proof?: ProofResult,
): Decision {
  return {
    id,
    at,
    decision: false,
    reason,
    reasons: [reason],
    message: `denied (${reason}): ${message}`,
    policies: [],
    facts: [],
    errors: [],
    subject: { type: req.subject.type, id: req.subject.id },
    resource: { type: req.resource.type, id: req.resource.id },
    action: req.action.name,
    ...(proof ? { proof: publicProof(proof) } : {}),
    engine: 'none',
    policySet: null,
  };
}

export function publicProof(p: ProofResult): NonNullable<Decision['proof']> {
  return {
    kind: p.kind,
    ok: p.ok,
    ...(p.spiffeId ? { spiffeId: p.spiffeId } : {}),
    ...(p.fingerprint ? { fingerprint: p.fingerprint } : {}),
    ...(!p.ok ? { reason: p.reason } : {}),
  };
}

