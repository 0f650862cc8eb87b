import type { EvalResult, PolicyError } from './cedar/engine.js';
import type { PolicyInfo, PolicySet } from './cedar/policy-set.js';
import { sealFact, sealPart } from './decision-json.js';
import { FAIL_CLOSED, publicProof, type Decision, type DecidingPolicy } from './decision.js';
import type { PartyView } from './enrich.js';
import { ignoredClaims, type IgnoredClaims } from './claims.js';
import { explainFact, type ExplainedFact } from './explain.js';
import type { ProofResult } from './proof/proof.js';
import type { EvaluationRequest } from './request.js';

/** Everything a decision was made from. */
export interface Judged {
  readonly id: string;
  readonly at: string;
  readonly req: EvaluationRequest;
  readonly set: PolicySet;
  readonly subject: PartyView;
  readonly resource: PartyView;
  readonly result: EvalResult;
  readonly proof: ProofResult | undefined;
}

/**
 * Turns Cedar's answer into Roster's decision. A policy that erred makes the decision a deny
 * (Cedar alone would skip it): `missing-attribute` when a fact was absent (`subject-unknown`
 * / `resource-unknown` when the whole party is), `policy-error` otherwise.
 */
export function outcomeOf(j: Judged): Decision {
  const { set, result } = j;
  const ambiguous = ambiguousParties(j);
  const allowed = result.decision === 'allow' && result.errors.length === 0 &&
    ambiguous.length === 0;
  let reasons: readonly string[];
  let message: string;
  let policies: readonly DecidingPolicy[];
  let facts: ExplainedFact[];
  if (result.errors.length > 0) {
    const deciding = orderOf(set, result.determining).map(describePolicy);
    const forbids = deciding.filter(isForbid).map((p) => p.reason);
    reasons = [errorReason(result.errors[0]!, j), ...forbids];
    facts = errorFacts(result.errors, j);
    message = `denied (${reasons[0]}): ${facts.map((f) => f.text).join('; ') ||
      result.errors.map((e) => e.message).join('; ')}`;
    policies = deciding;
  } else {
    const shape = shapeOf(set, result.determining, allowed);
    ({ reasons, message, policies } = shape);
    facts = factsOf(shape.reads, j);
  }
  if (ambiguous.length > 0) ({ reasons, message } = asAmbiguous(ambiguous, reasons));
  if (j.req.subject.properties || j.req.resource.properties) {
    const ignored = ignoredClaims(j.req);
    if (ignored) {
      facts = [...facts, ...ignored.facts];
      message = withClaims(message, ignored);
    }
  }
  return {
    id: j.id,
    at: j.at,
    decision: allowed,
    reason: reasons[0]!,
    reasons,
    message,
    policies,
    facts,
    errors: result.errors.length === 0 ? NO_ERRORS
      : result.errors.map((e) => ({ policyId: e.policyId, message: e.message })),
    subject: partyRef(j.subject, j.req.subject.type),
    resource: partyRef(j.resource, j.req.resource.type),
    action: j.req.action.name,
    ...(j.proof ? { proof: publicProof(j.proof) } : {}),
    engine: result.engine,
    policySet: set.digest,
  };
}

const NO_ERRORS: Decision['errors'] = Object.freeze([]);

/**
 * A message followed by what the request claimed in vain. Both recur (shapes and claims are
 * kept), so the joined message is kept too: the same text object decision after decision,
 * whose JSON decision-json.ts then finds without escaping a kilobyte again.
 */
const JOINED = new WeakMap<IgnoredClaims, Map<string, string>>();

function withClaims(message: string, ignored: IgnoredClaims): string {
  let byMessage = JOINED.get(ignored);
  if (!byMessage) JOINED.set(ignored, (byMessage = new Map()));
  let joined = byMessage.get(message);
  if (joined === undefined) {
    joined = `${message}; ${ignored.text}`;
    if (byMessage.size >= 100) byMessage.clear();
    byMessage.set(message, joined);
  }
  return joined;
}

/** What a decision without errors takes from its deciding policies alone; shared, frozen. */
interface Shape {
  readonly reasons: readonly string[];
  readonly message: string;
  readonly policies: readonly DecidingPolicy[];
  /** The policies whose reads are the facts to explain. */
  readonly reads: readonly PolicyInfo[];
}

/** Shapes by policy set and outcome + determining ids; few combinations recur, so kept. */
const SHAPES = new WeakMap<PolicySet, Map<string, Shape>>();

function shapeOf(set: PolicySet, determining: readonly string[], allowed: boolean): Shape {
  let bySet = SHAPES.get(set);
  if (!bySet) SHAPES.set(set, (bySet = new Map()));
  let key = allowed ? 'a' : 'd';
  for (const id of determining) key += '\u0000' + id;
  let shape = bySet.get(key);
  if (shape) return shape;
  const ordered = orderOf(set, determining);
  const deciding = Object.freeze(ordered.map(describePolicy));
  if (allowed) {
    shape = { reasons: [deciding[0]?.reason ?? 'allowed'], policies: deciding, reads: set.policies,
      message: `allowed by ${deciding.map((p) => `${p.id} (${p.message})`).join(', ')}` };
  } else if (deciding.length > 0) {
    shape = { reasons: [...new Set(deciding.map((p) => p.reason))], policies: deciding,
      reads: ordered,
      message: `denied by ${deciding.map((p) => `${p.id} (${p.message})`).join('; ')}` };
  } else {
    shape = { reasons: ['no-permit'], policies: deciding,
      reads: set.policies.filter((p) => p.effect === 'permit'),
      message: `denied (no-permit): ${FAIL_CLOSED['no-permit']}` };
  }
  sealPart(shape.reasons as string[]);
  if (bySet.size >= 1000) bySet.clear();
  bySet.set(key, Object.freeze(shape));
  return shape;
}

