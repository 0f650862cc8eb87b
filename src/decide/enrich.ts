import { CedarSet, EntityUid, entity, type Entity, type Value } from './cedar/values.js';
import type { ExplainedFact } from './explain.js';
import type { Fact, RecordFacts } from './facts.js';
import type { Resolution } from './fact-index.js';
import type { ProofResult } from './proof/proof.js';
import { isProduction, minTrustTier, trustTier, type Freshness, type TierResult } from './trust.js';

const DAY_MS = 86_400_000;

export type Role = 'subject' | 'resource';

/** A request's subject or resource, resolved against the inventory. */
export interface Party {
  readonly role: Role;
  readonly type: string;
  readonly id: string;
  readonly resolution: Resolution;
  readonly properties: Readonly<Record<string, unknown>> | undefined;
}

/** The facts of a party at one instant, as policies see them and explanations cite them. */
export interface PartyView {
  /** The policy set's namespace the entity is typed in. */
  readonly namespace: string;
  readonly party: Party;
  readonly facts: RecordFacts | undefined;
  readonly freshness: Freshness;
  readonly ageDays: number | undefined;
  readonly tier: TierResult;
  readonly minTier: number | undefined;
  readonly criticality: Fact | undefined;
  readonly environment: Fact | undefined;
  readonly proof: (ProofResult & { ok: true }) | undefined;
  readonly entity: Entity;
  /** Explanations of this view's facts by attribute, made when first needed (outcome.ts). */
  readonly explained: Map<string, ExplainedFact>;
}

/**
 * Recent views of known parties, by record id. A record's facts are a new object whenever the
 * feed reports a change, so a record's views are reused only while they were built from the
 * very facts object in force; each view is then matched by what else it depends on (policy
 * namespace, role, type and id as named, how it matched, day of age). Record ids are the
 * index's own strings, hashed once, where a composite key had to be built and hashed on every
 * decision. Two bounded generations keep the views in use without holding one per record for
 * ever.
 */
interface Views {
  readonly facts: RecordFacts;
  readonly list: PartyView[];
}

const VIEW_LIMIT = 20_000;
/** Views of one record's facts (roles, names and ages differ); more are built, not kept. */
const VIEWS_PER_RECORD = 8;
let views = new Map<string, Views>();
let olderViews = new Map<string, Views>();
/**
 * Records whose facts had a view built once and not kept. Views are kept from a record's
 * second use on: a party seen once (most of them, on a large estate) leaves its view to die
 * young, which costs the collector almost nothing, instead of being copied into the old
 * generation to die there.
 */
let seenOnce = new Map<string, RecordFacts>();
let olderSeen = new Map<string, RecordFacts>();

/** True when a view of `facts` was built before; remembers it if not. */
function seenBefore(id: string, facts: RecordFacts): boolean {
  if (seenOnce.get(id) === facts || olderSeen.get(id) === facts) return true;
  if (seenOnce.size >= VIEW_LIMIT * 2) {
    olderSeen = seenOnce;
    seenOnce = new Map();
  }
  seenOnce.set(id, facts);
  return false;
}

/** The views kept of these very facts, moved to the young generation when found old. */
function recentViews(id: string, facts: RecordFacts): Views | undefined {
  const hit = views.get(id);
  if (hit) return hit.facts === facts ? hit : undefined;
  const old = olderViews.get(id);
  if (!old || old.facts !== facts) return undefined;
  keepViews(id, old);
  return old;
}

function keepViews(id: string, kept: Views): void {
  if (views.size >= VIEW_LIMIT) {
    olderViews = views;
    views = new Map();
  }
  views.set(id, kept);
}

/**
 * Builds the Cedar entity for a party from inventory facts alone. What the request claims in
 * `properties` never supplies or overrides a fact (DESIGN rule 6): a fact the inventory lacks
 * stays missing, so a policy that needs it fails closed. An unknown party is never trusted:
 * tier 0. Views of known parties without a proof are reused while their facts and inputs hold.
 */
