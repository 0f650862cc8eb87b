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

type Placed = { readonly line?: number; readonly item?: number };

/** The same object with its `line` called what it is: a record number (`item`). */
function asItem<T extends Placed>(o: T): T {
  if (o.line === undefined) return o;
  const { line, ...rest } = o;
  return { ...rest, item: line } as unknown as T;
}

/**
 * For readers of a JSON document, which count records but cannot know their lines (a
 * streamed document gives no positions): every position they report is an item number,
 * shown as `item N`, never as a line a user would look for in vain.
 */
export async function* byItem(events: AsyncIterable<ParseEvent>): AsyncGenerator<ParseEvent> {
  for await (const ev of events) {
    if (ev.type === 'observation') yield { ...ev, observation: asItem(ev.observation) };
    else if (ev.type === 'reject') yield { ...ev, rejection: asItem(ev.rejection) };
    else if (ev.type === 'warning') yield { ...ev, warning: asItem(ev.warning) };
    else yield ev;
  }
}
