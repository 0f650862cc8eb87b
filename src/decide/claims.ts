import { sealFact } from './decision-json.js';
import type { ExplainedFact } from './explain.js';
import type { EvaluationRequest } from './request.js';

/**
 * Facts the inventory is authoritative for. A request may name them in `subject.properties`
 * or `resource.properties`, but Roster never takes them from there (DESIGN rule 6): not for a
 * party it knows, and not for one it does not, where a claim could only lower the bar.
 */
const AUTHORITATIVE = new Map<string, string>([
  ['known', 'known'], ['kind', 'kind'], ['admission', 'admission'], ['admitted', 'admission'],
  ['lifecycle', 'lifecycle'], ['lifecyclestage', 'lifecycle'], ['stage', 'lifecycle'],
  ['owner', 'owner'], ['ownerstatus', 'ownerStatus'], ['owneractive', 'ownerStatus'],
  ['criticality', 'criticality'], ['mintrusttier', 'criticality'],
  ['environment', 'environment'], ['env', 'environment'], ['production', 'environment'],
  ['freshness', 'freshness'], ['agedays', 'freshness'], ['lastseen', 'freshness'],
  ['freshnesswindowdays', 'freshness'], ['findings', 'findings'], ['trusttier', 'trustTier'],
  ['tier', 'trustTier'], ['spiffeid', 'spiffeId'],
]);

/** What a request claimed and Roster ignored: one fact per claim, and a sentence for all. */
export interface IgnoredClaims {
  readonly facts: readonly ExplainedFact[];
  readonly text: string;
}

/**
 * The claims a request made about inventory facts, each as an explanation that says it was
 * ignored, or undefined when it claims none. PEPs repeat the same claims request after
 * request, so facts are kept by role, name and value, and answers by the facts they hold
 * (both bounded): the common case costs a few map look-ups and builds no string.
 */
export function ignoredClaims(req: EvaluationRequest): IgnoredClaims | undefined {
  let node: Trie | undefined = ROOT;
  let facts: ExplainedFact[] | undefined;
  for (const role of ROLES) {
    const props = req[role].properties;
    if (!props) continue;
    for (const name in props) {
      const fact = authoritative(name);
      if (!fact) continue;
      const value = props[name];
      const claim = claimOf(role, name, fact, value);
      (facts ??= []).push(claim);
      node = node && step(node, claim);
    }
  }
  if (!facts) return undefined;
  if (!node) return { facts, text: facts.map((f) => f.text).join('; ') };
  return (node.result ??= Object.freeze({ facts, text: facts.map((f) => f.text).join('; ') }));
}

const ROLES = ['subject', 'resource'] as const;
const LIMIT = 1000;
const NAMES = new Map<string, string | null>();

function authoritative(name: string): string | undefined {
  let fact = NAMES.get(name);
  if (fact === undefined) {
    fact = AUTHORITATIVE.get(name.toLowerCase().replace(/[-_ ]/g, '')) ?? null;
    if (NAMES.size >= LIMIT) NAMES.clear();
    NAMES.set(name, fact);
  }
  return fact ?? undefined;
}

/** Claim facts by role and name, then by value (a primitive, or a small value's JSON). */
const CLAIMS = { subject: new Map<string, Map<unknown, ExplainedFact>>(),
  resource: new Map<string, Map<unknown, ExplainedFact>>() };
let claimCount = 0;

function claimOf(role: Role, name: string, fact: string, value: unknown): ExplainedFact {
  const key = typeof value === 'object' && value !== null ? JSON.stringify(value) : value;
  if (typeof key === 'string' && key.length > 200) return claimFact(role, name, fact, value);
  let byValue = CLAIMS[role].get(name);
  if (!byValue) CLAIMS[role].set(name, (byValue = new Map()));
  let known = byValue.get(key);
  if (!known) {
    if (++claimCount > LIMIT) {
      CLAIMS.subject.clear();
      CLAIMS.resource.clear();
      claimCount = 1;
      CLAIMS[role].set(name, (byValue = new Map()));
    }
    byValue.set(key, (known = sealFact(claimFact(role, name, fact, value))));
  }
  return known;
}

/** Answers by the sequence of claim facts they hold; past the bound, all are forgotten. */
interface Trie {
  readonly next: Map<ExplainedFact, Trie>;
  result?: IgnoredClaims;
}
const ROOT: Trie = { next: new Map() };
let trieCount = 0;

function step(node: Trie, claim: ExplainedFact): Trie | undefined {
  let next = node.next.get(claim);
  if (!next) {
    if (++trieCount > LIMIT) {
      ROOT.next.clear();
      trieCount = 0;
      return undefined;
    }
    node.next.set(claim, (next = { next: new Map() }));
  }
  return next;
}

type Role = (typeof ROLES)[number];

function claimFact(role: Role, name: string, fact: string, value: unknown): ExplainedFact {
  return {
    entity: role,
    name: `claimed.${name}`,
    value: value ?? null,
    source: 'request',
    field: `${role}.properties.${name}`,
    asOf: null,
    text: `ignored the request's claim ${role}.properties.${name} = ${show(value)}: ` +
      `Roster takes ${fact} only from the inventory`,
  };
}

function show(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
