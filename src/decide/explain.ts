import type { PartyView } from './enrich.js';
import type { Fact } from './facts.js';

/** A fact a decision used, with its provenance and a sentence for operators. */
export interface ExplainedFact {
  readonly entity: 'subject' | 'resource';
  readonly name: string;
  readonly value: unknown;
  readonly source: string;
  readonly field: string;
  readonly asOf: string | null;
  readonly text: string;
}

/** Explains attribute `name` of a party (`principal.x` → subject, `resource.x` → resource). */
export function explainFact(view: PartyView, name: string): ExplainedFact {
  const value = view.entity.attrs[name];
  const plain = value && typeof value === 'object' && 'items' in value ? value.items : value;
  const base: Base = { entity: view.party.role, name, value: plain ?? null };
  const who = `${base.entity} ${view.facts?.name ?? view.party.id}`;
  const f = view.facts;
  switch (name) {
    case 'known':
      return made(base, 'roster', 'record', null, f
        ? `${who} is inventory record ${f.recordId} (${describeVia(view)})`
        : unknownText(view));
    case 'admission':
    case 'lifecycle':
    case 'owner':
      return fromFact(base, f?.[name], `${who} has ${name} ${String(plain ?? 'none')}`);
    case 'ownerStatus':
      return fromFact(base, f?.ownerStatus, ownerText(who, String(plain)));
    case 'criticality':
      return fromFact(base, view.criticality,
        `${who} has criticality ${String(plain ?? 'unknown')}`);
    case 'environment':
    case 'production':
      return fromFact(base, view.environment,
        `${who} is in environment ${view.environment?.value ?? 'unknown'}`);
    case 'freshness':
    case 'ageDays':
    case 'freshnessWindowDays':
      return freshnessFact(base, view, who);
    case 'findings':
      return made(base, 'roster', 'findings', null, f?.findings.length
        ? `${who} has open findings: ${f.findings.map((x) => `${x.kind} (${x.severity})`)
          .join(', ')}`
        : `${who} has no open findings`);
    case 'trustTier':
      return made(base, 'roster', 'trustTier', null,
        `${who} is at trust tier ${view.tier.tier} (${view.tier.limit})`);
    case 'minTrustTier':
      return fromFact(base, view.criticality, view.minTier === undefined
        ? `${who} has no criticality in any source, so its minimum trust tier is unknown`
        : `${who} requires trust tier ${view.minTier} (criticality ${view.criticality?.value})`);
    case 'proof':
    case 'spiffeId':
      return made(base, view.proof ? view.proof.kind : 'request', 'proof', null, proofText(view,
        who));
    default:
      return made(base, 'request', name, null, `${who}.${name} = ${String(plain)}`);
  }
}

type Base = Pick<ExplainedFact, 'entity' | 'name' | 'value'>;

/** An explained fact, its fields always in this order (so that every one has the same shape). */
function made(base: Base, source: string, field: string, asOf: string | null,
  text: string): ExplainedFact {
  return { entity: base.entity, name: base.name, value: base.value, source, field, asOf, text };
}

function fromFact(base: Base, fact: Fact<unknown> | undefined, text: string): ExplainedFact {
  if (!fact) return made(base, 'roster', base.name, null, text);
  const asOf = fact.asOf ? ` as of ${fact.asOf}` : '';
  return made(base, fact.source, fact.field, fact.asOf, `${text} per ${fact.source}${asOf}`);
}

function proofText(view: PartyView, who: string): string {
  const p = view.proof;
  if (!p) return `${who} presented no workload proof`;
  return `${who} proved ${p.spiffeId} with a verified ${p.kind} ` +
    `(fingerprint ${p.fingerprint.slice(0, 16)}…, valid to ${p.expiresAt})`;
}

function freshnessFact(base: Base, view: PartyView, who: string): ExplainedFact {
  const seen = view.facts?.newestSighting;
  const window = view.facts?.freshnessWindowDays ?? 0;
  if (!seen) {
    const why = view.facts?.discovered ? 'no discovery source lists it any more'
      : 'no discovery source has seen it';
    return made(base, 'roster', 'sightings', null, `${who}: ${why}`);
  }
  return made(base, seen.source, seen.field, seen.asOf,
    `${who} was last seen ${view.ageDays} day(s) ago by ${seen.source}; its class allows ` +
    `${window} (${view.freshness})`);
}

function ownerText(who: string, status: string): string {
  switch (status) {
    case 'active':
      return `${who} is owned by an owner the directory lists as active`;
    case 'inactive':
      return `${who} is owned by an owner the directory lists as no longer active`;
    case 'unknown':
      return `${who} has an owner, but no directory says whether they are active`;
    default:
      return `${who} has no accountable owner in any source`;
  }
}

function describeVia(view: PartyView): string {
  const r = view.party.resolution;
  return r.status === 'found' ? `matched by ${r.via}` : 'not matched';
}

function unknownText(view: PartyView): string {
  const r = view.party.resolution;
  const what = `${view.party.role} '${view.party.id}'`;
  if (r.status === 'ambiguous') {
    return `${what} matches ${r.candidates.length} records (${r.candidates.map((c) => c.recordId)
      .join(', ')}); Roster does not guess`;
  }
  return `${what} is not in the inventory under any key`;
}
