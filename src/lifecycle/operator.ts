import { randomUUID } from 'node:crypto';
import { checkObservation, DEFAULT_FIELD_LIMITS } from '../model/field-guard.js';
import type { InventoryRecord } from '../model/record.js';
import { fixedClock } from '../model/time.js';
import type { AttrValue, Observation } from '../model/types.js';
import { ingest, type IngestResult } from '../reconcile/ingest.js';
import type { PrecedenceRules } from '../reconcile/rules.js';
import { textInput } from '../sources/read-file.js';
import { appendEvents, lifecycleEvent, type LifecycleContext } from './context.js';
import {
  ADMISSION_FORMAT,
  ATTESTATION_FORMAT,
  actorProblem,
  RETIREMENT_FORMAT,
  attestationObservation,
  checkDecision,
  checkDecisionText,
  decisionObservation,
  refusedText,
  retirementObservation,
  rosterFormat,
  type Actor,
  type Decision,
} from './decisions.js';

export interface OperatorContext extends LifecycleContext {
  readonly rules: PrecedenceRules;
}

/** The attributes Roster's earlier decisions on a record said, to carry them forward. */
async function previousDecision(
  ctx: OperatorContext,
  r: InventoryRecord,
): Promise<Readonly<Record<string, AttrValue>>> {
  const own = (await ctx.store.observationsOf(r.id)).find((o) => o.format === ADMISSION_FORMAT);
  return own?.attributes ?? {};
}

async function ingestOwn(
  ctx: OperatorContext,
  format: string,
  observations: readonly Observation[],
  actor: Actor,
  label: string,
): Promise<IngestResult> {
  const input = textInput(`roster:${label} by ${actor.by}`, '');
  return ingest(ctx.store, rosterFormat(format, observations, actor.at), input, {
    rules: ctx.rules,
    clock: fixedClock(actor.at),
    complete: false,
  });
}

/**
 * Applies operator decisions (admit, reject, transition) as one run of the `roster-admission`
 * format: each is checked against the state machine first, and an illegal one refuses the
 * whole batch with the reason, so that nothing is half-applied.
 */
export async function decide(
  ctx: OperatorContext,
  items: readonly { record: InventoryRecord; decision: Decision }[],
  actor: Actor,
): Promise<IngestResult> {
  const observations: Observation[] = [];
  for (const { record, decision } of items) {
    checkDecision(record, decision);
    checkDecisionText(decision, actor);
    const previous = await previousDecision(ctx, record);
    observations.push(...decisionObservation(record, decision, actor, previous));
  }
  guardWhole(observations);
  const label = items.length === 1 ? items[0]!.decision.type : `${items.length} decisions`;
  return ingestOwn(ctx, ADMISSION_FORMAT, observations, actor, label);
}

/**
 * What ingest's field guard would refuse of Roster's own observations refuses the whole batch
 * before anything lands: ingest would drop the one observation and keep the rest (the owner a
 * refused admission names, say), and the command would report a success it did not have.
 */
function guardWhole(observations: readonly Observation[]): void {
  for (const o of observations) {
    const p = checkObservation(o, DEFAULT_FIELD_LIMITS);
    if (p) throw refusedText(p);
  }
}

/**
 * Records owners' attestations (issue #5, point 3): history in the attestations table, and
 * the latest as an `attestedAt` observation from Roster that judging reads.
 */
export async function attest(
  ctx: OperatorContext,
  records: readonly InventoryRecord[],
  actor: Actor,
): Promise<IngestResult> {
  // The note is kept in the attestations table as well: refused before either keeps it.
  const problem = actorProblem(actor);
  if (problem) throw refusedText(problem);
  guardWhole(records.map((r) => attestationObservation(r, actor)));
  const result = await ingestOwn(
    ctx,
    ATTESTATION_FORMAT,
    records.map((r) => attestationObservation(r, actor)),
    actor,
    'attest',
  );
  for (const r of records) {
    await ctx.lifecycle.addAttestation({
      id: `att_${randomUUID()}`,
      recordId: r.id,
      owner: r.owner,
      by: actor.by,
      at: actor.at,
      note: actor.reason ?? null,
    });
  }
  await appendEvents(ctx.store, records.map((r) => lifecycleEvent('attestation.recorded',
    actor.at, r.id, { by: actor.by, owner: r.owner })));
  return result;
}

/**
 * Holds retired records retired (retired is final): one `roster-retirement` run per as-of,
 * for the records not held yet. Answers how many were held. See retirementObservation.
 */
export async function holdRetirements(
  ctx: OperatorContext,
  records: readonly InventoryRecord[],
): Promise<number> {
  const byAsOf = new Map<string, Observation[]>();
  for (const r of records) {
    if (r.attributes['roster.retiredAsOf'] !== undefined) continue;
    const obs = retirementObservation(r);
    const at = obs?.attributes['roster.retiredAsOf'];
    if (!obs || typeof at !== 'string') continue;
    byAsOf.set(at, [...(byAsOf.get(at) ?? []), obs]);
  }
  let held = 0;
  for (const [at, observations] of [...byAsOf].sort(([a], [b]) => a.localeCompare(b))) {
    await ingestOwn(ctx, RETIREMENT_FORMAT, observations,
      { by: 'roster', at, reason: 'retired is final' }, 'retirement');
    held += observations.length;
  }
  return held;
}
