/**
 * Time rules (DESIGN.md rule 1): instants in UTC; every ISO 8601 offset parses to the same
 * instant; a time without a zone is read in the zone its source declares, and flagged where
 * none is declared; `N/A`, `no_information`, `not_supported`, empty and `0001-01-01` mean
 * "none", never the epoch; ambiguous day/month dates are refused.
 */

import { fieldProblem, utcEpoch } from './calendar.js';
import { parseMessageDate } from './http-date.js';

export { utcEpoch };

export type TimeResult =
  | { ok: true; value: string | undefined; zoneAssumed?: boolean }
  | { ok: false; error: string };

const NONE_VALUES = new Set([
  '',
  'n/a',
  'na',
  'none',
  'null',
  'never',
  'no_information',
  'not_supported',
  '-',
]);

/** True when a time field holds one of the "no time" markers tools write. */
export function isNoneTime(raw: string): boolean {
  const v = raw.trim().toLowerCase();
  return NONE_VALUES.has(v) || /^0001-01-01([t ]00:00:00(\.0+)?(z|[+-]00:?00)?)?$/.test(v);
}

// ISO 8601 and its common relatives: a space for the T, a comma for the decimal point, an offset
// without its colon, or a zone written as UTC/GMT. Groups: year, month, day, hour, minute,
// second, fraction, zone.
const ISO_DATE = String.raw`(\d{4})-(\d{2})-(\d{2})`;
const ISO_CLOCK = String.raw`(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?`;
const ISO_ZONE = String.raw`(Z|z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?`;
const ISO = new RegExp(String.raw`^${ISO_DATE}${ISO_CLOCK}\s*${ISO_ZONE}$`);

/**
 * Parses a time from a source into an ISO 8601 UTC instant (`2024-05-01T12:00:00.000Z`).
 *
 * @param zone IANA zone that the source declares for times without an offset (default: none,
 *   which reads them as UTC and marks the result `zoneAssumed`).
 * @example
 * parseInstant('2024-05-01T14:00:00+02:00') // { ok: true, value: '2024-05-01T12:00:00.000Z' }
 */
export function parseInstant(raw: unknown, zone?: string): TimeResult {
  if (raw === null || raw === undefined) return { ok: true, value: undefined };
  if (typeof raw === 'number') return fromEpochNumber(raw);
  if (typeof raw !== 'string') return { ok: false, error: 'not a time' };
  const v = raw.trim();
  if (isNoneTime(v)) return { ok: true, value: undefined };
  const m = ISO.exec(v);
  if (!m) return parseOther(v);
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', off] = m;
  const ms = Number((frac + '000').slice(0, 3));
  const fields = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), ms] as const;
  const bad = fieldProblem(fields) ?? (off === undefined ? undefined : offsetProblem(off));
  if (bad) return { ok: false, error: `invalid date or time '${v}': ${bad}` };
  const utc = utcEpoch(...fields);
  if (off !== undefined) {
    return { ok: true, value: new Date(utc - offsetMinutes(off) * 60_000).toISOString() };
  }
  if (zone && zone.toUpperCase() !== 'UTC') {
    const local = zonedToUtc(fields, zone);
    if (local === undefined) return { ok: false, error: `unknown time zone '${zone}'` };
    return { ok: true, value: new Date(local).toISOString() };
  }
  return { ok: true, value: new Date(utc).toISOString(), zoneAssumed: !zone };
}

function offsetProblem(off: string): string | undefined {
  const m = /^[+-](\d{2}):?(\d{2})?$/.exec(off);
  if (!m) return undefined;
  if (Number(m[1]) > 23 || Number(m[2] ?? 0) > 59) return `offset ${off} is out of range`;
  return undefined;
}

