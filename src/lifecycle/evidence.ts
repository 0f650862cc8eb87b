import type { Confirmation, OffboardingPlan, SharedIdentity } from './plan-types.js';

/**
 * Frameworks an offboarding record answers: OWASP NHI1:2025 (Improper Offboarding), NHI7:2025
 * (Long-Lived Secrets: the keys of a retired host must not outlive it) and NIST CSF 2.0
 * ID.AM-08 (assets are managed throughout their life cycle).
 */
export const EVIDENCE_REFERENCES = [
  'OWASP-NHI1:2025',
  'OWASP-NHI7:2025',
  'NIST-CSF-2.0:ID.AM-08',
] as const;

export interface EvidenceAction {
  readonly id: string;
  readonly type: string;
  readonly target: { readonly recordId: string; readonly name: string; readonly kind: string };
  readonly identifiers: Readonly<Record<string, string>>;
  readonly reason: string;
  readonly state: string;
  readonly plannedAt: string;
  readonly sentAt: string | null;
  readonly sentBy: string | null;
  readonly confirmedAt: string | null;
  /** The later run that showed it done. */
  readonly confirmedBy: Confirmation | null;
}

/** The whole story of one offboarding, exportable as JSON (issue #5, point 6). */
export interface EvidenceRecord {
  readonly planId: string;
  /** True once every action is confirmed; an open plan's record is a draft. */
  readonly complete: boolean;
  readonly summary: string;
  readonly retired: {
    readonly id: string;
    readonly kind: string;
    readonly name: string;
    readonly keys: readonly string[];
    readonly transition: string;
    readonly source: string;
    readonly runId: string | null;
    readonly asOf: string;
    readonly by: string | null;
    readonly reason: string | null;
  };
  readonly actions: readonly EvidenceAction[];
  /** Identities left in place because they still serve live assets. */
  readonly sharedIdentities: readonly SharedIdentity[];
  readonly plannedAt: string;
  readonly completedAt: string | null;
  readonly references: readonly string[];
  readonly generatedAt: string;
}

/**
 * The evidence to show for a plan: the record written when it completed, else (open, or
 * reopened since) a draft built now.
 */
export function currentEvidence(
  plan: OffboardingPlan,
  stored: EvidenceRecord | undefined,
  now: string,
): EvidenceRecord {
  const fits = stored && plan.state === 'completed' && stored.complete &&
    stored.completedAt === (plan.completedAt ?? null);
  return fits ? stored : evidenceOf(plan, now);
}

/** Builds the evidence record of a plan at `now`. Pure. */
export function evidenceOf(plan: OffboardingPlan, now: string): EvidenceRecord {
  const t = plan.trigger;
  const actions = plan.actions.map((a): EvidenceAction => ({
    id: a.id,
    type: a.type,
    target: { recordId: a.target.recordId, name: a.target.name, kind: a.target.kind },
    identifiers: a.target.details,
    reason: a.reason,
    state: a.state,
    plannedAt: a.plannedAt,
    sentAt: a.sentAt ?? null,
    sentBy: a.sentBy ?? null,
    confirmedAt: a.confirmedAt ?? null,
    confirmedBy: a.confirmation ?? null,
  }));
  return {
    planId: plan.id,
    complete: plan.state === 'completed',
    summary: summaryOf(plan),
    retired: {
      id: plan.subject.id,
      kind: plan.subject.kind,
      name: plan.subject.name,
      keys: plan.subject.keys.map((k) => `${k.type}:${k.value}`),
      transition: `${t.dimension} ${t.from ?? '(none)'} → ${t.to}`,
      source: t.source,
      runId: t.runId ?? null,
      asOf: t.asOf,
      by: t.by ?? null,
      reason: t.reason ?? null,
    },
    actions,
    sharedIdentities: plan.shared,
    plannedAt: plan.createdAt,
    completedAt: plan.completedAt ?? null,
    references: [...EVIDENCE_REFERENCES],
    generatedAt: now,
  };
}

function summaryOf(plan: OffboardingPlan): string {
  const t = plan.trigger;
  const who = t.by ? ` by ${t.by}` : '';
  const head = `${plan.subject.name} went ${t.to} per ${t.source}${who} as of ${t.asOf}`;
  const done = plan.actions.filter((a) => a.state === 'confirmed').length;
  const sources = [...new Set(plan.actions.flatMap((a) => a.confirmation?.source ?? []))];
  const confirmed = sources.length > 0 ? `, confirmed by ${sources.join(', ')}` : '';
  const n = plan.shared.length;
  const shared = n > 0 ? `; ${n} shared identit${n === 1 ? 'y' : 'ies'} left for review` : '';
  // Only what Roster found: an export read later may still reveal a key, which reopens the plan.
  const tail = plan.actions.length === 0
    ? `no identity, credential, certificate or SPIRE entry of it was found as of ${plan.createdAt}`
    : `${done} of ${plan.actions.length} revocation(s) confirmed${confirmed}`;
  const reopened = plan.reopenedAt ? `; reopened ${plan.reopenedAt} when a later run showed ` +
    'more to revoke' : '';
  return `${head}; ${tail}${reopened}${shared}`;
}
