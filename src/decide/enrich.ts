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
 * Recent views of known parties. A record's facts are a new object whenever the feed reports
 * a change, so a view is reused only while it was built from the very facts object in force;
 * the key holds everything else a view depends on (names, match, day of age). Two
 * bounded generations keep the views in use without holding one per record for ever.
 */
const VIEW_LIMIT = 20_000;
let views = new Map<string, PartyView>();
let olderViews = new Map<string, PartyView>();
/**
 * Keys of views built once and not kept. A view is kept from its second use on: a party seen
 * once (most of them, on a large estate) leaves its view to die young, which costs the
 * collector almost nothing, instead of being copied into the old generation to die there.
 */
let seenOnce = new Map<string, RecordFacts>();
let olderSeen = new Map<string, RecordFacts>();

/** True when the view of `key` was built before from the same facts; remembers it if not. */
function seenBefore(key: string, facts: RecordFacts): boolean {
  if (seenOnce.get(key) === facts || olderSeen.get(key) === facts) return true;
  if (seenOnce.size >= VIEW_LIMIT * 2) {
    olderSeen = seenOnce;
    seenOnce = new Map();
  }
  seenOnce.set(key, facts);
  return false;
}

function recentView(key: string, facts: RecordFacts): PartyView | undefined {
  const hit = views.get(key);
  if (hit) return hit.facts === facts ? hit : undefined;
  const old = olderViews.get(key);
  if (!old || old.facts !== facts) return undefined;
  keepView(key, old);
  return old;
}

function keepView(key: string, view: PartyView): void {
  if (views.size >= VIEW_LIMIT) {
    olderViews = views;
    views = new Map();
  }
  views.set(key, view);
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
  const key = viewKey(namespace, party, party.resolution.via, facts, ageDays);
  const hit = recentView(key, facts);
  if (hit) return hit;
  const view = buildView(namespace, party, facts, freshness, ageDays, undefined);
  if (seenBefore(key, facts)) keepView(key, view);
  return view;
}

function viewKey(ns: string, party: Party, via: string, facts: RecordFacts, age: number | undefined) {
  return `${facts.recordId}\u0000${ns}\u0000${party.role}\u0000${party.type}\u0000${party.id}` +
    `\u0000${via}\u0000${age}`;
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
