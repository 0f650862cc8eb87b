/**
 * Time rules (DESIGN.md rule 1): instants in UTC; every ISO 8601 offset parses to the same
 * instant; a time without a zone is read in the zone its source declares, and flagged where
 * none is declared; `N/A`, `no_information`, `not_supported`, empty and `0001-01-01` mean
 * "none", never the epoch; ambiguous day/month dates are refused.
 */

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
  if (!validFields(fields)) return { ok: false, error: `invalid date or time '${v}'` };
  const utc = Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5], ms);
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

function validFields(f: readonly number[]): boolean {
  const [y, mo, d, h, mi, s] = f as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days;
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
  // RFC 2822 / HTTP dates always carry a zone ("Mon, 02 Jan 2006 15:04:05 GMT").
  if (/^[A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} (GMT|UTC|[+-]\d{4})$/.test(v)) {
    const t = Date.parse(v);
    if (!Number.isNaN(t)) return { ok: true, value: new Date(t).toISOString() };
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
    });
  } catch {
    return undefined;
  }
  const [y, mo, d, h, mi, s, ms] = f as [number, number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  // Two passes settle the offset, also across a DST change.
  let guess = wall;
  for (let i = 0; i < 2; i++) guess = wall - (zonedWall(fmt, guess) - guess);
  return guess;
}

function zonedWall(fmt: Intl.DateTimeFormat, epoch: number): number {
  const parts = Object.fromEntries(
    fmt.formatToParts(new Date(epoch)).map((p) => [p.type, p.value]),
  );
  return Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
    epoch % 1000,
  );
}

/** Whole days from `from` to `to` (both ISO instants), rounded down. */
export function daysBetween(from: string, to: string): number {
  return Math.floor((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

/** A clock the core reads instead of the process's time. */
export interface Clock {
  now(): string;
}

export const systemClock: Clock = { now: () => new Date().toISOString() };

export function fixedClock(at: string): Clock {
  return { now: () => at };
}
