import { authzenResponse, type Decision } from '../../decide/decision.js';
import type { EvaluationRequest } from '../../decide/request.js';

/** How much of the explanation an answer carries: see docs/decisions.md. */
export type Explain = 'compact' | 'full';

export interface AuthzenDecision {
  readonly decision: boolean;
  readonly context: Readonly<Record<string, unknown>>;
}

/** `context.explain: "full"` in the request asks for every fact's sentence; anything else not. */
export function explainOf(req: Pick<EvaluationRequest, 'context'>): Explain {
  return req.context?.['explain'] === 'full' ? 'full' : 'compact';
}

/**
 * The AuthZEN answer over HTTP. Both forms carry the decision id, the reason codes, the
 * decision in words (`reason_admin`, `reason_user`), the deciding policies and every fact
 * they used with its entity, name, value, source, field and as-of time. The compact form (the
 * default) leaves out each fact's sentence (`text`), which repeats those fields in words and
 * made up a third of the bytes; `full` keeps it, and the decision log keeps it always
 * (`GET /api/v1/decisions/{id}`).
 */
export function decisionAnswer(d: Decision, explain: Explain): AuthzenDecision {
  const full = authzenResponse(d);
  if (explain === 'full') return full;
  return {
    decision: full.decision,
    context: {
      ...full.context,
      facts: d.facts.map((f) => ({ entity: f.entity, name: f.name, value: f.value,
        source: f.source, field: f.field, asOf: f.asOf })),
    },
  };
}

const STR = { type: 'string' } as const;
const TEXT = { type: 'object', properties: { en: STR } } as const;

/** One decision, for fast-json-stringify; properties not named here are kept as they are. */
const DECISION_SCHEMA = {
  type: 'object',
  properties: {
    decision: { type: 'boolean' },
    context: {
      type: 'object',
      additionalProperties: true,
      properties: {
        id: STR,
        reason: STR,
        reasons: { type: 'array', items: STR },
        reason_admin: TEXT,
        reason_user: TEXT,
        policies: {
          type: 'array',
          items: { type: 'object', additionalProperties: true,
            properties: { id: STR, effect: STR, reason: STR } },
        },
        facts: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: true,
            properties: { entity: STR, name: STR, value: {}, source: STR, field: STR,
              asOf: { type: ['string', 'null'] }, text: STR },
          },
        },
      },
    },
  },
  required: ['decision', 'context'],
} as const;

/** Response schemas of the two decision routes (an evaluations request may be a single one). */
export const EVALUATION_RESPONSE = { 200: DECISION_SCHEMA } as const;
export const EVALUATIONS_RESPONSE = {
  200: {
    type: 'object',
    properties: {
      ...DECISION_SCHEMA.properties,
      evaluations: { type: 'array', items: DECISION_SCHEMA },
    },
  },
} as const;
