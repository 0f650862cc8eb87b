import { listJson, partJson, textJson } from '../../decide/decision-json.js';
import {
  authzenResponse, userText, type DecidingPolicy, type Decision,
} from '../../decide/decision.js';
import type { ExplainedFact } from '../../decide/explain.js';
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

const q = JSON.stringify;

/**
 * The JSON of `decisionAnswer(d, explain)`, byte for byte (a test compares both), made from
 * the JSON its deciding policies and explained facts keep (decision-json.ts): a decision
 * answered over HTTP costs a few concatenations, not a serialisation of every fact.
 */
export function answerJson(d: Decision, explain: Explain): string {
  return `{"decision":${d.decision},"context":{"id":${q(d.id)}` + restOf(d, explain).json;
}

/** An answer's text and its length in UTF-8 bytes (the Content-Length), as answerJson's. */
export function answerText(d: Decision, explain: Explain): { text: string; bytes: number } {
  const head = `{"decision":${d.decision},"context":{"id":${q(d.id)}`;
  const rest = restOf(d, explain);
  return { text: head + rest.json, bytes: Buffer.byteLength(head) + rest.bytes };
}

/** What an answer holds after its decision id, with the parts of the decision it came from. */
interface Rest {
  readonly explain: Explain;
  readonly decision: boolean;
  readonly reason: string;
  readonly reasons: Decision['reasons'];
  readonly message: string;
  readonly policies: Decision['policies'];
  readonly errors: Decision['errors'];
  readonly json: string;
  readonly bytes: number;
}

/**
 * Answers after their id, by the facts list of the decision. A decision reused for a repeated
 * request (service.ts) is the first one with an id and time of its own, sharing every other
 * part, so its answer is its id and the text kept here; a kept text is used only when every
 * part it was made from is the very one of the decision.
 */
const RESTS = new WeakMap<Decision['facts'], Rest[]>();

function restOf(d: Decision, explain: Explain): Rest {
  const kept = RESTS.get(d.facts);
  if (kept) {
    for (const r of kept) {
      if (r.explain === explain && r.decision === d.decision && r.reason === d.reason &&
        r.reasons === d.reasons && r.message === d.message && r.policies === d.policies &&
        r.errors === d.errors) return r;
    }
  }
  const facts = explain === 'full' ? listJson(d.facts) : compactFactsJson(d.facts);
  let json = `,"reason":${q(d.reason)}` +
    `,"reasons":${partJson(d.reasons)},"reason_admin":{"en":${textJson(d.message)}}` +
    `,"reason_user":{"en":${textJson(userText(d))}},"policies":${policiesJson(d.policies)}` +
    `,"facts":${facts}`;
  if (d.errors.length > 0) json += `,"errors":${q(d.errors)}`;
  json += '}}';
  const rest: Rest = { explain, decision: d.decision, reason: d.reason, reasons: d.reasons,
    message: d.message, policies: d.policies, errors: d.errors, json,
    bytes: Buffer.byteLength(json) };
  if (kept) kept.push(rest);
  else RESTS.set(d.facts, [rest]);
  return rest;
}

/**
 * `[a,b]` of parts, each part's JSON made once by `make` and kept in `cache` (the parts are
 * shared and immutable: facts of party views, deciding policies).
 */
function joinKept<T extends object>(parts: readonly T[], cache: WeakMap<T, string>,
  make: (part: T) => string): string {
  if (parts.length === 0) return '[]';
  let out = '[';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    let json = cache.get(part);
    if (json === undefined) cache.set(part, (json = make(part)));
    out += (i === 0 ? '' : ',') + json;
  }
  return out + ']';
}

/** Compact JSON of explained facts, kept per fact. */
const COMPACT_JSON = new WeakMap<ExplainedFact, string>();

function compactFactsJson(facts: readonly ExplainedFact[]): string {
  return joinKept(facts, COMPACT_JSON, compactFactJson);
}

/** An explained fact's JSON ends with its sentence (`text` is its last field): cut it off. */
function compactFactJson(f: ExplainedFact): string {
  const full = partJson(f);
  const cut = full.lastIndexOf(',"text":');
  return cut < 0 ? full : full.slice(0, cut) + '}';
}

/** The answer's form of a deciding policy (id, effect, reason), kept per policy. */
const POLICY_JSON = new WeakMap<DecidingPolicy, string>();

function policiesJson(policies: readonly DecidingPolicy[]): string {
  return joinKept(policies, POLICY_JSON,
    (p) => q({ id: p.id, effect: p.effect, reason: p.reason }));
}

const STR = { type: 'string' } as const;
const TEXT = { type: 'object', properties: { en: STR } } as const;

/**
 * One decision, for fast-json-stringify and the OpenAPI document; properties not named here
 * are kept as they are.
 */
export const DECISION_SCHEMA = {
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

/**
 * Response schema of the evaluations route (a batch, or a single evaluation without items);
 * the evaluation route answers with `answerJson`'s text.
 */
export const EVALUATIONS_RESPONSE = {
  200: {
    type: 'object',
    properties: {
      ...DECISION_SCHEMA.properties,
      evaluations: { type: 'array', items: DECISION_SCHEMA },
    },
  },
} as const;
