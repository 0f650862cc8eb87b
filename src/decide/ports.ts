import type { FactInput } from './facts.js';

/** What the decision point knows of the inventory as a whole. */
export interface InventoryStatus {
  /** Records in the inventory. */
  readonly records: number;
  /** As-of time of the newest committed run (the source's own time), null when none. */
  readonly newestRunAsOf: string | null;
}

/** Everything, at first load. */
export interface FactsSnapshot {
  readonly inputs: Iterable<FactInput>;
  readonly status: InventoryStatus;
}

/** What changed since the previous load or poll. */
export interface FactsDelta {
  readonly changed: readonly FactInput[];
  /** Record ids that no longer exist. */
  readonly removed: readonly string[];
  readonly status: InventoryStatus;
}

/**
 * Where the decision index gets its facts, and how it learns of changes. The service polls
 * before every decision, so that a committed change reaches the very next decision
 * (DESIGN.md rule 6). SQLite answers synchronously (`PRAGMA data_version`, then the changed
 * records only); a PostgreSQL feed may answer with a promise (a LISTEN/NOTIFY listener that
 * has queued the changed ids, confirmed by a cheap version read).
 */
export interface FactsFeed {
  load(): FactsSnapshot | Promise<FactsSnapshot>;
  /** Undefined when nothing was committed since the last call. */
  poll(): FactsDelta | undefined | Promise<FactsDelta | undefined>;
}

/** One decision as the audit log keeps it: never a secret (an SVID is its fingerprint). */
export interface DecisionLogEntry {
  readonly id: string;
  readonly at: string;
  readonly decision: boolean;
  readonly reason: string;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly action: string;
  /** The whole explained decision: request (secrets removed), facts used, policies. */
  readonly body: Readonly<Record<string, unknown>>;
  /** `body` already serialised by the producer (the same JSON, more cheaply); sinks prefer it. */
  readonly bodyJson?: string;
  /**
   * Set when this entry's body is one that other decisions share: `json` is the body of the
   * first decision made from it (its `decision.id` and `decision.at` are that decision's, and
   * a reader puts this entry's own in their place); `digest` names `json`. Sinks that know it
   * store the body once and ignore `body` and `bodyJson`.
   */
  readonly shared?: { readonly digest: string; readonly json: string };
}

/** Where decisions go; the sink may buffer, but must keep every one it accepted. */
export interface DecisionLogSink {
  append(entry: DecisionLogEntry): void;
}
