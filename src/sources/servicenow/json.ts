import { Transform, type Readable } from 'node:stream';
import Chain from 'stream-chain';
import StreamJson from 'stream-json';
import Pick from 'stream-json/filters/Pick.js';
import StreamArray from 'stream-json/streamers/StreamArray.js';
import { headText, readText } from '../common.js';
import type { SourceInput } from '../format.js';
import { jsonErrorOffset, lineColumn } from '../streaming/json-syntax.js';
import type { FileContext } from './context.js';
import { isJsonObject, isRecordLike, recordEvent } from './json-cells.js';
import type { ReaderEvent } from './row.js';
import type { RowBuilder } from './row-builder.js';
import { itemsThenFailure } from './stream-items.js';

interface ArrayItem {
  readonly key: number;
  readonly value: unknown;
}

/** A list of records the reader can stream: `[...]`, `{"result": [...]}`, `{"records": [...]}`. */
const LIST_HEAD = /^(?:\[|\{\s*"(result|records)"\s*:\s*\[)/;

/**
 * Reads a ServiceNow JSON export. Table API lists (`{"result": [...]}`) and JSONv2 lists
 * (`{"records": [...]}`) are streamed record by record; single records
 * (`{"result": {...}}`, the CMDB Instance API's `{"result": {"attributes": {...}}}`, or a
 * record inside an integration's wrapper) are read whole.
 */
export async function* readJson(
  input: SourceInput,
  rows: RowBuilder,
  ctx: FileContext,
): AsyncGenerator<ReaderEvent> {
  const list = LIST_HEAD.exec(headText(input.head));
  if (list) yield* streamList(input, list[1], rows, ctx);
  else yield* readDocument(input, rows, ctx);
}

async function* streamList(
  input: SourceInput,
  key: string | undefined,
  rows: RowBuilder,
  ctx: FileContext,
): AsyncGenerator<ReaderEvent> {
  const chain = new Chain([
    skipBom(),
    StreamJson.parser(),
    ...(key ? [Pick.pick({ filter: key })] : []),
    StreamArray.streamArray(),
  ]);
  const source = input.open() as Readable;
  source.on('error', (err) => chain.destroy(err));
  source.pipe(chain);
  let count = 0;
  try {
    for await (const item of itemsThenFailure<ArrayItem>(chain)) {
      count = item.key + 1;
      yield recordEvent(item.value, count, rows, ctx);
    }
  } catch {
    // The parser's message may quote the text around the fault; only its place is reported.
    const message = `JSON is malformed after record ${count}; the rest of the file was not read`;
    yield { type: 'reject', rejection: ctx.reject('BAD_JSON', message, count + 1) };
    yield { type: 'incomplete' };
  }
}

async function* readDocument(
  input: SourceInput,
  rows: RowBuilder,
  ctx: FileContext,
): AsyncGenerator<ReaderEvent> {
  const text = await readText(input);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const line = lineOfPosition(text, err);
    // The line is in the message: a JSON export's positions are record numbers (items).
    const message = `JSON is malformed${line ? ` at line ${line}` : ''}; nothing was read`;
    yield { type: 'reject', rejection: ctx.reject('BAD_JSON', message) };
    yield { type: 'incomplete' };
    return;
  }
  const records = locateRecords(doc, 0);
  if (!records) {
    const message = 'no ServiceNow records (objects with sys_id or sys_class_name) found';
    yield { type: 'reject', rejection: ctx.reject('NOT_SERVICENOW', message) };
    yield { type: 'incomplete' };
    return;
  }
  for (const [i, record] of records.entries()) yield recordEvent(record, i + 1, rows, ctx);
}

/**
 * Finds the records in a document: the Table API's `result`, JSONv2's `records`, or the
 * first list or record found under the keys of a wrapper (integrations re-wrap API output,
 * e.g. `{"servicenow_ci": {...}}`).
 */
export function locateRecords(value: unknown, depth: number): unknown[] | undefined {
  if (Array.isArray(value)) return value.some(isRecordLike) ? value : undefined;
  if (!isJsonObject(value)) return undefined;
  if (isRecordLike(value)) return [value];
  // An empty table is an empty list, but only where the API puts records.
  const standard = value['result'] ?? value['records'];
  if (Array.isArray(standard) && standard.length === 0) return [];
  if (depth >= 4) return undefined;
  for (const key of Object.keys(value)) {
    const found = locateRecords(value[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

function lineOfPosition(text: string, err: unknown): number | undefined {
  const at = jsonErrorOffset(text, err);
  return at === undefined ? undefined : lineColumn(text, at).line;
}

/** Drops a UTF-8 byte-order mark at the start of a byte stream; the JSON parser refuses it. */
function skipBom(): Transform {
  let first = true;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const hasBom = first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
      first = false;
      done(null, hasBom ? chunk.subarray(3) : chunk);
    },
  });
}
