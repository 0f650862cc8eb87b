import type { EntityKind, Key } from '../model/types.js';

/**
 * What each revocation does, named after the system and the operation a receiver performs.
 * Receivers dispatch on this; `identity.disable` and `credential.revoke` are the manual
 * fallbacks for things no specific action covers.
 */
export type ActionType =
  | 'aws-access-key.deactivate-delete'
  | 'aws-signing-certificate.deactivate-delete'
  | 'aws-iam-user.disable'
  | 'aws-iam-role.disable'
  | 'certificate.revoke'
  | 'spire-entry.delete'
  | 'k8s-service-account.delete'
  | 'k8s-token.delete'
  | 'vault-lease.revoke-by-accessor'
  | 'vault-secret-id.destroy-by-accessor'
  | 'vault-lease.revoke'
  | 'gcp-service-account-key.delete'
  | 'entra-credential.remove'
  | 'identity.disable'
  | 'credential.revoke';

/**
 * planned: computed, not sent (the dry-run executor leaves it here); sent: an executor
 * delivered it; confirmed: a later run shows the thing inactive or gone; failed: delivery gave
 * up; overdue: not confirmed within the configured days.
 */
export type ActionState = 'planned' | 'sent' | 'confirmed' | 'failed' | 'overdue';
export const ACTION_STATES: readonly ActionState[] = [
  'planned',
  'sent',
  'confirmed',
  'failed',
  'overdue',
];

/** The thing an action revokes, with the identifiers a receiver needs to find it. */
export interface ActionTarget {
  readonly recordId: string;
  readonly kind: EntityKind;
  readonly name: string;
  readonly keys: readonly Key[];
  /** e.g. `userName`, `accessKeyId`, `roleArn`, `namespace`, `fingerprint`, `accessor`. */
  readonly details: Readonly<Record<string, string>>;
}

/** The later run that showed an action done: which source said what, as of when. */
export interface Confirmation {
  readonly source: string;
  readonly format: string;
  readonly runId: string;
  readonly asOf: string;
  readonly field: string;
  readonly value: unknown;
}

export interface OffboardingAction {
  /** Stable id, also the idempotency key receivers deduplicate on. */
  readonly id: string;
  readonly type: ActionType;
  readonly target: ActionTarget;
  /** Why it is in the plan: `runs only on web-01`, `certificate names web-01`. */
  readonly reason: string;
  /** For a credential: the identity it belongs to, when that identity is in the plan. */
  readonly via?: string;
  readonly state: ActionState;
  readonly plannedAt: string;
  readonly dueAt: string;
  readonly sentAt?: string;
  /** Executor that sent it: `webhook:<name>`, `command`. */
  readonly sentBy?: string;
  readonly confirmedAt?: string;
  readonly confirmation?: Confirmation;
  readonly failedAt?: string;
  readonly lastError?: string;
}

/** An identity that also serves live assets: flagged for review, never revoked. */
export interface SharedIdentity {
  readonly recordId: string;
  readonly name: string;
  readonly alsoServes: readonly { readonly id: string; readonly name: string }[];
}

/** The move that started offboarding, with its provenance. */
export interface PlanTrigger {
  readonly dimension: 'lifecycle' | 'admission';
  readonly from: string | null;
  readonly to: string;
  readonly source: string;
  readonly format?: string;
  readonly runId?: string;
  /** As-of of the run that reported the move: only later runs confirm actions. */
  readonly asOf: string;
  readonly by?: string;
  readonly reason?: string;
}

export interface OffboardingPlan {
  readonly id: string;
  readonly subject: {
    readonly id: string;
    readonly kind: EntityKind;
    readonly name: string;
    readonly keys: readonly Key[];
  };
  readonly trigger: PlanTrigger;
  readonly state: 'open' | 'completed';
  readonly createdAt: string;
  readonly completedAt?: string;
  /** Set when a later run revealed something the completed plan had missed. */
  readonly reopenedAt?: string;
  readonly actions: readonly OffboardingAction[];
  readonly shared: readonly SharedIdentity[];
}
