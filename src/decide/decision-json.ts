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

/**
 * Seals an explained fact (as sealPart), its JSON made by concatenation: explanations are made
 * for every party seen for the first time, and a generic JSON.stringify of each cost more
 * than the rest of its explanation.
 */
export function sealFact(f: ExplainedFact): Readonly<ExplainedFact> {
  const json = `{"entity":${str(f.entity)},"name":${str(f.name)},"value":${valueJson(f.value)}` +
    `,"source":${str(f.source)},"field":${str(f.field)}` +
    `,"asOf":${f.asOf === null ? 'null' : str(f.asOf)},"text":${str(f.text)}}`;
  Object.defineProperty(f, JSON_OF, { value: json });
  return Object.freeze(f);
}

/** What JSON.stringify escapes in a string: quotes, backslashes, controls, lone surrogates. */
// eslint-disable-next-line no-control-regex -- the control characters are what it looks for
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

function str(s: string): string {
  return ESCAPED.test(s) ? q(s) : `"${s}"`;
}

function valueJson(v: unknown): string {
  if (typeof v === 'string') return str(v);
  if (typeof v === 'boolean' || v === null) return String(v);
  return q(v) ?? 'null';
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
 * JSON of the texts decisions share (each outcome's message, kept per policy set and outcome):
 * a message of a kilobyte costs microseconds to escape, and the same string object comes back
 * decision after decision, so its hash is at hand. Bounded; unshared texts just pass through.
 */
const TEXT_JSON = new Map<string, string>();

export function textJson(text: string): string {
  let json = TEXT_JSON.get(text);
  if (json === undefined) {
    json = q(text);
    if (TEXT_JSON.size >= 1000) TEXT_JSON.clear();
    TEXT_JSON.set(text, json);
  }
  return json;
}

/**
 * The JSON of a decision, byte for byte what `JSON.stringify(d)` gives, made from the
 * pre-serialised policies and facts (shared with other decisions) and the few fields that are
 * this decision's own. A test compares both on every kind of decision.
 */
export function decisionJson(d: Decision): string {
  const out: string[] = [];
  decisionParts(d, out);
  return out.join('');
}

/**
 * Appends the pieces of `decisionJson(d)` to `out`. Joined once, they make one flat string;
 * `+=` would make a rope of some sixty pieces that is flattened again wherever it is copied
 * (the hand-over to the log's writer thread), and that the collector must walk.
 */
export function decisionParts(d: Decision, out: string[]): void {
  out.push(`{"id":${q(d.id)},"at":${q(d.at)},"decision":${d.decision},"reason":`, q(d.reason),
    ',"reasons":', partJson(d.reasons), ',"message":', textJson(d.message), ',"policies":');
  listParts(d.policies as readonly DecidingPolicy[], out);
  out.push(',"facts":');
  listParts(d.facts as readonly ExplainedFact[], out);
  out.push(',"errors":', d.errors.length === 0 ? '[]' : q(d.errors), ',"subject":', q(d.subject),
    ',"resource":', q(d.resource), ',"action":', q(d.action));
  if (d.proof !== undefined) out.push(',"proof":', q(d.proof));
  out.push(',"engine":', q(d.engine), ',"policySet":', q(d.policySet), '}');
}

function listParts(parts: readonly object[], out: string[]): void {
  if (parts.length === 0) return void out.push('[]');
  out.push('[', partJson(parts[0]!));
  for (let i = 1; i < parts.length; i++) out.push(',', partJson(parts[i]!));
  out.push(']');
}
