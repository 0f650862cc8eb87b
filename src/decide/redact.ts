import { containsPrivateKey, isSecretField, looksLikeSecretValue } from '../model/secrets.js';
import type { Decision } from './decision.js';
import type { ExplainedFact } from './explain.js';
import { PROOF_FIELDS } from './proof/proof.js';

const PROOFS = new Set<string>(PROOF_FIELDS);

/**
 * A copy of a request fit for the decision log (DESIGN.md rule 5): workload proofs are
 * dropped (the decision keeps their fingerprint and SPIFFE ID), and any field that holds or
 * is named like a secret is replaced by `[redacted]`.
 */
export function redactRequest(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[truncated]';
  if (typeof value === 'string') return isSecretText(value) ? '[redacted]' : value;
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => redactRequest(v, depth + 1));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (PROOFS.has(k)) out[k] = '[proof: see decision.proof]';
    else if (isSecretField(k, v)) out[k] = '[redacted]';
    else out[k] = redactRequest(v, depth + 1);
  }
  return out;
}

function isSecretText(s: string): boolean {
  return containsPrivateKey(s) || looksLikeSecretValue(s);
}

/** JSON of explained facts; the frozen ones are shared by many decisions, so kept. */
const FACT_JSON = new WeakMap<ExplainedFact, string>();

function factJson(f: ExplainedFact): string {
  if (!Object.isFrozen(f)) return JSON.stringify(f);
  let json = FACT_JSON.get(f);
  if (json === undefined) FACT_JSON.set(f, (json = JSON.stringify(f)));
  return json;
}

/**
 * The JSON of a decision log body `{ request, decision }`, as JSON.stringify writes it except
 * that `decision.facts` comes last; the explained facts, which recur, are serialised once.
 */
export function logBodyJson(request: unknown, d: Decision): string {
  const { facts, ...rest } = d;
  const head = JSON.stringify(rest);
  const list = facts.map(factJson).join(',');
  const req = JSON.stringify(request);
  return `{"request":${req},"decision":${head.slice(0, -1)},"facts":[${list}]}}`;
}
