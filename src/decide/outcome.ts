import type { EvalResult, PolicyError } from './cedar/engine.js';
import type { PolicyInfo, PolicySet } from './cedar/policy-set.js';
import { FAIL_CLOSED, publicProof, type Decision, type DecidingPolicy } from './decision.js';
import type { PartyView } from './enrich.js';
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
  const deciding = orderOf(set, result.determining).map(describePolicy);
  const allowed = result.decision === 'allow' && result.errors.length === 0;
  let reasons: string[];
  let message: string;
  let facts: ExplainedFact[];
  if (result.errors.length > 0) {
    reasons = [errorReason(result.errors[0]!, j), ...deciding.filter(isForbid).map((p) => p.reason)];
    facts = errorFacts(result.errors, j);
    message = `denied (${reasons[0]}): ${facts.map((f) => f.text).join('; ') ||
      result.errors.map((e) => e.message).join('; ')}`;
  } else if (allowed) {
    reasons = [deciding[0]?.reason ?? 'allowed'];
    facts = factsOf(set.policies, j);
    message = `allowed by ${deciding.map((p) => `${p.id} (${p.message})`).join(', ')}`;
  } else if (deciding.length > 0) {
    reasons = [...new Set(deciding.map((p) => p.reason))];
    facts = factsOf(orderOf(set, result.determining), j);
    message = `denied by ${deciding.map((p) => `${p.id} (${p.message})`).join('; ')}`;
  } else {
    reasons = ['no-permit'];
    facts = factsOf(set.policies.filter((p) => p.effect === 'permit'), j);
    message = `denied (no-permit): ${FAIL_CLOSED['no-permit']}`;
  }
  return {
    id: j.id,
    at: j.at,
    decision: allowed,
    reason: reasons[0]!,
    reasons,
    message,
    policies: deciding,
    facts,
    errors: result.errors.map((e) => ({ policyId: e.policyId, message: e.message })),
    subject: partyRef(j.subject, j.req.subject.type),
    resource: partyRef(j.resource, j.req.resource.type),
    action: j.req.action.name,
    ...(j.proof ? { proof: publicProof(j.proof) } : {}),
    engine: result.engine,
    policySet: set.digest,
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
  if (!d) DESCRIBED.set(p, (d = Object.freeze(policyOf(p))));
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

/** The facts the given policies read, each once, subject first. */
function factsOf(policies: readonly PolicyInfo[], j: Judged): ExplainedFact[] {
  const out: ExplainedFact[] = [];
  for (const [variable, attr] of readsOf(j.set, policies)) {
    const view = variable === 'principal' ? j.subject : j.resource;
    if (attr in view.entity.attrs || attr === 'minTrustTier') out.push(explained(view, attr));
  }
  return out.sort((a, b) => (a.entity === b.entity ? 0 : a.entity === 'subject' ? -1 : 1));
}

type Reads = readonly (readonly [string, string])[];

/** Sorted `[variable, attribute]` reads of lists of a set's policies; lists recur, so kept. */
const READS = new WeakMap<PolicySet, Map<string, Reads>>();

function readsOf(set: PolicySet, policies: readonly PolicyInfo[]): Reads {
  let bySet = READS.get(set);
  if (!bySet) READS.set(set, (bySet = new Map()));
  const key = policies === set.policies ? '' : policies.map((p) => p.id).join('\u0000');
  const known = bySet.get(key);
  if (known) return known;
  const names = new Set<string>();
  for (const p of policies) for (const r of p.reads) names.add(r);
  const reads = [...names].sort().map((n) => n.split('.') as [string, string]);
  if (bySet.size >= 1000) bySet.clear();
  bySet.set(key, reads);
  return reads;
}

/** Explanations of a view's facts; a view is immutable and reused while its facts hold. */
function explained(view: PartyView, attr: string): ExplainedFact {
  let fact = view.explained.get(attr);
  if (!fact) view.explained.set(attr, (fact = Object.freeze(explainFact(view, attr))));
  return fact;
}

function errorReason(e: PolicyError, j: Judged): string {
  if (e.kind !== 'missing-attribute') return 'policy-error';
  const view = e.entity === 'principal' ? j.subject : e.entity === 'resource' ? j.resource : undefined;
  if (view && !view.facts) return view.party.role === 'subject' ? 'subject-unknown' : 'resource-unknown';
  return 'missing-attribute';
}

function errorFacts(errors: readonly PolicyError[], j: Judged): ExplainedFact[] {
  const out = new Map<string, ExplainedFact>();
  for (const e of errors) {
    const view = e.entity === 'principal' ? j.subject : e.entity === 'resource' ? j.resource : undefined;
    if (!view || !e.attribute) continue;
    out.set(`${e.entity}.${e.attribute}`, explained(view, e.attribute));
  }
  return [...out.values()];
}

function partyRef(view: PartyView, type: string): Decision['subject'] {
  const recordId = view.facts?.recordId;
  return { type, id: view.party.id, ...(recordId ? { recordId } : {}) };
}
