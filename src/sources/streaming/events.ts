import type { Observation } from '../../model/types.js';
import type { ParseEvent } from '../format.js';

/** Small constructors for parse events, so parsers read as what they say. */
export function observation(o: Observation): ParseEvent {
  return { type: 'observation', observation: o };
}

export function reject(
  file: string,
  line: number | undefined,
  field: string | undefined,
  code: string,
  message: string,
): ParseEvent {
  return { type: 'reject', rejection: strip({ file, line, field, code, message }) };
}

export function warning(
  file: string,
  line: number | undefined,
  field: string | undefined,
  code: string,
  message: string,
): ParseEvent {
  return { type: 'warning', warning: strip({ file, line, field, code, message }) };
}

function strip<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/** Warns once per distinct subject (an unknown enum value, a skipped object type). */
export class OnceWarner {
  readonly #seen = new Set<string>();
  readonly #limit: number;

  constructor(limit = 1000) {
    this.#limit = limit;
  }

  /** True the first time a subject is seen (and while fewer than `limit` subjects are kept). */
  first(subject: string): boolean {
    if (this.#seen.has(subject) || this.#seen.size >= this.#limit) return false;
    this.#seen.add(subject);
    return true;
  }
}
