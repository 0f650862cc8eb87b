import { monotonicFactory } from 'ulid';
import type { JudgeConfig } from '../judge/config.js';
import { bufferedRandom } from '../model/random.js';
import type { Clock } from '../model/time.js';
import { evaluate } from './cedar/engine.js';
import type { PolicyLoad, PolicySet } from './cedar/policy-set.js';
import {
  CedarRecord, EntityUid, entity, fromJson, type Entity, type Value,
} from './cedar/values.js';
import { FAIL_CLOSED, failed, type Decision, type FailClosedReason } from './decision.js';
import { viewParty, type Party, type PartyView } from './enrich.js';
import { FactIndex } from './fact-index.js';
import { DecisionMemo, MEMO_MAX_TEXT, sharedBody, windowOf, type MemoEntry } from './memo.js';
import { outcomeOf, type Judged } from './outcome.js';
import type {
  DecisionLogEntry, DecisionLogSink, FactsDelta, FactsFeed, InventoryStatus,
} from './ports.js';
import {
  checkWithoutBundles, presentedProof, type ProofResult, type ProofVerifier,
} from './proof/proof.js';
import { logBodyJson, redactRequest } from './redact.js';
import type { EvaluationRequest } from './request.js';

export interface DecisionServiceOptions {
  readonly feed: FactsFeed;
  readonly judge: JudgeConfig;
  readonly clock: Clock;
  readonly proofs?: ProofVerifier;
  readonly log?: DecisionLogSink;
  /** Deny everything when the newest run is older than this; 0 turns the check off. */
  readonly maxStalenessHours?: number;
}

export interface DecideOptions {
  /** The PEM chain of the mTLS client certificate the server saw, leaf first. */
  readonly mtlsChain?: string;
  /** Searches evaluate candidates without logging each one. */
  readonly log?: boolean;
}

const HOUR_MS = 3_600_000;

/**
 * The policy decision point: enriches AuthZEN requests with inventory facts, evaluates the
 * Cedar policy set, explains and logs every decision. It polls its facts feed before each
 * decision, so a committed inventory change reaches the very next one (DESIGN.md rule 6), and
 * every failure is a deny with a reason code.
 *
 * @example
 * const pdp = await DecisionService.open({ feed, judge, clock: systemClock });
 * pdp.usePolicies(loadPolicySet(schema, files));
 * const d = await pdp.decide({ subject, action, resource });
 */
