import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream';
import type { SourceInput } from '../format.js';
import { MAX_RECORD_CHARS, stripBom } from '../common.js';
import { ByteCounter, ProgressGate, RecordTooLong } from './byte-counter.js';
import type { JsonItem } from './json-items.js';
import { jsonErrorOffset } from './json-syntax.js';

/**
 * Reads JSON lines (https://jsonlines.org/) one line at a time with node:readline, so memory
 * stays bounded by the longest line. A line that is not JSON yields an `error` item with its
 * line number and reading carries on.
 */
export async function* readJsonLines(input: SourceInput): AsyncGenerator<JsonItem> {
  const counter = new ByteCounter({ maxLineBytes: MAX_RECORD_CHARS });
  pipeline(input.open(), counter, () => undefined);
  const lines = createInterface({ input: counter, crlfDelay: Infinity });
  const gate = new ProgressGate();
  let n = 0;
  try {
    for await (const raw of lines) {
      n++;
      const text = (n === 1 ? stripBom(raw) : raw).trim();
      if (text !== '') yield parseLine(text, n);
      const bytes = gate.due(counter.bytes);
      if (bytes !== undefined) yield { kind: 'progress', bytes };
    }
  } catch (e) {
    if (!(e instanceof RecordTooLong)) throw e;
    // A line past the bound: refused by its number, the rest of the file not read.
    yield { kind: 'error', line: n + 1, message: e.message };
    return;
  }
  yield { kind: 'progress', bytes: counter.bytes };
}

function parseLine(text: string, line: number): JsonItem {
  try {
    return { kind: 'record', record: { value: JSON.parse(text), line, envelope: {} } };
  } catch (e) {
    // The parser's message quotes the line around the fault, which may be a secret: only the
    // column is kept.
    const offset = jsonErrorOffset(text, e);
    const where = offset === undefined ? '' : ` at column ${offset + 1}`;
    const ends = offset === undefined && /end of JSON input/.test(String(e));
    const message = `not a JSON value${where}${ends ? ' (it ends early)' : ''}`;
    return { kind: 'error', line, message };
  }
}

/**
 * True when the head of an input is JSON lines: its first non-empty line is a whole JSON
 * object on its own. A first line that is a whole array is a JSON document on one line
 * (`gcloud … --format=json | jq -c .`, or gcloud's empty `[]`): its elements are the records,
 * for the document reader to stream, not one record of a line.
 *
 * @example
 * looksLikeJsonLines('{"a":1}\n{"a":2}\n'); // true
 * looksLikeJsonLines('[{"a":1},{"a":2}]\n'); // false: one array, two records
 */
export function looksLikeJsonLines(head: string): boolean {
  const text = stripBom(head).trimStart();
  const end = text.indexOf('\n');
  const first = (end < 0 ? text : text.slice(0, end)).trim();
  if (!first.startsWith('{')) return false;
  try {
    JSON.parse(first);
    return true;
  } catch {
    return false;
  }
}
