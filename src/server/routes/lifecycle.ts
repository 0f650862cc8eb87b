import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { dryRun } from '../../executors/dry-run.js';
import { lifecycleOf } from '../../lifecycle-app.js';
import { withDeliveries } from '../../lifecycle/advance.js';
import { attestationDue } from '../../lifecycle/attestation.js';
import type { Actor, Decision } from '../../lifecycle/decisions.js';
import { currentEvidence } from '../../lifecycle/evidence.js';
import { attest, decide } from '../../lifecycle/operator.js';
import type { OffboardingPlan as Plan } from '../../lifecycle/plan-types.js';
import { previewPlan } from '../../lifecycle/track.js';
import type { InventoryRecord } from '../../model/record.js';
import type { ServerContext } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import { afterRuns } from '../ingest/run-uploads.js';
import { BY_REF, recordByRef } from '../lookup.js';
import { recordSummary } from '../present.js';
import { IdParams } from '../schemas/common.js';
import {
  AdmitBody,
  AttestationList,
  AttestationQuery,
  DryRun,
  Evidence,
  LifecycleResult,
  OffboardingPlan,
  PlanList,
  PlanListQuery,
  ReasonBody,
  RetireBody,
  TransitionBody,
  TransitionList,
  TransitionQuery,
} from '../schemas/lifecycle.js';
import { RefParams } from '../schemas/records.js';

type Result = z.input<typeof LifecycleResult>;

/** Who acts through the API: the token's name, so that the decision's provenance says so. */
function actorOf(ctx: ServerContext, request: FastifyRequest, reason?: string): Actor {
  const p = request.principal!;
  return { by: `token:${p.name}`, at: ctx.clock.now(), ...(reason ? { reason } : {}) };
}

/** The asset or identity a reference names (lifecycle decisions apply to these only). */
async function subject(ctx: ServerContext, ref: string): Promise<InventoryRecord> {
  const r = await recordByRef(ctx.app.store, ref);
  if (r.kind !== 'asset' && r.kind !== 'identity') {
    throw new ApiError('CONFLICT', `only assets and identities have a lifecycle, not a ${r.kind}`);
  }
  return r;
}

/** Plans as JSON values (readonly arrays copied, so the response schema sees plain data). */
function planJson(p: Plan): z.input<typeof OffboardingPlan> {
  return JSON.parse(JSON.stringify(p)) as z.input<typeof OffboardingPlan>;
}

/**
 * Applies one decision as the CLI does (src/cli/admission-cli.ts): the state machine checks it,
 * it lands as a run of Roster's own format, the inventory is judged and the lifecycle step runs
 * (offboarding plans, change events). Serialised with other writes, then audited.
 */
async function applyDecision(
  ctx: ServerContext,
  request: FastifyRequest,
  ref: string,
  decision: Decision,
  reason: string | undefined,
): Promise<Result> {
  const actor = actorOf(ctx, request, reason);
  const { record, runId } = await ctx.exclusive(async () => {
    const before = await subject(ctx, ref);
    const run = await decide(lifecycleOf(ctx.app).ctx, [{ record: before, decision }], actor);
    await afterRuns(ctx, [run.run.id], true, actor.at);
    return { record: before, runId: run.run.id };
  });
  const after = (await ctx.app.store.getRecord(record.id)) ?? record;
  await ctx.audit(request, `lifecycle.${decision.type}`, record.id, {
    name: record.name,
    before: { admission: record.admission, lifecycle: record.lifecycle, owner: record.owner },
    after: { admission: after.admission, lifecycle: after.lifecycle, owner: after.owner },
    decision: { ...decision },
    ...(reason ? { reason } : {}),
    run: runId,
  });
  const plans = await lifecycleOf(ctx.app).ctx.lifecycle.listPlans({ subjectId: record.id });
  return { record: recordSummary(after), runId, plans: plans.map(planJson) };
}

