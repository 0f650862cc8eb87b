import type { Decision, DecidingPolicy } from './decision.js';
import type { ExplainedFact } from './explain.js';

/**
 * JSON of the parts of a decision that are immutable and shared between decisions (a deciding
 * policy's description, an explained fact of a party view, a list of reason codes), made once
 * per object and kept as long as the object lives.
 */
const PARTS = new WeakMap<object, string>();

function partJson(part: object): string {
  let json = PARTS.get(part);
  if (json === undefined) PARTS.set(part, (json = JSON.stringify(part)));
  return json;
}

/** `[a,b]` of parts, each frozen one serialised once. */
function listJson(parts: readonly object[]): string {
  if (parts.length === 0) return '[]';
  let out = '[' + itemJson(parts[0]!);
  for (let i = 1; i < parts.length; i++) out += ',' + itemJson(parts[i]!);
  return out + ']';
}

function itemJson(part: object): string {
  return Object.isFrozen(part) ? partJson(part) : JSON.stringify(part);
}

const q = JSON.stringify;

/**
 * The JSON of a decision, byte for byte what `JSON.stringify(d)` gives, made by concatenating
 * the pre-serialised policies and facts (shared with other decisions) with the few fields
 * that are this decision's own. A test compares both on every kind of decision.
 */
export function decisionJson(d: Decision): string {
  let out = `{"id":${q(d.id)},"at":${q(d.at)},"decision":${d.decision},"reason":${q(d.reason)}` +
    `,"reasons":${Object.isFrozen(d.reasons) ? partJson(d.reasons) : q(d.reasons)}` +
    `,"message":${q(d.message)},"policies":${listJson(d.policies as readonly DecidingPolicy[])}` +
    `,"facts":${listJson(d.facts as readonly ExplainedFact[])}` +
    `,"errors":${d.errors.length === 0 ? '[]' : q(d.errors)}` +
    `,"subject":${q(d.subject)},"resource":${q(d.resource)},"action":${q(d.action)}`;
  if (d.proof !== undefined) out += `,"proof":${q(d.proof)}`;
  return out + `,"engine":${q(d.engine)},"policySet":${q(d.policySet)}}`;
}