function offsetMinutes(off: string): number {
  if (/^(z|utc|gmt)$/i.test(off)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(off)!;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

function fromEpochNumber(n: number): TimeResult {
  if (!Number.isFinite(n) || n <= 0) return { ok: true, value: undefined };
  // Seconds or milliseconds since the epoch; anything below 1e11 is seconds (before 5138 AD).
  const ms = n < 1e11 ? n * 1000 : n;
  return { ok: true, value: new Date(ms).toISOString() };
}

const SLASHED = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

function parseOther(v: string): TimeResult {
  const slashed = SLASHED.exec(v);
  if (slashed) {
    const a = Number(slashed[1]);
    const b = Number(slashed[2]);
    if (a <= 12 && b <= 12 && a !== b) {
      return { ok: false, error: `ambiguous day/month date '${v}'; write it as ISO 8601` };
    }
    return { ok: false, error: `unsupported date format '${v}'; write it as ISO 8601` };
  }
  // RFC 5322 and HTTP dates always carry a zone ("Mon, 02 Jan 2006 15:04:05 GMT").
  if (/^[A-Za-z]{3},/.test(v)) {
    const t = parseMessageDate(v);
    return t.ok ? t : { ok: false, error: `invalid date or time '${v}': ${t.error}` };
  }
  return { ok: false, error: `unrecognised time '${v}'` };
}

/** Converts wall-clock fields in an IANA zone to a UTC epoch, using Intl (no process TZ). */
function zonedToUtc(f: readonly number[], zone: string): number | undefined {
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      era: 'short',
    });
  } catch {
    return undefined;
  }
  const [y, mo, d, h, mi, s, ms] = f as [number, number, number, number, number, number, number];
  const wall = utcEpoch(y, mo, d, h, mi, s, ms);
  // Two passes settle the offset, also across a DST change.
  let guess = wall;
  for (let i = 0; i < 2; i++) guess = wall - (zonedWall(fmt, guess) - guess);
  return guess;
}

function zonedWall(fmt: Intl.DateTimeFormat, epoch: number): number {
  const parts = Object.fromEntries(
    fmt.formatToParts(new Date(epoch)).map((p) => [p.type, p.value]),
  );
  // The era tells 1 BC (year 0 in ISO 8601) from 1 AD; Intl writes both as year 1.
  const year = parts.era === 'BC' ? 1 - Number(parts.year) : Number(parts.year);
  return utcEpoch(
    year,
    Number(parts.month),
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
    ((epoch % 1000) + 1000) % 1000,
  );
}

/** The earliest instant a person may give as a clock or an export time (`--as-of`, `--now`). */
export const EARLIEST_GIVEN_INSTANT = '1970-01-01T00:00:00.000Z';

/**
 * Parses an instant a person typed for a clock or an export time (`--as-of`, `--now`, the
 * API's `asOf`). Unlike a time inside an export, it must name an instant: a "none" marker
 * (`0001-01-01`, `N/A`) is refused, saying that it reads as no time, and so is any instant
 * before 1970, which no export or judgement of Roster can be about (a typed `0026` for `2026`).
 *
 * @example
 * parseGivenInstant('2026-12-01T00:00:00Z') // { ok: true, value: '2026-12-01T00:00:00.000Z' }
 */
export function parseGivenInstant(
  raw: string,
): { ok: true; value: string } | { ok: false; error: string } {
  const text = raw.trim();
  if (text === '') return { ok: false, error: 'empty time; give an ISO 8601 instant' };
  const t = parseInstant(text);
  if (!t.ok) return t;
  if (t.value === undefined) {
    return {
      ok: false,
      error: `'${text}' reads as "no time" (0001-01-01, N/A and the like mean none); ` +
        'give an ISO 8601 instant such as 2026-12-01T00:00:00Z',
    };
  }
  if (t.value < EARLIEST_GIVEN_INSTANT) {
    return {
      ok: false,
      error: `'${text}' is before 1970: almost surely a typo; years are read ` +
        'as written (0026 is the year 26, not 2026)',
    };
  }
  return { ok: true, value: t.value };
}

/** Whole days from `from` to `to` (both ISO instants), rounded down. */
export function daysBetween(from: string, to: string): number {
  return Math.floor((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

/**
 * How far a run's as-of may lie past the clock, for skew between the exporting host's clock
 * and this one: 15 minutes (`ingest.clockSkewSeconds` in roster.config.yaml). A later as-of is
 * refused: an export cannot have been made in the future.
 */
export const DEFAULT_CLOCK_SKEW_SECONDS = 900;

/** A clock the core reads instead of the process's time. */
export interface Clock {
  now(): string;
}

export const systemClock: Clock = { now: () => new Date().toISOString() };

export function fixedClock(at: string): Clock {
  return { now: () => at };
}

/** Whether Intl knows an IANA zone name, checked once before any row is read. */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
