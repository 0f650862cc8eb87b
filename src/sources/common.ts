import type { Readable } from 'node:stream';
import { checkObservation, DEFAULT_FIELD_LIMITS } from '../model/field-guard.js';
import { maskSecrets } from '../model/secret-shapes.js';
import type { Observation } from '../model/types.js';
import type { ParseOptions, SourceInput } from './format.js';

/**
 * Whether ingest's field guard lets `o` be stored (no secret, nothing past the limits). A row
 * ingest refuses is refused whole: a format that derives other records from a row (the owner
 * it names) asks this first and derives nothing from a row that will be refused. Ingest still
 * checks every observation, and reports the refusal by file, line and field.
 */
export function storable(o: Observation, options: Pick<ParseOptions, 'limits'>): boolean {
  return checkObservation(o, options.limits ?? DEFAULT_FIELD_LIMITS) === undefined;
}

/** Reads a whole input as UTF-8 text without a byte-order mark. For small, whole documents. */
export async function readText(input: SourceInput): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input.open() as Readable) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return stripBom(Buffer.concat(chunks).toString('utf8'));
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The head of an input without BOM and leading white space, for detection. */
export function headText(head: string): string {
  return stripBom(head).trimStart();
}

type Defined<T> = { [K in keyof T]: Exclude<T[K], undefined> };

/** Compacts an attribute record: drops undefined values so observations compare stably. */
export function compact<T extends Record<string, unknown>>(o: T): Defined<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as Defined<T>;
}

/**
 * The longest CSV record or JSON record the readers hold, in characters (csv-parse
 * `max_record_size`, the JSON streaming readers): one hostile record is refused instead of
 * being buffered whole. Far above any real export's record; values are bounded further by the
 * field guard (roster.config.yaml `ingest`).
 */
export const MAX_RECORD_CHARS = 4 * 1024 * 1024;

/** The message for a record past MAX_RECORD_CHARS; the reader cannot find where it ends. */
export function recordTooLong(unit = 'record', measure = 'characters'): string {
  return `a ${unit} longer than ${MAX_RECORD_CHARS} ${measure}; the rest of the file was not read`;
}

const QUOTED_CHARS = 40;

/**
 * A value from an input, safe to put in a message: cut to its first 40 characters, secrets in
 * it masked, and quoted as JSON so that control characters and quotes show as escapes.
 *
 * @example quoteValue('Tue, 31 Feb 2026 10:00:00 GMT') // '"Tue, 31 Feb 2026 10:00:00 GMT"'
 */
export function quoteValue(value: string): string {
  const masked = maskSecrets(value);
  const cut = masked.length > QUOTED_CHARS;
  return `${JSON.stringify(masked.slice(0, QUOTED_CHARS))}${cut ? '…' : ''}`;
}
