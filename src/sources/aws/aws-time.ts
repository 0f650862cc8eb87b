import { parseInstant, type TimeResult } from '../../model/time.js';

/**
 * Reads a time as AWS tools write it, into an ISO instant:
 * - AWS CLI v2 writes `2022-11-15T10:48:59+00:00`, v1 `2022-11-15T10:48:59.000Z`;
 * - recorded botocore responses (placebo) write `{"__class__": "datetime", "year": …}`;
 * - the credential report writes ISO 8601 with `+00:00`, and `N/A`/`no_information`/
 *   `not_supported` for "none".
 * AWS APIs answer in UTC, so a time without an offset is read as UTC (a declared zone, not a
 * guess), whatever zone the process runs in.
 */
export function parseAwsTime(raw: unknown): TimeResult {
  if (isDatetimeObject(raw)) return fromDatetimeObject(raw);
  if (raw !== null && typeof raw === 'object') return { ok: false, error: 'not a time' };
  return parseInstant(raw, 'UTC');
}

interface DatetimeObject {
  readonly __class__: 'datetime';
  readonly [field: string]: unknown;
}

function isDatetimeObject(raw: unknown): raw is DatetimeObject {
  return (
    raw !== null &&
    typeof raw === 'object' &&
    (raw as Record<string, unknown>)['__class__'] === 'datetime'
  );
}

const DATETIME_FIELDS = ['year', 'month', 'day', 'hour', 'minute', 'second'] as const;

function fromDatetimeObject(raw: DatetimeObject): TimeResult {
  const values = DATETIME_FIELDS.map((f) => raw[f] ?? (f === 'year' ? undefined : 0));
  if (!values.every((v) => Number.isInteger(v))) {
    return { ok: false, error: 'datetime object without whole-number fields' };
  }
  const [y, mo, d, h, mi, s] = values as number[];
  const micro = Number.isInteger(raw['microsecond']) ? (raw['microsecond'] as number) : 0;
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const frac = pad(Math.floor(micro / 1000), 3);
  const iso = `${pad(y!, 4)}-${pad(mo!)}-${pad(d!)}T${pad(h!)}:${pad(mi!)}:${pad(s!)}.${frac}Z`;
  return parseInstant(iso);
}
