/**
 * Part a) of bench:decide: DecisionService.decide in process over the generated estate, beside
 * cedar-wasm's isAuthorized called per request for the same requests, in the same run.
 */
import { isAuthorized } from '@cedar-policy/cedar-wasm/nodejs';
import type { App } from '../../src/app.js';
import { openDecideApp } from '../../src/decide-app.js';
import {
  entityJson,
  evaluateCompiled,
  evaluateReference,
  type EvalRequest,
} from '../../src/decide/cedar/engine.js';
import type { PolicySet } from '../../src/decide/cedar/policy-set.js';
import { CedarRecord, EntityUid, entity, toJson } from '../../src/decide/cedar/values.js';
import { decisionAnswer } from '../../src/server/authzen/answer.js';
import { viewParty } from '../../src/decide/enrich.js';
import type { FactIndex } from '../../src/decide/fact-index.js';
import type { EvaluationRequest } from '../../src/decide/request.js';
import { fixedClock } from '../../src/model/time.js';
import { NOW, type EstateShape } from './estate.js';
import { HTTP_REQUEST, mixedRequests } from './requests.js';
import { timeCalls, type LatencyStats } from './stats.js';

export interface InProcessResult {
  readonly loadSeconds: number;
  readonly indexed: number;
  readonly roster: LatencyStats;
  readonly rosterWasm: LatencyStats;
  readonly wasm: LatencyStats;
  readonly allowed: number;
  readonly reasons: Record<string, number>;
  readonly mismatches: number;
  readonly compared: number;
  /** Roster's AuthZEN answer to the HTTP leg's request, which the bare server repeats. */
  readonly httpAnswer: string;
}

export interface InProcessOptions {
  readonly decisions: number;
  readonly wasmDecisions: number;
}

/** Builds the three Cedar entities of a request the way the decision service does. */
function entitiesOf(set: PolicySet, index: FactIndex, req: EvaluationRequest): EvalRequest {
  const nowMs = Date.parse(NOW);
  const party = (role: 'subject' | 'resource', e: EvaluationRequest['subject']) =>
    viewParty(set.namespace, { role, type: e.type, id: e.id, resolution: index.resolve(e.id),
      properties: e.properties }, nowMs).entity;
  const actionType = `${set.namespace}::Action`;
  return {
    principal: party('subject', req.subject),
    action: entity(new EntityUid(actionType, req.action.name), {}),
    resource: party('resource', req.resource),
    context: new CedarRecord({}),
  };
}

export async function runInProcess(app: App, shape: EstateShape, opts: InProcessOptions) {
  const t0 = process.hrtime.bigint();
  const pdp = await openDecideApp(app, { clock: fixedClock(NOW) });
  const loadSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  try {
    const service = pdp.service;
    const set = service.policies;
    if (!set?.compiled) throw new Error('the default policy set did not compile');
    // Never the same request twice in the timed run: no cache sees a repeat it would not see.
    const WARMUP = 20_000;
    const stream = mixedRequests(shape, WARMUP + opts.decisions);
    const requests = stream.slice(0, 8192);
    const n = requests.length;

    const reasons: Record<string, number> = {};
    let allowed = 0;
    for (const r of requests) {
      const d = await service.decide(r);
      reasons[d.reason] = (reasons[d.reason] ?? 0) + 1;
      if (d.decision) allowed++;
    }

    const roster = await timeCalls(opts.decisions, WARMUP,
      (i) => service.decide(stream[i]!));

    // The same service with cedar-wasm as its evaluator for every decision.
    service.usePolicies({ ok: true, set: { ...set, compiled: undefined } });
    const rosterWasm = await timeCalls(opts.wasmDecisions, 500,
      (i) => service.decide(requests[i % n]!));
    service.usePolicies({ ok: true, set });

    // cedar-wasm alone: entities built beforehand, one isAuthorized call per request.
    const built = requests.map((r) => entitiesOf(set, service.index, r));
    const calls = built.map((b) => ({
      principal: { type: b.principal.uid.type, id: b.principal.uid.id },
      action: { type: b.action.uid.type, id: b.action.uid.id },
      resource: { type: b.resource.uid.type, id: b.resource.uid.id },
      context: toJson(b.context) as Record<string, never>,
      policies: { staticPolicies: { ...set.texts } },
      entities: [b.principal, b.action, b.resource].map(entityJson),
      validateRequest: false,
    }));
    const wasm = await timeCalls(opts.wasmDecisions, 500, (i) => isAuthorized(calls[i % n]!));

    // Both engines on every request: the same decision and the same determining policies.
    let mismatches = 0;
    for (const b of built) {
      const c = evaluateCompiled(set.compiled, b);
      const w = evaluateReference(set.texts, b);
      const same = c.decision === w.decision && c.errors.length === w.errors.length &&
        [...c.determining].sort().join() === [...w.determining].sort().join();
      if (!same) mismatches++;
    }
    // The bytes Roster's HTTP answer carries (compact unless a PEP asks for the full one).
    const answer = decisionAnswer(await service.decide(HTTP_REQUEST), 'compact');
    if (!answer.decision) {
      throw new Error(`the HTTP request is denied: ${String(answer.context['reason'])}`);
    }
    return { loadSeconds, indexed: service.index.size, roster, rosterWasm, wasm, allowed, reasons,
      mismatches, compared: built.length,
      httpAnswer: JSON.stringify(answer) } satisfies InProcessResult;
  } finally {
    pdp.close();
  }
}
