import { createHash } from 'node:crypto';
import type { PolicySet } from './cedar/policy-set.js';
import type { Decision } from './decision.js';
import type { PartyView } from './enrich.js';
import type { InventoryStatus } from './ports.js';
import type { EvaluationRequest } from './request.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Request texts longer than this are decided afresh every time (and not held in memory). */
export const MEMO_MAX_TEXT = 4096;
/** Entries per generation; a full generation becomes the old one, the old one is dropped. */
const MEMO_LIMIT = 5000;

/** What a decision was made from, and the instants between which it holds unchanged. */
export interface MemoInputs {
  readonly version: number;
  readonly status: InventoryStatus;
  readonly set: PolicySet;
  readonly fromMs: number;
  readonly untilMs: number;
}

/** A decision kept for the exact text of the request it answered. */
export interface MemoEntry extends MemoInputs {
  readonly request: EvaluationRequest;
  /** The first decision: its id and time are replaced in each reuse. */
  readonly decision: Decision;
  /** The request as the decision log keeps it (secrets removed), made when first logged. */
  logged?: unknown;
  /** The log body of the first decision, which every reuse shares (made when first logged). */
  shared?: { readonly digest: string; readonly json: string };
}

/**
 * Decisions by the exact text of their request. A PEP asks the same question again and
 * again; the answer is reused only while every input it was made from is the very one in
 * force: the fact index's version (any committed inventory change moves it), the inventory
 * status object (the newest run), the policy set object, and the clock inside the window in
 * which no time-dependent fact can change (a party's age in whole days, hence its freshness,
 * and the inventory's staleness limit). Requests with a workload proof or an mTLS client
 * certificate are never kept: a proof is verified on every request.
 */
export class DecisionMemo {
  #young = new Map<string, MemoEntry>();
  #old = new Map<string, MemoEntry>();
  #hits = 0;

  get hits(): number {
    return this.#hits;
  }

  /** The entry for `text` if it still holds for these inputs, else undefined. */
  find(text: string, version: number, status: InventoryStatus, set: PolicySet | undefined,
    nowMs: number): MemoEntry | undefined {
    let e = this.#young.get(text);
    if (e === undefined) {
      e = this.#old.get(text);
      if (e === undefined) return undefined;
      this.#keep(text, e);
    }
    if (e.version !== version || e.status !== status || e.set !== set || nowMs < e.fromMs ||
        nowMs >= e.untilMs) {
      return undefined;
    }
    this.#hits += 1;
    return e;
  }

  remember(text: string, entry: MemoEntry): void {
    if (text.length > MEMO_MAX_TEXT) return;
    this.#keep(text, entry);
  }

  clear(): void {
    this.#young = new Map();
    this.#old = new Map();
  }

  #keep(text: string, entry: MemoEntry): void {
    if (this.#young.size >= MEMO_LIMIT) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(text, entry);
  }
}

/**
 * The window [from, until) in which a decision made at `nowMs` from these views stays the
 * same: a sighting's age in whole days changes at the next day boundary after it; the
 * inventory turns stale once its newest run is older than the limit (0: no limit).
 */
export function windowOf(nowMs: number, views: readonly PartyView[], status: InventoryStatus,
  maxStalenessHours: number): { fromMs: number; untilMs: number } {
  let fromMs = -Infinity;
  let untilMs = Infinity;
  for (const v of views) {
    const seen = v.facts?.newestSighting;
    if (!seen || v.ageDays === undefined) continue;
    fromMs = Math.max(fromMs, seen.ms + v.ageDays * DAY_MS);
    untilMs = Math.min(untilMs, seen.ms + (v.ageDays + 1) * DAY_MS);
  }
  if (maxStalenessHours > 0 && status.newestRunAsOf) {
    // The gate denies once age > limit, so the decision holds up to and including the limit.
    untilMs = Math.min(untilMs, Date.parse(status.newestRunAsOf) + maxStalenessHours * HOUR_MS + 1);
  }
  return { fromMs: Math.max(fromMs, Number.MIN_SAFE_INTEGER), untilMs };
}

/** The decision log's shared body for a memo entry: its JSON and a digest naming it. */
export function sharedBody(json: string): { digest: string; json: string } {
  return { digest: createHash('sha256').update(json).digest('base64url'), json };
}
