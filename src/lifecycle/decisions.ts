import type { InventoryRecord } from '../model/record.js';
import { keyStrength, normalizeKey } from '../model/keys.js';
import { RosterError } from '../model/errors.js';
import { checkText, type FieldProblem } from '../model/field-guard.js';
import type {
  Admission,
  AttrValue,
  Key,
  LifecycleStage,
  Observation,
  Relation,
} from '../model/types.js';
import { RETIREMENT_HOLD_FORMAT } from '../reconcile/rules.js';
import type { ParseEvent, SourceFormat, SourceInput } from '../sources/format.js';
import { checkAdmission, checkLifecycle } from './stages.js';

/** Source of an operator's own word; it outranks every other source for admission (rules.ts). */
export const ROSTER_SOURCE = 'roster';
/** Format of admissions, rejections and transitions decided through Roster. */
export const ADMISSION_FORMAT = 'roster-admission';
/** Format of the retirements Roster holds to (retired is final, whatever a source resends). */
export const RETIREMENT_FORMAT = RETIREMENT_HOLD_FORMAT;
/** Format of owner attestations. */
export const ATTESTATION_FORMAT = 'roster-attestation';
export const ROSTER_SCOPE = 'roster';

/** What an operator decided about one record. */
export type Decision =
  | {
      readonly type: 'admit';
      readonly owner: string;
      readonly purpose: string;
      /** Why this one (a bulk file's row); else the actor's reason. */
      readonly reason?: string;
    }
  | { readonly type: 'reject' }
  | { readonly type: 'transition'; readonly to: LifecycleStage };

/** Who decided, when and why: the provenance an operator's observation carries. */
export interface Actor {
  readonly by: string;
  readonly at: string;
  readonly reason?: string;
}

/**
 * Checks a decision against the record's state; an illegal one is refused with the reason.
 * Sources may report any move (a source is a fact); commands may only make legal ones.
 */
export function checkDecision(r: InventoryRecord, d: Decision): void {
  if (r.kind !== 'asset' && r.kind !== 'identity') {
    throw illegal(r, `only assets and identities are admitted and retired, not a ${r.kind}`);
  }
  if (d.type === 'admit') {
    if (!d.owner.trim() || !d.purpose.trim()) {
      throw new RosterError('BAD_INPUT', `admitting ${r.name} needs an owner and a purpose`);
    }
    expectOk(r, checkAdmission(r.admission, 'approved'));
    return;
  }
  if (d.type === 'reject') {
    if (r.admission !== 'unknown') {
      throw illegal(r, `it is ${r.admission}; only unknown things are rejected (use retire)`);
    }
    if (r.lifecycle !== null) expectOk(r, checkLifecycle(r.lifecycle, 'decommissioning'));
    return;
  }
  expectOk(r, checkLifecycle(r.lifecycle, d.to));
}

/**
 * The first text of a decision that may not be kept (DESIGN.md rule 5): its owner, purpose,
 * reason or actor holding a secret (or too long), by the rule ingest refuses a row by. A
 * decision refused so records nothing, not even the owner it names.
 */
export function decisionProblem(d: Decision, actor: Actor): FieldProblem | undefined {
  const texts: [string, string | undefined][] = [
    ['owner', d.type === 'admit' ? d.owner : undefined],
    ['purpose', d.type === 'admit' ? d.purpose : undefined],
    ['reason', (d.type === 'admit' ? d.reason : undefined) ?? actor.reason],
    ['by', actor.by],
  ];
  for (const [field, value] of texts) {
    const p = value === undefined ? undefined : checkText(field, value);
    if (p) return p;
  }
  return undefined;
}

/** The first of an actor's own texts (who, why) that may not be kept: see decisionProblem. */
export function actorProblem(actor: Actor): FieldProblem | undefined {
  return decisionProblem({ type: 'reject' }, actor);
}

/** decisionProblem as an error: the command refuses the decision whole. */
export function checkDecisionText(d: Decision, actor: Actor): void {
  const p = decisionProblem(d, actor);
  if (p) throw refusedText(p);
}

/** The error a refused text makes: its field and kind, never the value. */
export function refusedText(p: FieldProblem): RosterError {
  const code = p.code === 'SECRET_VALUE' ? 'SECRET_REFUSED' : 'BAD_INPUT';
  const message = p.message.replace('the row is refused', 'nothing is recorded');
  return new RosterError(code, `${message} [${p.code}]`, { field: p.field });
}

function expectOk(r: InventoryRecord, check: ReturnType<typeof checkAdmission>): void {
  if (!check.ok) throw illegal(r, check.reason);
}

function illegal(r: InventoryRecord, reason: string): RosterError {
  return new RosterError('ILLEGAL_TRANSITION', `${r.name} (${r.id}): refused: ${reason}`, {
    recordId: r.id,
  });
}

/** The attributes a decision sets. Rejection starts decommissioning (issue #5, point 2). */
function decisionAttributes(d: Decision): Record<string, AttrValue> {
  switch (d.type) {
    case 'admit':
      return { admission: 'approved', owner: d.owner.trim(), purpose: d.purpose.trim() };
    case 'reject':
      return { admission: 'retired' satisfies Admission, lifecycle: 'decommissioning' };
    case 'transition':
      return d.to === 'retired'
        ? { lifecycle: 'retired', admission: 'retired' }
        : { lifecycle: d.to };
  }
}

