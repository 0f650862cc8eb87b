import { fieldProblem, utcEpoch } from './calendar.js';
import type { TimeResult } from './time.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov',
  'Dec'] as const;
const EXAMPLE = "expected an IMF-fixdate such as 'Sun, 06 Nov 1994 08:49:37 GMT'";

/** The parts of a written date, each short: the patterns bound them. */
interface DateParts {
  readonly weekday: string;
  readonly day: string;
  readonly month: string;
  readonly year: string;
  readonly time: string;
  readonly zone: string;
}

/** `day-name, day month year hh:mm:ss zone`, loosely, so that each fault can be named. */
const NAMED_MONTH = new RegExp(String.raw`^([A-Za-z]{1,12}), (\d{1,3}) ([A-Za-z]{1,12}) ` +
  String.raw`(\d{1,8}) (\d{1,3}:\d{1,3}:\d{1,3}) ([A-Za-z]{1,5}|[+-]\d{4})$`);
// RFC 9110 section 5.6.7: `Sun Nov  6 08:49:37 1994`, in UTC.
const ASCTIME = /^([A-Za-z]{3}) ([A-Za-z]{3}) ( \d|\d{2}) (\d{2}:\d{2}:\d{2}) (\d{4})$/;
// RFC 9110 section 5.6.7: `Sunday, 06-Nov-94 08:49:37 GMT`.
const RFC850 = /^[A-Za-z]{6,9}, \d{2}-[A-Za-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT$/;

const fail = (error: string): TimeResult => ({ ok: false, error });

/**
 * Reads an HTTP date (RFC 9110 section 5.6.7) strictly into an ISO instant. IMF-fixdate is
 * read, and the obsolete asctime form held to the same rules; the obsolete RFC 850 form is
 * refused, as its two-digit year names no year. Names are case-sensitive, as the RFC says; a
 * field out of range, a year not of four digits, or a weekday that is not the date's is
 * refused, never rolled over.
 *
 * @example
 * parseHttpDate('Wed, 02 Dec 2026 06:00:00 GMT');
 * // { ok: true, value: '2026-12-02T06:00:00.000Z' }
 */
export function parseHttpDate(raw: string): TimeResult {
  const v = raw.trim();
  if (RFC850.test(v)) {
    return fail(`an obsolete RFC 850 date, whose two-digit year names no year; ${EXAMPLE}`);
  }
  const asc = ASCTIME.exec(v);
  if (asc) {
    const [, weekday, month, day, time, year] = asc as unknown as string[];
    return readParts({ weekday: weekday!, day: day!.trim(), month: month!, year: year!,
      time: time!, zone: 'GMT' }, true);
  }
  const parts = namedMonthParts(v);
  if (!parts) return fail(`not an HTTP date; ${EXAMPLE}`);
  if (parts.zone !== 'GMT') return fail(`zone '${parts.zone}' is not GMT; ${EXAMPLE}`);
  if (parts.day.length !== 2) return fail(`day '${parts.day}' does not have two digits`);
  return readParts(parts, true);
}

/**
 * Reads an RFC 5322 date-time with its weekday (`Mon, 2 Jan 2006 15:04:05 +0100`; zones
 * `GMT`, `UTC` or `±hhmm`) strictly into an ISO instant, by the rules of {@link parseHttpDate}
 * but with names in any case, as RFC 5322 allows.
 *
 * @example
 * parseMessageDate('Mon, 2 Feb 2026 10:00:00 +0100');
 * // { ok: true, value: '2026-02-02T09:00:00.000Z' }
 */
export function parseMessageDate(raw: string): TimeResult {
  const parts = namedMonthParts(raw.trim());
  if (!parts) return fail(`not a date such as 'Mon, 02 Jan 2006 15:04:05 GMT'`);
  if (parts.day.length > 2) return fail(`day '${parts.day}' has more than two digits`);
  return readParts(parts, false);
}

function namedMonthParts(v: string): DateParts | undefined {
  const m = NAMED_MONTH.exec(v);
  if (!m) return undefined;
  const [, weekday, day, month, year, time, zone] = m as unknown as string[];
  return { weekday: weekday!, day: day!, month: month!, year: year!, time: time!, zone: zone! };
}

function readParts(p: DateParts, caseSensitive: boolean): TimeResult {
  const month = nameIndex(MONTHS, p.month, caseSensitive);
  if (month < 0) return fail(`unknown month '${p.month}' (Jan to Dec)`);
  if (!/^\d{4}$/.test(p.year)) return fail(`year '${p.year}' does not have four digits`);
  const clock = /^(\d{2}):(\d{2}):(\d{2})$/.exec(p.time);
  if (!clock) return fail(`time '${p.time}' is not hh:mm:ss`);
  const offset = offsetMinutes(p.zone);
  if (offset === undefined) return fail(`zone '${p.zone}' is not GMT, UTC or ±hhmm in range`);

  const fields = [Number(p.year), month + 1, Number(p.day), ...clock.slice(1).map(Number)];
  const bad = fieldProblem(fields);
  if (bad) return fail(bad);
  const [y, mo, d, h, mi, s] = fields as [number, number, number, number, number, number];
  const epoch = utcEpoch(y, mo, d, h, mi, s);
  const actual = DAYS[new Date(epoch).getUTCDay()]!;
  const named = nameIndex(DAYS, p.weekday, caseSensitive);
  if (named < 0) return fail(`unknown weekday '${p.weekday}' (Mon to Sun)`);
  if (DAYS[named] !== actual) {
    return fail(`weekday '${p.weekday}' does not match the date, a ${actual}`);
  }
  return { ok: true, value: new Date(epoch - offset * 60_000).toISOString() };
}

function nameIndex(names: readonly string[], name: string, caseSensitive: boolean): number {
  const wanted = caseSensitive ? name : name.toLowerCase();
  return names.findIndex((n) => (caseSensitive ? n : n.toLowerCase()) === wanted);
}

function offsetMinutes(zone: string): number | undefined {
  if (zone === 'GMT' || zone === 'UTC') return 0;
  const m = /^([+-])(\d{2})(\d{2})$/.exec(zone);
  if (!m || Number(m[2]) > 23 || Number(m[3]) > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}
