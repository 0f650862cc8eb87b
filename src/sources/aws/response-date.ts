import { parseHttpDate } from '../../model/http-date.js';
import { EARLIEST_GIVEN_INSTANT } from '../../model/time.js';
import type { Warning } from '../../model/types.js';
import { quoteValue } from '../common.js';
import { isObject, type JsonObject } from './json-document.js';

/** When a recorded response was answered, or why its date could not be read. */
export interface ResponseDate {
  readonly asOf?: string;
  readonly warning?: Warning;
}

/**
 * The HTTP `Date` header of a response recorded by botocore (`ResponseMetadata.HTTPHeaders`),
 * read strictly as an HTTP date (RFC 9110 section 5.6.7): when the answer was given, the run's
 * as-of. A header that cannot be read is a warning, and the default as-of rules apply.
 *
 * @example responseDate('roles.json', { ResponseMetadata: { HTTPHeaders:
 *   { date: 'Wed, 02 Dec 2026 06:00:00 GMT' } } }) // { asOf: '2026-12-02T06:00:00.000Z' }
 */
export function responseDate(file: string, payload: JsonObject): ResponseDate {
  const meta = isObject(payload['ResponseMetadata']) ? payload['ResponseMetadata'] : {};
  const headers = isObject(meta['HTTPHeaders']) ? meta['HTTPHeaders'] : {};
  // Header names are case-insensitive (RFC 9110 section 5.1); botocore writes them in lower case.
  const name = Object.keys(headers).find((k) => k.toLowerCase() === 'date');
  if (name === undefined) return {};

  const raw = headers[name];
  const t = typeof raw === 'string' ? parseHttpDate(raw) : undefined;
  if (t?.ok && t.value && t.value >= EARLIEST_GIVEN_INSTANT) return { asOf: t.value };
  const what = typeof raw !== 'string' || !t ? `the HTTP date is ${kindOf(raw)}, not a text`
    : !t.ok ? `unreadable HTTP date ${quoteValue(raw)}: ${t.error}`
    : t.value === undefined ? `the HTTP date ${quoteValue(raw)} reads as no time`
    // As for --as-of: no answer was given before 1970 (a written 0026 for 2026).
    : `the HTTP date ${quoteValue(raw)} is before 1970, almost surely a typo`;
  const message = `${what}; the run's as-of is --as-of, else the file's modification time`;
  const field = `ResponseMetadata.HTTPHeaders.${name}`;
  return { warning: { file, field, code: 'INVALID_VALUE', message } };
}

const kindOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'a list' : `a ${typeof v}`;
