import type { Decision, DecidingPolicy } from './decision.js';
import type { ExplainedFact } from './explain.js';

/** Where a sealed part keeps its own JSON: a symbol, not enumerable, so no copy or test sees it. */
const JSON_OF = Symbol('json');

/**
 * Freezes a part that decisions share (a deciding policy's description, an explained fact of
 * a party view, a list of reason codes) and keeps its JSON on it, made once, so that each
 * decision's log body concatenates it instead of serialising it again.
 */
export function sealPart<T extends object>(part: T): Readonly<T> {
  Object.defineProperty(part, JSON_OF, { value: JSON.stringify(part) });
  return Object.freeze(part);
}

/** A part's JSON: kept on it when it was sealed, else made now. */
export function partJson(part: object): string {
  return (part as { [JSON_OF]?: string })[JSON_OF] ?? JSON.stringify(part);
}

/** `[a,b]` of parts, each sealed one from its kept JSON. */
export function listJson(parts: readonly object[]): string {
  if (parts.length === 0) return '[]';
  let out = '[' + partJson(parts[0]!);
  for (let i = 1; i < parts.length; i++) out += ',' + partJson(parts[i]!);
  return out + ']';
}

const q = JSON.stringify;

/**
 * The JSON of a decision, byte for byte what `JSON.stringify(d)` gives, made by concatenating
 * the pre-serialised policies and facts (shared with other decisions) with the few fields
 * that are this decision's own. A test compares both on every kind of decision.
 */
export function decisionJson(d: Decision): string {
  let out = `{"id":${q(d.id)},"at":${q(d.at)},"decision":${d.decision},"reason":${q(d.reason)}` +
    `,"reasons":${partJson(d.reasons)}` +
    `,"message":${q(d.message)},"policies":${listJson(d.policies as readonly DecidingPolicy[])}` +
    `,"facts":${listJson(d.facts as readonly ExplainedFact[])}` +
    `,"errors":${d.errors.length === 0 ? '[]' : q(d.errors)}` +
    `,"subject":${q(d.subject)},"resource":${q(d.resource)},"action":${q(d.action)}`;
  if (d.proof !== undefined) out += `,"proof":${q(d.proof)}`;
  return out + `,"engine":${q(d.engine)},"policySet":${q(d.policySet)}}`;
}