/**
 * The observation that carries a decision: the record's strong keys (so that it lands on this
 * record whatever the ingest order), what earlier decisions said, and the new word on top.
 */
export function decisionObservation(
  r: InventoryRecord,
  d: Decision,
  actor: Actor,
  previous: Readonly<Record<string, AttrValue>> = {},
): Observation[] {
  const keys = strongKeys(r);
  const attributes: Record<string, AttrValue> = {
    ...previous,
    ...decisionAttributes(d),
    ...(d.type === 'admit' ? { 'roster.admittedAt': actor.at } : {}),
    'roster.decision': d.type === 'transition' ? `transition:${d.to}` : d.type,
    'roster.by': actor.by,
    'roster.at': actor.at,
    'roster.reason': (d.type === 'admit' ? d.reason : undefined) ?? actor.reason ?? null,
  };
  const owner = typeof attributes['owner'] === 'string' ? attributes['owner'] : undefined;
  const ownerObs = owner ? ownerObservation(owner) : undefined;
  const relations: Relation[] = ownerObs ? [{ type: 'owned-by', target: ownerObs.keys[0]! }] : [];
  const obs: Observation = {
    kind: r.kind,
    sourceId: r.id,
    scope: ROSTER_SCOPE,
    keys,
    attributes,
    relations,
  };
  return ownerObs ? [obs, ownerObs] : [obs];
}

/** An owner's own observation, so that an owner named only by an operator exists too. */
function ownerObservation(name: string): Observation | undefined {
  const key = normalizeKey('owner', name);
  if (!key) return undefined;
  const email = normalizeKey('email', name);
  return {
    kind: 'owner',
    sourceId: `owner:${key.value}`,
    scope: ROSTER_SCOPE,
    keys: email ? [key, email] : [key],
    attributes: { name, ownerType: email ? 'person' : 'team' },
  };
}

/** The attestation observation: an owner confirmed, at `at`, that the thing is still needed. */
export function attestationObservation(r: InventoryRecord, actor: Actor): Observation {
  return {
    kind: r.kind,
    sourceId: r.id,
    scope: ROSTER_SCOPE,
    keys: strongKeys(r),
    attributes: {
      attestedAt: actor.at,
      'roster.attestedBy': actor.by,
      'roster.attestationNote': actor.reason ?? null,
    },
  };
}

/**
 * The observation that holds a record retired (retired is final: DESIGN.md, lifecycle stage):
 * Roster's own word outranks every source for admission and lifecycle, so that a source
 * resending an old state (a CMDB export from before the retirement) is kept as a conflicting
 * claim, not a move back to in service. Carries where the retirement came from. Undefined
 * when nothing is retired or the record has no strong key to tie the word to.
 */
export function retirementObservation(r: InventoryRecord): Observation | undefined {
  const keys = r.keys.filter((k) => keyStrength(k.type) === 'strong');
  if (keys.length === 0) return undefined;
  const attributes: Record<string, AttrValue> = {};
  if (r.lifecycle === 'retired') attributes['lifecycle'] = 'retired';
  if (r.admission === 'retired') attributes['admission'] = 'retired';
  const claim = r.attributes['lifecycle']?.value === 'retired'
    ? r.attributes['lifecycle'] : r.attributes['admission'];
  if (!claim || Object.keys(attributes).length === 0) return undefined;
  return {
    kind: r.kind,
    sourceId: r.id,
    scope: ROSTER_SCOPE,
    keys,
    attributes: {
      ...attributes,
      'roster.retiredPer': claim.source,
      'roster.retiredFormat': claim.format,
      'roster.retiredRun': claim.runId,
      'roster.retiredAsOf': claim.asOf,
    },
  };
}

function strongKeys(r: InventoryRecord): Key[] {
  const keys = r.keys.filter((k) => keyStrength(k.type) === 'strong');
  if (keys.length === 0) {
    throw new RosterError(
      'BAD_INPUT',
      `${r.name} (${r.id}) has no strong key, so a decision cannot be tied to it; ` +
        'record it in its system of record instead',
    );
  }
  return keys;
}

/**
 * A format that yields given observations: operator decisions reconcile like any other
 * source, keeping provenance. Runs are partial, so one decision never marks others missing.
 */
export function rosterFormat(
  name: string,
  observations: readonly Observation[],
  asOf: string,
): SourceFormat {
  return {
    name,
    source: ROSTER_SOURCE,
    systemOfRecord: true,
    description: 'decisions made through Roster by an operator',
    example: 'roster admit i-0abc --owner alice --purpose "web front end"',
    detect: () => 0,
    async *parse(_input: SourceInput): AsyncIterable<ParseEvent> {
      yield { type: 'meta', meta: { asOf, scopes: [ROSTER_SCOPE], complete: false } };
      for (const observation of observations) yield { type: 'observation', observation };
    },
  };
}