/** The parties whose id is a key several records hold: Roster never picks one of them. */
function ambiguousParties(j: Judged): PartyView[] {
  return [j.subject, j.resource].filter((v) => v.party.resolution.status === 'ambiguous');
}

/**
 * A deny for a party whose id several records hold, said as such: `subject-ambiguous` (or
 * `resource-ambiguous`) first, in place of the `subject-unknown` the policies see (to them
 * the party is not known), whatever else the policies said; and always a deny (fail closed),
 * whatever a policy set would permit.
 */
function asAmbiguous(views: readonly PartyView[], reasons: readonly string[]) {
  const codes = views.map((v) => `${v.party.role}-ambiguous`);
  const unknown = new Set(views.map((v) => `${v.party.role}-unknown`));
  const rest = reasons.filter((r) => !unknown.has(r) && r !== 'allowed');
  const texts = views.map((v) => {
    const r = v.party.resolution;
    const ids = r.status === 'ambiguous' ? r.candidates.map((c) => c.recordId) : [];
    return `${v.party.role} '${v.party.id}' is a key ${ids.length} records hold ` +
      `(${ids.join(', ')}); Roster does not pick one: name the record by its id or a key ` +
      'only it holds';
  });
  return {
    reasons: [...codes, ...rest],
    message: `denied (${codes[0]}): ${texts.join('; ')}`,
  };
}

function isForbid(p: DecidingPolicy): boolean {
  return p.effect === 'forbid';
}

/** Deciding policies in the order of the policy files, so the first is the primary reason. */
function orderOf(set: PolicySet, ids: readonly string[]): PolicyInfo[] {
  const wanted = new Set(ids);
  return set.policies.filter((p) => wanted.has(p.id));
}

const DESCRIBED = new WeakMap<PolicyInfo, DecidingPolicy>();

function describePolicy(p: PolicyInfo): DecidingPolicy {
  let d = DESCRIBED.get(p);
  if (!d) DESCRIBED.set(p, (d = sealPart(policyOf(p))));
  return d;
}

function policyOf(p: PolicyInfo): DecidingPolicy {
  return {
    id: p.id,
    effect: p.effect,
    reason: p.annotations['reason'] ?? (p.effect === 'permit' ? 'allowed' : `denied:${p.id}`),
    message: p.annotations['message'] ?? `${p.effect} policy ${p.id}`,
    file: p.file,
  };
}

/** The facts the given policies read, each once, subject first (readsOf's order). */
function factsOf(policies: readonly PolicyInfo[], j: Judged): ExplainedFact[] {
  const out: ExplainedFact[] = [];
  for (const [variable, attr] of readsOf(policies)) {
    const view = variable === 'principal' ? j.subject : j.resource;
    if (attr in view.entity.attrs || attr === 'minTrustTier') out.push(explained(view, attr));
  }
  return out;
}

type Reads = readonly (readonly [string, string])[];

/**
 * Sorted `[variable, attribute]` reads of a list of policies, the subject's first. The lists
 * are the shapes' own (kept while their set is), so each is worked out once.
 */
const READS = new WeakMap<readonly PolicyInfo[], Reads>();

function readsOf(policies: readonly PolicyInfo[]): Reads {
  const known = READS.get(policies);
  if (known) return known;
  const names = new Set<string>();
  for (const p of policies) for (const r of p.reads) names.add(r);
  const sorted = [...names].sort().map((n) => n.split('.') as [string, string]);
  const reads = [...sorted.filter((r) => r[0] === 'principal'),
    ...sorted.filter((r) => r[0] !== 'principal')];
  READS.set(policies, reads);
  return reads;
}

/** Explanations of a view's facts; a view is immutable and reused while its facts hold. */
function explained(view: PartyView, attr: string): ExplainedFact {
  let fact = view.explained.get(attr);
  if (!fact) view.explained.set(attr, (fact = sealFact(explainFact(view, attr))));
  return fact;
}

/** The party view a policy error is about, if it is about one. */
function viewOf(e: PolicyError, j: Judged): PartyView | undefined {
  if (e.entity === 'principal') return j.subject;
  return e.entity === 'resource' ? j.resource : undefined;
}

function errorReason(e: PolicyError, j: Judged): string {
  if (e.kind !== 'missing-attribute') return 'policy-error';
  const view = viewOf(e, j);
  if (view && !view.facts) {
    return view.party.role === 'subject' ? 'subject-unknown' : 'resource-unknown';
  }
  return 'missing-attribute';
}

function errorFacts(errors: readonly PolicyError[], j: Judged): ExplainedFact[] {
  const out = new Map<string, ExplainedFact>();
  for (const e of errors) {
    const view = viewOf(e, j);
    if (!view || !e.attribute) continue;
    out.set(`${e.entity}.${e.attribute}`, explained(view, e.attribute));
  }
  return [...out.values()];
}

function partyRef(view: PartyView, type: string): Decision['subject'] {
  const recordId = view.facts?.recordId;
  return { type, id: view.party.id, ...(recordId ? { recordId } : {}) };
}