export function registerLifecycleRoutes(server: FastifyInstance, ctx: ServerContext): void {
  const action = (name: string, summary: string) => ({
    method: 'POST' as const,
    url: `/api/v1/records/:ref/${name}`,
    operationId: `${name}Record`,
    summary,
    description: BY_REF,
    tag: 'lifecycle',
    scope: 'admin' as const,
    params: RefParams,
    response: LifecycleResult,
    errors: [404, 409],
  });
  ctx.router.add(server, {
    ...action('admit', 'Admit an unknown asset or identity with an owner and a purpose'),
    body: AdmitBody,
    handler: ({ params, body, request }) => applyDecision(ctx, request, params.ref,
      { type: 'admit', owner: body.owner, purpose: body.purpose }, body.reason),
  });
  ctx.router.add(server, {
    ...action('reject', 'Refuse an unknown asset or identity: it starts decommissioning'),
    body: ReasonBody,
    handler: ({ params, body, request }) =>
      applyDecision(ctx, request, params.ref, { type: 'reject' }, body.reason),
  });
  ctx.router.add(server, {
    ...action('retire', 'Retire an asset or identity (or to decommissioning): starts offboarding'),
    body: RetireBody,
    handler: ({ params, body, request }) =>
      applyDecision(ctx, request, params.ref, { type: 'transition', to: body.to }, body.reason),
  });
  ctx.router.add(server, {
    ...action('transition', 'Move an asset or identity to another lifecycle stage'),
    description: `Illegal moves are refused with 409 CONFLICT and the reason. ${BY_REF}`,
    body: TransitionBody,
    handler: ({ params, body, request }) =>
      applyDecision(ctx, request, params.ref, { type: 'transition', to: body.to }, body.reason),
  });
  ctx.router.add(server, {
    ...action('attest', "The owner confirms it is still needed (restarts the attestation clock)"),
    body: ReasonBody,
    handler: ({ params, body, request }) => attestOne(ctx, request, params.ref, body.reason),
  });
  registerLifecycleReads(server, ctx);
}

async function attestOne(
  ctx: ServerContext,
  request: FastifyRequest,
  ref: string,
  reason: string | undefined,
): Promise<Result> {
  const actor = actorOf(ctx, request, reason);
  const c = ctx.app.config.lifecycle;
  const { record, runId } = await ctx.exclusive(async () => {
    const r = await subject(ctx, ref);
    if (!attestationDue(r, c.attestationDays, c.attestationWarnDays, actor.at)) {
      throw new ApiError('CONFLICT',
        `${r.name} is not attested: only admitted, owned, in-use things are`);
    }
    const run = await attest(lifecycleOf(ctx.app).ctx, [r], actor);
    await afterRuns(ctx, [run.run.id], true, actor.at);
    return { record: r, runId: run.run.id };
  });
  await ctx.audit(request, 'lifecycle.attest', record.id, {
    name: record.name, owner: record.owner, run: runId, ...(reason ? { reason } : {}),
  });
  const after = (await ctx.app.store.getRecord(record.id)) ?? record;
  const plans = await lifecycleOf(ctx.app).ctx.lifecycle.listPlans({ subjectId: record.id });
  return { record: recordSummary(after), runId, plans: plans.map(planJson) };
}

