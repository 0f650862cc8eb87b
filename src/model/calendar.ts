/**
 * The proleptic Gregorian calendar as ISO 8601 counts it, with years as written: the checks
 * every reader of a written date shares, so that nothing rolls over.
 */

/**
 * Epoch milliseconds of UTC wall-clock fields, with the year as written: `Date.UTC` reads the
 * years 0 to 99 as 1900 to 1999, which would turn `0026-12-01` into 1926.
 *
 * @example utcEpoch(2026, 12, 1) // 1795996800000
 */
export function utcEpoch(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  t.setUTCHours(h, mi, s, ms);
  return t.getTime();
}

const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Days in a month of the proleptic Gregorian calendar, as ISO 8601 counts them. */
function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return isLeapYear(y) ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * What is out of range in a date and time (year, month, day, hour, minute, second), or
 * undefined. Nothing rolls over: `24:00`, second 60 (a leap second, which UTC instants here
 * cannot hold) and February 30 are refused rather than read as the next minute, day or month.
 *
 * @example fieldProblem([2026, 2, 31, 10, 0, 0]) // 'day 31 is out of range for 2026-02 (01 to 28)'
 */
export function fieldProblem(f: readonly number[]): string | undefined {
  const [y, mo, d, h, mi, s] = f as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12) return `month ${two(mo)} is out of range (01 to 12)`;
  const days = daysInMonth(y, mo);
  if (d < 1 || d > days) {
    return `day ${two(d)} is out of range for ${String(y).padStart(4, '0')}-${two(mo)} ` +
      `(01 to ${days})`;
  }
  if (h > 23) return `hour ${two(h)} is out of range (00 to 23)`;
  if (mi > 59) return `minute ${two(mi)} is out of range (00 to 59)`;
  if (s > 59) return `second ${two(s)} is out of range (00 to 59; leap seconds are not kept)`;
  return undefined;
}
