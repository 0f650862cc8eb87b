import { secretKindIn } from '../model/secret-shapes.js';
import { containsPrivateKey, isSecretField, looksLikeSecretValue } from '../model/secrets.js';
import { decisionParts } from './decision-json.js';
import type { Decision } from './decision.js';
import { PROOF_FIELDS } from './proof/proof.js';

const PROOFS = new Set<string>(PROOF_FIELDS);
/**
 * Names of request fields that carry credentials by HTTP's own conventions, whatever their
 * value looks like (a PEP may forward the headers it saw as context).
 */
const CREDENTIAL_FIELD = /^(proxy-)?authorization$|^(set-)?cookie$|^x-api-key$/i;

function isSecretName(k: string, v: unknown): boolean {
  return isSecretField(k, v) || (CREDENTIAL_FIELD.test(k) && v !== '' && v !== null);
}

/**
 * A copy of a request fit for the decision log (DESIGN.md rule 5): workload proofs are
 * dropped (the decision keeps their fingerprint and SPIFFE ID), and any field that holds or
 * is named like a secret is replaced by `[redacted]`.
 */
export function redactRequest(value: unknown, depth = 0): unknown {
  // Most requests hold nothing to remove: those are logged as they are, without a copy.
  if (depth === 0 && isClean(value, 0)) return value;
  if (depth > 8) return '[truncated]';
  if (typeof value === 'string') return isSecretText(value) ? '[redacted]' : value;
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => redactRequest(v, depth + 1));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (PROOFS.has(k)) out[k] = '[proof: see decision.proof]';
    else if (isSecretName(k, v)) out[k] = '[redacted]';
    else out[k] = redactRequest(v, depth + 1);
  }
  return out;
}

/** True when redactRequest would return an equal value: nothing to drop, redact or cut. */
function isClean(value: unknown, depth: number): boolean {
  if (depth > 8) return false;
  if (typeof value === 'string') return !isSecretText(value);
  if (!value || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    if (value.length > 100) return false;
    for (const v of value) if (!isClean(v, depth + 1)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  const obj = value as Record<string, unknown>;
  for (const k in obj) {
    if (!Object.hasOwn(obj, k)) continue;
    const v = obj[k];
    if (PROOFS.has(k) || isSecretName(k, v) || !isClean(v, depth + 1)) return false;
  }
  return true;
}

/** The shapes ingest refuses (secret-shapes.ts), a private key, or a known token's shape. */
function isSecretText(s: string): boolean {
  return containsPrivateKey(s) || looksLikeSecretValue(s) || secretKindIn(s) !== undefined;
}

/** The JSON of a decision log body `{ request, decision }`, serialised once by its producer. */
export function logBodyJson(request: unknown, d: Decision): string {
  const out = ['{"request":', JSON.stringify(request), ',"decision":'];
  decisionParts(d, out);
  out.push('}');
  return out.join('');
}
