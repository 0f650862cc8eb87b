import { decisionParts } from './decision-json.js';
import type { Decision } from './decision.js';
import { PROOF_FIELDS } from './proof/proof.js';
import { holdsSecret, namedPairSecret, secretByName, secretField } from './request-secrets.js';

const PROOFS = new Set<string>(PROOF_FIELDS);

/**
 * A copy of a request fit for the decision log (DESIGN.md rule 5): workload proofs are
 * dropped (the decision keeps their fingerprint and SPIFFE ID), and any field that holds or
 * is named like a secret is replaced by `[redacted]`.
 */
export function redactRequest(value: unknown, depth = 0): unknown {
  // Most requests hold nothing to remove: those are logged as they are, without a copy.
  if (depth === 0 && isClean(value, 0)) return value;
  if (depth > 8) return '[truncated]';
  if (typeof value === 'string') return holdsSecret(value) ? '[redacted]' : value;
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => redactRequest(v, depth + 1));
  if (!value || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const pair = namedPairSecret(obj);
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const [k, v] of Object.entries(obj)) {
    // A key may itself be a secret: it is replaced, numbered so that keys stay distinct.
    const key = holdsSecret(k) ? `[redacted key ${++n}]` : k;
    if (PROOFS.has(k)) out[key] = '[proof: see decision.proof]';
    else if ((pair && k === 'value') || secretField(k, v)) out[key] = '[redacted]';
    else out[key] = redactRequest(v, depth + 1);
  }
  return out;
}

/** True when redactRequest would return an equal value: nothing to drop, redact or cut. */
function isClean(value: unknown, depth: number): boolean {
  if (depth > 8) return false;
  if (typeof value === 'string') return !holdsSecret(value);
  if (!value || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    if (value.length > 100) return false;
    for (const v of value) if (!isClean(v, depth + 1)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  const obj = value as Record<string, unknown>;
  if (namedPairSecret(obj)) return false;
  for (const k in obj) {
    if (!Object.hasOwn(obj, k)) continue;
    const v = obj[k];
    // A plain name (the same few in every request, so kept) leaves the value to decide.
    if (!plainName(k) && (PROOFS.has(k) || holdsSecret(k) || secretField(k, v))) return false;
    if (!isClean(v, depth + 1)) return false;
  }
  return true;
}

/**
 * Names whose field is a secret only when its value is one: no proof, nothing secret by name
 * (secretByName). For those, secretField(name, v) implies holdsSecret(v), which isClean
 * checks on the value anyway. Bounded; a name not kept is just checked again.
 */
const PLAIN = new Map<string, boolean>();

function plainName(k: string): boolean {
  let plain = PLAIN.get(k);
  if (plain === undefined) {
    plain = !PROOFS.has(k) && !secretByName(k);
    if (PLAIN.size < 1000) PLAIN.set(k, plain);
  }
  return plain;
}


/** The JSON of a decision log body `{ request, decision }`, serialised once by its producer. */
export function logBodyJson(request: unknown, d: Decision): string {
  const out = ['{"request":', JSON.stringify(request), ',"decision":'];
  decisionParts(d, out);
  out.push('}');
  return out.join('');
}