export class DecisionService {
  readonly #feed: FactsFeed;
  readonly #index: FactIndex;
  readonly #options: DecisionServiceOptions;
  readonly #ids = monotonicFactory(bufferedRandom());
  /**
   * A decision's id sorts by when it was made, on the machine's clock: the log lists and prunes
   * by id, and a decision made `--as-of` another instant (its `at`) is still logged now.
   */
  #newId(): string {
    return this.#ids(Date.now());
  }
  readonly #memo = new DecisionMemo();
  #policies: PolicySet | undefined;
  #status: InventoryStatus = { records: 0, newestRunAsOf: null };

  private constructor(options: DecisionServiceOptions) {
    this.#options = options;
    this.#feed = options.feed;
    this.#index = new FactIndex(options.judge);
  }

  static async open(options: DecisionServiceOptions): Promise<DecisionService> {
    const service = new DecisionService(options);
    const snapshot = await options.feed.load();
    for (const input of snapshot.inputs) service.#index.upsert(input);
    service.#status = snapshot.status;
    return service;
  }

  get policies(): PolicySet | undefined {
    return this.#policies;
  }

  get index(): FactIndex {
    return this.#index;
  }

  /** Decisions answered from the memo (decideText) since the service opened. */
  get memoHits(): number {
    return this.#memo.hits;
  }

  get status(): InventoryStatus {
    return this.#status;
  }

  /** The actions the schema of the policy set in force declares. */
  get actionNames(): readonly string[] {
    return this.#policies?.actions.map((a) => a.name) ?? [];
  }

  /** Puts a loaded set in force; a failed load leaves the last good set in force (rule 7). */
  usePolicies(load: PolicyLoad): PolicyLoad {
    if (load.ok) {
      this.#policies = load.set;
      this.#memo.clear();
    }
    return load;
  }

  /** Applies what the feed reports as committed since the last poll. */
  refresh(): void | Promise<void> {
    const delta = this.#feed.poll();
    if (delta instanceof Promise) return delta.then((d) => this.#apply(d));
    this.#apply(delta);
  }

  #apply(delta: FactsDelta | undefined): void {
    if (!delta) return;
    for (const id of delta.removed) this.#index.remove(id);
    for (const input of delta.changed) this.#index.upsert(input);
    this.#status = delta.status;
  }

  /** Decides one AuthZEN evaluation request. Never throws: a failure is a deny. */
  async decide(req: EvaluationRequest, opts: DecideOptions = {}): Promise<Decision> {
    const at = this.#options.clock.now();
    const id = this.#newId();
    let d: Decision;
    try {
      const pending = this.refresh();
      if (pending) await pending;
      const proof = this.#proofOf(req, opts);
      d = this.#decide(req, id, at, proof instanceof Promise ? await proof : proof);
    } catch (err) {
      d = failed(req, id, at, 'internal-error', err instanceof Error ? err.message : String(err));
    }
    if (opts.log !== false) this.#log(d, req);
    return d;
  }

  /**
   * Decides a request given as its JSON text (an HTTP body). A decision made for the same text
   * is reused, with an id and time of its own, while every input it was made from is still the
   * one in force (memo.ts); `parse` turns the text into a request, throwing on a malformed one,
   * and is not called when a kept decision answers. Otherwise as decide().
   */
  async decideText(text: string, parse: (text: string) => EvaluationRequest,
    opts: DecideOptions = {}): Promise<{ decision: Decision; request: EvaluationRequest }> {
    const at = this.#options.clock.now();
    const nowMs = Date.parse(at);
    const id = this.#newId();
    const keepable = opts.mtlsChain === undefined && text.length <= MEMO_MAX_TEXT;
    let failure: unknown;
    try {
      const pending = this.refresh();
      if (pending) await pending;
    } catch (err) {
      failure = err ?? new Error('the facts feed failed');
    }
    if (failure === undefined && keepable) {
      const hit = this.#memo.find(text, this.#index.version, this.#status, this.#policies, nowMs);
      if (hit) {
        const d: Decision = { ...hit.decision, id, at };
        if (opts.log !== false) this.#logShared(d, hit);
        return { decision: d, request: hit.request };
      }
    }
    const request = parse(text);
    const kept: { text: string; entry?: MemoEntry } | undefined = keepable ? { text } : undefined;
    let d: Decision;
    try {
      if (failure !== undefined) throw failure;
      const proof = this.#proofOf(request, opts);
      d = this.#decide(request, id, at, proof instanceof Promise ? await proof : proof, kept);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      d = failed(request, id, at, 'internal-error', why);
    }
    if (opts.log !== false) {
      if (kept?.entry) this.#logShared(d, kept.entry);
      else this.#log(d, request);
    }
    return { decision: d, request };
  }

  /** Decides without awaiting, for callers that know the feed and proofs are synchronous. */
  decideSync(req: EvaluationRequest, opts: DecideOptions = {}): Decision {
    const at = this.#options.clock.now();
    const id = this.#newId();
    let d: Decision;
    try {
      if (this.refresh()) throw new Error('the facts feed is asynchronous; use decide()');
      const proof = this.#proofOf(req, opts);
      if (proof instanceof Promise) throw new Error('a JWT-SVID needs decide()');
      d = this.#decide(req, id, at, proof);
    } catch (err) {
      d = failed(req, id, at, 'internal-error', err instanceof Error ? err.message : String(err));
    }
    if (opts.log !== false) this.#log(d, req);
    return d;
  }

  #proofOf(req: EvaluationRequest, opts: DecideOptions) {
    const presented = presentedProof(req.context, req.subject.properties, opts.mtlsChain);
    if (!presented) return undefined;
    const verifier = this.#options.proofs;
    if (!verifier?.configured) {
      // Unverified, but kept by its fingerprint as a verified one is (never the token itself);
      // a proof that is no SVID at all is invalid, bundles or not.
      return checkWithoutBundles(presented, Date.parse(this.#options.clock.now()));
    }
    return verifier.verify(presented, Date.parse(this.#options.clock.now()));
  }

  #decide(req: EvaluationRequest, id: string, at: string, proof: ProofResult | undefined,
    kept?: { text: string; entry?: MemoEntry }) {
    const nowMs = Date.parse(at);
    const gate = this.#gate(nowMs);
    if (gate) return failed(req, id, at, gate[0], gate[1]);
    if (proof && !proof.ok) return failed(req, id, at, proof.reason, proof.message, proof);
    const subjectId = proof ? proof.spiffeId : req.subject.id;
    if (proof && /^spiffe:\/\//i.test(req.subject.id) &&
        req.subject.id.toLowerCase() !== proof.spiffeId.toLowerCase()) {
      const msg = `the request names ${req.subject.id} but the proof is for ${proof.spiffeId}`;
      return failed(req, id, at, 'proof-mismatch', msg, proof);
    }
    const set = this.#policies!;
    const subject = viewParty(set.namespace, this.#party('subject', req.subject, subjectId), nowMs,
      proof?.ok ? proof : undefined);
    const resource = viewParty(set.namespace, this.#party('resource', req.resource), nowMs);
    const result = evaluate(set.compiled, set.texts, {
      principal: subject.entity,
      action: this.#action(set, req.action.name),
      resource: resource.entity,
      context: contextOf(req.context),
    });
    const judged: Judged = { id, at, req, set, subject, resource, result, proof };
    const decision = outcomeOf(judged);
    if (kept && !proof) {
      const window = windowOf(nowMs, [subject, resource], this.#status,
        this.#options.maxStalenessHours ?? 0);
      kept.entry = { version: this.#index.version, status: this.#status, set, ...window,
        request: req, decision };
      this.#memo.remember(kept.text, kept.entry);
    }
    return decision;
  }

  /** Fail-closed checks that come before any policy: inventory loaded and fresh, policies. */
  #gate(nowMs: number): [FailClosedReason, string] | undefined {
    const s = this.#status;
    if (s.records === 0 || !s.newestRunAsOf) {
      return ['inventory-not-loaded', FAIL_CLOSED['inventory-not-loaded']];
    }
    const max = this.#options.maxStalenessHours ?? 0;
    const age = nowMs - Date.parse(s.newestRunAsOf);
    if (max > 0 && age > max * HOUR_MS) {
      const hours = Math.floor(age / HOUR_MS);
      return ['inventory-stale', `the newest inventory run is as of ${s.newestRunAsOf}, ` +
        `${hours} hours ago; the limit is ${max} hours`];
    }
    if (!this.#policies) return ['no-policies', FAIL_CLOSED['no-policies']];
    return undefined;
  }

  #party(role: Party['role'], e: EvaluationRequest['subject'], lookup = e.id): Party {
    return { role, type: e.type, id: e.id, resolution: this.#index.resolve(lookup),
      properties: e.properties };
  }

  #action(set: PolicySet, name: string) {
    let byName = ACTIONS.get(set);
    if (!byName) ACTIONS.set(set, (byName = new Map()));
    let e = byName.get(name);
    if (e) return e;
    const type = `${set.namespace}::Action`;
    const groups = set.actions.find((a) => a.name === name)?.memberOf ?? [];
    e = entity(new EntityUid(type, name), {}, groups.map((g) => new EntityUid(type, g)));
    if (byName.size >= 1000) byName.clear();
    byName.set(name, e);
    return e;
  }

  /** Logs a decision whose body it shares with the other decisions of its memo entry. */
  #logShared(d: Decision, entry: MemoEntry): void {
    const log = this.#options.log;
    if (!log) return;
    const request = (entry.logged ??= redactRequest(entry.request));
    entry.shared ??= sharedBody(logBodyJson(request, entry.decision));
    const e = rowOf(d, request);
    e.shared = entry.shared;
    log.append(e);
  }

  #log(d: Decision, req: EvaluationRequest): void {
    const log = this.#options.log;
    if (!log) return;
    const request = redactRequest(req);
    const e = rowOf(d, request);
    e.bodyJson = logBodyJson(request, d);
    log.append(e);
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A decision's log entry: the columns by which the log is listed and filtered, and its body;
 * the caller adds the body's JSON or the shared body. One object of one shape, not a spread.
 */
function rowOf(d: Decision, request: unknown): Mutable<DecisionLogEntry> {
  return { id: d.id, at: d.at, decision: d.decision, reason: d.reason,
    subjectType: d.subject.type, subjectId: d.subject.id, resourceType: d.resource.type,
    resourceId: d.resource.id, action: d.action, body: { request, decision: d },
    bodyJson: undefined, shared: undefined };
}

/** The AuthZEN context as a Cedar record; values outside Cedar's types are left out. */
function contextOf(ctx: Readonly<Record<string, unknown>> | undefined): CedarRecord {
  if (!ctx) return EMPTY;
  const attrs: Record<string, Value> = {};
  for (const [k, v] of Object.entries(ctx)) {
    try {
      if (v !== null && v !== undefined) attrs[k] = fromJson(v);
    } catch {
      // Floats and nulls have no Cedar type; a policy that needs them errs and so denies.
    }
  }
  return new CedarRecord(attrs);
}

const EMPTY = new CedarRecord({});

/** Action entities by policy set and name: they depend on nothing else, so are kept. */
const ACTIONS = new WeakMap<PolicySet, Map<string, Entity>>();

export type { PartyView };