export function viewParty(
  namespace: string,
  party: Party,
  nowMs: number,
  proof?: ProofResult & { ok: true },
): PartyView {
  const facts = party.resolution.status === 'found' ? party.resolution.facts : undefined;
  const { freshness, ageDays } = freshnessOf(facts, nowMs);
  if (!facts || proof || party.resolution.status !== 'found') {
    return buildView(namespace, party, facts, freshness, ageDays, proof);
  }
  const via = party.resolution.via;
  const kept = recentViews(facts.recordId, facts);
  if (kept) {
    for (const v of kept.list) {
      if (v.namespace === namespace && v.ageDays === ageDays && sameParty(v.party, party, via)) {
        return v;
      }
    }
  }
  const view = buildView(namespace, party, facts, freshness, ageDays, undefined);
  if (kept) {
    if (kept.list.length < VIEWS_PER_RECORD) kept.list.push(view);
  } else if (seenBefore(facts.recordId, facts)) {
    keepViews(facts.recordId, { facts, list: [view] });
  }
  return view;
}

/** Whether a kept view was built for the same party as named now (its facts are the same). */
function sameParty(a: Party, b: Party, via: string): boolean {
  return a.role === b.role && a.type === b.type && a.id === b.id &&
    a.resolution.status === 'found' && a.resolution.via === via;
}

function buildView(
  namespace: string,
  party: Party,
  facts: RecordFacts | undefined,
  freshness: Freshness,
  ageDays: number | undefined,
  proof: (ProofResult & { ok: true }) | undefined,
): PartyView {
  const criticality = facts?.criticality;
  const environment = facts?.environment;
  const tier = trustTier({
    known: facts !== undefined,
    admission: facts?.admission.value ?? 'unknown',
    lifecycle: facts?.lifecycle?.value,
    freshness,
    ownerStatus: facts?.ownerStatus.value ?? 'none',
    findings: facts?.findings ?? [],
    proven: proof !== undefined,
  });
  const minTier = minTrustTier(criticality?.value);
  const attrs: Record<string, Value> = {
    type: party.type,
    known: facts !== undefined,
    kind: facts?.kind ?? 'unknown',
    admission: facts?.admission.value ?? 'unknown',
    ownerStatus: facts?.ownerStatus.value ?? 'none',
    production: isProduction(environment?.value),
    freshness,
    freshnessWindowDays: facts?.freshnessWindowDays ?? 0,
    findings: new CedarSet(facts ? [...new Set(facts.findings.map((f) => f.kind))] : []),
    trustTier: tier.tier,
  };
  if (facts?.lifecycle) attrs['lifecycle'] = facts.lifecycle.value;
  if (facts?.owner) attrs['owner'] = facts.owner.value;
  if (criticality) attrs['criticality'] = criticality.value;
  if (environment) attrs['environment'] = environment.value;
  if (ageDays !== undefined) attrs['ageDays'] = ageDays;
  if (party.role === 'subject') {
    attrs['proof'] = proof?.kind ?? 'none';
    const spiffeId = proof?.spiffeId ?? facts?.spiffeIds[0];
    if (spiffeId) attrs['spiffeId'] = spiffeId;
  } else if (minTier !== undefined) {
    attrs['minTrustTier'] = minTier;
  }
  const type = `${namespace}::${party.role === 'subject' ? 'Subject' : 'Resource'}`;
  return {
    namespace,
    party,
    facts,
    freshness,
    ageDays,
    tier,
    minTier,
    criticality,
    environment,
    proof,
    entity: entity(new EntityUid(type, party.id), attrs),
    explained: new Map(),
  };
}

function freshnessOf(facts: RecordFacts | undefined, nowMs: number) {
  if (!facts || !facts.discovered) return { freshness: 'unseen' as const, ageDays: undefined };
  const seen = facts.newestSighting;
  if (!seen) return { freshness: 'stale' as const, ageDays: undefined };
  // Whole days, rounded down, as the judge counts them (judge/asset-rules staleAsset).
  const ageDays = Math.floor((nowMs - seen.ms) / DAY_MS);
  const freshness: Freshness = ageDays > facts.freshnessWindowDays ? 'stale' : 'fresh';
  return { freshness, ageDays };
}
