import { isAuthorized, type EntityJson } from '@cedar-policy/cedar-wasm/nodejs';
import type { Env } from './compile-expr.js';
import type { CompiledPolicy } from './compile-policy.js';
import {
  CedarRecord,
  EntityUid,
  EvalError,
  NeedsReference,
  toJson,
  type Entity,
  type EntityStore,
} from './values.js';

/** The request as both engines take it: entities already built from inventory facts. */
export interface EvalRequest {
  readonly principal: Entity;
  readonly action: Entity;
  readonly resource: Entity;
  readonly context: CedarRecord;
}

export interface PolicyError {
  readonly policyId: string;
  readonly kind: EvalError['kind'] | 'reference';
  readonly message: string;
  readonly entity?: string;
  readonly attribute?: string;
}

/** Cedar's answer: the decision, the policies that determined it, the policies that erred. */
export interface EvalResult {
  readonly decision: 'allow' | 'deny';
  readonly determining: readonly string[];
  readonly errors: readonly PolicyError[];
  readonly engine: 'compiled' | 'cedar-wasm';
}

/**
 * Evaluates compiled policies by Cedar's authorization algorithm: deny if any forbid holds,
 * else allow if any permit holds, else deny. A policy that errs is skipped, as in Cedar, and
 * reported; the caller turns any error into a deny (DESIGN.md rule 6).
 */
export function evaluateCompiled(
  policies: readonly CompiledPolicy[],
  req: EvalRequest,
): EvalResult {
  const env = envOf(req);
  const permits: string[] = [];
  const forbids: string[] = [];
  const errors: PolicyError[] = [];
  for (const p of policies) {
    try {
      if (p.matches(env)) (p.effect === 'forbid' ? forbids : permits).push(p.id);
    } catch (err) {
      if (!(err instanceof EvalError)) throw err;
      errors.push(errorOf(p.id, err));
    }
  }
  if (forbids.length > 0) {
    return { decision: 'deny', determining: forbids, errors, engine: 'compiled' };
  }
  if (permits.length > 0) {
    return { decision: 'allow', determining: permits, errors, engine: 'compiled' };
  }
  return { decision: 'deny', determining: [], errors, engine: 'compiled' };
}

function errorOf(policyId: string, err: EvalError): PolicyError {
  return {
    policyId,
    kind: err.kind,
    message: err.message,
    ...(err.entity ? { entity: err.entity, attribute: err.attribute } : {}),
  };
}

function envOf(req: EvalRequest): Env {
  const byKey = new Map<string, Entity>([
    [req.principal.uid.key, req.principal],
    [req.action.uid.key, req.action],
    [req.resource.uid.key, req.resource],
  ]);
  const store: EntityStore = byKey;
  return {
    principal: req.principal.uid,
    action: req.action.uid,
    resource: req.resource.uid,
    context: req.context,
    store,
  };
}

/** Policies by id in Cedar text, the form cedar-wasm takes. */
export type PolicyTexts = Readonly<Record<string, string>>;

/**
 * Evaluates with cedar-wasm, the reference: for policies outside the compiled subset, and
 * for the differential tests that hold the compiled evaluator to it.
 */
export function evaluateReference(policies: PolicyTexts, req: EvalRequest): EvalResult {
  const answer = isAuthorized({
    principal: uidJson(req.principal.uid),
    action: uidJson(req.action.uid),
    resource: uidJson(req.resource.uid),
    context: toJson(req.context) as Record<string, never>,
    policies: { staticPolicies: { ...policies } },
    entities: [req.principal, req.action, req.resource].map(entityJson),
    validateRequest: false,
  });
  if (answer.type === 'failure') {
    const message = answer.errors.map((e) => e.message).join('; ');
    return {
      decision: 'deny',
      determining: [],
      errors: [{ policyId: '(request)', kind: 'reference', message }],
      engine: 'cedar-wasm',
    };
  }
  const d = answer.response.diagnostics;
  // In the order of the policy files, as the compiled evaluator reports them.
  const order = Object.keys(policies);
  const errors = d.errors.map((e) => referenceError(e.policyId, e.error.message, req))
    .sort((a, b) => order.indexOf(a.policyId) - order.indexOf(b.policyId));
  return {
    decision: answer.response.decision,
    determining: [...d.reason],
    errors,
    engine: 'cedar-wasm',
  };
}

const MISSING_ATTRIBUTE = /^`(.+)` does not have the attribute `(.+)`$/;

/** cedar-wasm's error, classified like the compiled evaluator's where its message says how. */
function referenceError(policyId: string, message: string, req: EvalRequest): PolicyError {
  const m = MISSING_ATTRIBUTE.exec(message);
  const named = (u: EntityUid) => `${u.type}::${JSON.stringify(u.id)}`;
  const entity = !m ? undefined : m[1] === named(req.principal.uid) ? 'principal'
    : m[1] === named(req.resource.uid) ? 'resource' : undefined;
  if (!m || !entity) return { policyId, kind: 'reference', message };
  return { policyId, kind: 'missing-attribute', message, entity, attribute: m[2]! };
}

function uidJson(u: EntityUid): { type: string; id: string } {
  return { type: u.type, id: u.id };
}

/** Entity in cedar-wasm's JSON form; ancestors are listed as direct parents (same closure). */
export function entityJson(e: Entity): EntityJson {
  return {
    uid: uidJson(e.uid),
    attrs: toJson(new CedarRecord(e.attrs)) as EntityJson['attrs'],
    parents: e.parents.map(uidJson),
    ...(e.tags ? { tags: toJson(new CedarRecord(e.tags)) as EntityJson['attrs'] } : {}),
  };
}

/** Compiled evaluation, handing over to the reference where the subset ends (rare). */
export function evaluate(
  compiled: readonly CompiledPolicy[] | undefined,
  texts: PolicyTexts,
  req: EvalRequest,
): EvalResult {
  if (!compiled) return evaluateReference(texts, req);
  try {
    return evaluateCompiled(compiled, req);
  } catch (err) {
    if (err instanceof NeedsReference) return evaluateReference(texts, req);
    throw err;
  }
}
