import type { EvidenceRecord } from './evidence.js';
import type { OffboardingPlan } from './plan-types.js';
import type { Transition } from './transitions.js';

/** One recorded owner attestation (history; the latest also reaches the record). */
export interface Attestation {
  readonly id: string;
  readonly recordId: string;
  readonly owner: string | null;
  readonly by: string;
  readonly at: string;
  readonly note: string | null;
}

/** What waits to go out: an offboarding action or an inventory change event. */
export interface OutboxItem {
  readonly id: string;
  /** Receivers drop a second delivery with the same key. */
  readonly idempotencyKey: string;
  readonly kind: 'action' | 'event';
  /** `webhook:<name>` or `command`. */
  readonly target: string;
  /** The CloudEvent, serialised once so that every retry sends the same bytes. */
  readonly body: string;
  readonly state: 'pending' | 'delivered' | 'failed';
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly createdAt: string;
  readonly deliveredAt: string | null;
  readonly lastError: string | null;
  readonly planId: string | null;
  readonly actionId: string | null;
}

/** One run a watched source's export made. */
export interface SourceRun {
  readonly id: string;
  readonly asOf: string;
}

/**
 * Per watched source: what was last read, when it last said something new, and what
 * `roster watch` expects of it. Kept in the database so that every judge, not only the watch
 * process, knows which sources are silent.
 */
export interface SourceState {
  readonly name: string;
  readonly fingerprint: string | null;
  /** When Roster first tried to read it: silence before any export counts from here. */
  readonly firstReadAt: string;
  readonly lastReadAt: string | null;
  /** Last time the source gave a new export (a changed file, a command that succeeded). */
  readonly lastFreshAt: string | null;
  readonly nextAt: string | null;
  readonly failures: number;
  readonly lastError: string | null;
  /** Formats its exports were read as: the records they cover are its records. */
  readonly formats: readonly string[];
  /** How often watch reads it, and how long without news makes it silent (seconds). */
  readonly everySeconds?: number;
  readonly silentAfterSeconds?: number;
  /** Runs of its last new export. */
  readonly lastRuns?: readonly SourceRun[];
  /** Classes that come and go (watch's `ephemeralClasses`) as of the last watch. */
  readonly ephemeralClasses?: readonly string[];
}

export interface OutboxLease {
  readonly at: string;
  readonly seconds: number;
}

export interface PlanQuery {
  readonly state?: 'open' | 'completed';
  readonly subjectId?: string;
}

/**
 * Storage for lifecycle state (issue #5): SQLite now, PostgreSQL later. Writes are small and
 * each is atomic on its own; the outbox claim is what keeps two drainers from double-sending.
 */
export interface LifecycleStore {
  cursor(name: string): Promise<number>;
  setCursor(name: string, seq: number): Promise<void>;

  addTransitions(transitions: readonly Transition[]): Promise<void>;
  listTransitions(recordId?: string, limit?: number): Promise<Transition[]>;

  addAttestation(a: Attestation): Promise<void>;
  listAttestations(recordId: string): Promise<Attestation[]>;

  putPlan(plan: OffboardingPlan): Promise<void>;
  getPlan(id: string): Promise<OffboardingPlan | undefined>;
  listPlans(query?: PlanQuery): Promise<OffboardingPlan[]>;

  /** Adds items; an id already queued is left as it is (enqueueing is idempotent). */
  enqueue(items: readonly OutboxItem[]): Promise<number>;
  /**
   * Claims up to `limit` pending items due at `now` for a lease of `lease.seconds` from the
   * wall-clock instant `lease.at`, so that a second drainer (another process) skips them
   * until the lease runs out. Each claim is a conditional update of one pending, unclaimed
   * row: of two drainers racing for an item, exactly one gets it.
   */
  claimDue(now: string, lease: OutboxLease, limit: number): Promise<OutboxItem[]>;
  markDelivered(id: string, at: string): Promise<void>;
  markRetry(id: string, attempts: number, nextAt: string, error: string): Promise<void>;
  markFailed(id: string, attempts: number, at: string, error: string): Promise<void>;
  listOutbox(state?: OutboxItem['state']): Promise<OutboxItem[]>;
  /** The deliveries of one plan's actions. */
  listOutboxForPlan(planId: string): Promise<OutboxItem[]>;

  putEvidence(record: EvidenceRecord): Promise<void>;
  getEvidence(planId: string): Promise<EvidenceRecord | undefined>;

  getSourceState(name: string): Promise<SourceState | undefined>;
  putSourceState(state: SourceState): Promise<void>;
  listSourceStates(): Promise<SourceState[]>;
}