/** Offboarding plans, dry runs, evidence, attestations due and transitions: reads. */
function registerLifecycleReads(server: FastifyInstance, ctx: ServerContext): void {
  const lc = () => lifecycleOf(ctx.app).ctx.lifecycle;
  ctx.router.add(server, {
    method: 'GET', url: '/api/v1/offboarding/plans', operationId: 'listOffboardingPlans',
    summary: 'Offboarding plans and the state of each action', tag: 'lifecycle', scope: 'read',
    query: PlanListQuery, response: PlanList,
    handler: async ({ query }) => {
      const plans = await lc().listPlans({
        ...(query.state ? { state: query.state } : {}),
        ...(query.subject ? { subjectId: query.subject } : {}),
      });
      const shown = await Promise.all(plans.map((p) => withDeliveries(lc(), p)));
      return { items: shown.map(planJson) };
    },
  });
  ctx.router.add(server, {
    method: 'GET', url: '/api/v1/offboarding/plans/:id', operationId: 'getOffboardingPlan',
    summary: 'One offboarding plan', tag: 'lifecycle', scope: 'read',
    params: IdParams, response: OffboardingPlan, errors: [404],
    handler: async ({ params }) => planJson(await planOrThrow(ctx, params.id)),
  });
  ctx.router.add(server, {
    method: 'GET', url: '/api/v1/offboarding/plans/:id/evidence',
    operationId: 'getOffboardingEvidence',
    summary: 'The evidence record of a plan (a draft while it is open)',
    tag: 'lifecycle', scope: 'read', params: IdParams, response: Evidence, errors: [404],
    handler: async ({ params }) => {
      const plan = await planOrThrow(ctx, params.id);
      const stored = await lc().getEvidence(plan.id);
      return JSON.parse(JSON.stringify(currentEvidence(plan, stored, ctx.clock.now()))) as
        z.input<typeof Evidence>;
    },
  });
  ctx.router.add(server, {
    method: 'GET', url: '/api/v1/records/:ref/offboarding-dry-run', operationId: 'offboardDryRun',
    summary: 'The offboarding plan retiring this asset or identity would start; changes nothing',
    description: BY_REF, tag: 'lifecycle', scope: 'read', params: RefParams, response: DryRun,
    errors: [404, 409],
    handler: async ({ params }) => {
      const record = await subject(ctx, params.ref);
      const c = ctx.app.config.lifecycle;
      const now = ctx.clock.now();
      const { plan } = await previewPlan(lifecycleOf(ctx.app).ctx, record, now);
      const events = JSON.parse(JSON.stringify(dryRun(plan, c.eventSource))) as
        z.input<typeof DryRun>['events'];
      return { plan: planJson(plan), executor: c.executor, events };
    },
  });
  ctx.router.add(server, {
    method: 'GET', url: '/api/v1/attestations', operationId: 'listAttestationsDue',
    summary: 'Assets and identities due or overdue for owner attestation, most overdue first',
    tag: 'lifecycle', scope: 'read', query: AttestationQuery, response: AttestationList,
    handler: async ({ query }) => {
      const now = ctx.clock.now();
      const c = ctx.app.config.lifecycle;
      const wanted = query.owner?.trim().toLowerCase();
      const items = [];
      for await (const page of ctx.app.store.scanRecords()) {
        for (const r of page) {
          const due = attestationDue(r, c.attestationDays, c.attestationWarnDays, now);
          if (!due || (wanted && due.owner.toLowerCase() !== wanted)) continue;
          if (query.all === 'true' || due.status !== 'ok') items.push({ ...due });
        }
      }
      return { at: now, items: items.sort((a, b) => a.dueAt.localeCompare(b.dueAt)) };
    },
  });
  ctx.router.add(server, {
    method: 'GET', url: '/api/v1/transitions', operationId: 'listTransitions',
    summary: 'Admission and lifecycle moves: who, when, why, from which source',
    tag: 'lifecycle', scope: 'read', query: TransitionQuery, response: TransitionList,
    handler: async ({ query }) => {
      const rows = await lc().listTransitions(query.record, query.limit);
      return { items: rows.filter((t) => !query.flagged || !t.legal).map((t) => ({ ...t })) };
    },
  });
}

async function planOrThrow(ctx: ServerContext, id: string): Promise<Plan> {
  const lc = lifecycleOf(ctx.app).ctx.lifecycle;
  const plan = await lc.getPlan(id);
  if (!plan) throw notFound('offboarding plan');
  return withDeliveries(lc, plan);
}
