import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGivenInstant, parseInstant, utcEpoch } from './time.js';

const pad = (n: number, w = 2): string => String(Math.abs(n)).padStart(w, '0');

/** Any instant whose wall time at any offset is written with the years 0000 to 9999. */
const instant = fc.date({
  min: new Date('0000-01-02T00:00:00.000Z'),
  max: new Date('9999-12-30T23:59:59.999Z'),
  noInvalidDate: true,
});

/** An offset ISO 8601 allows, in minutes (-23:59 to +23:59). */
const offset = fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 });

function withOffset(d: Date, minutes: number): string {
  const local = new Date(d.getTime() + minutes * 60_000);
  const y = local.getUTCFullYear();
  const sign = minutes < 0 ? '-' : '+';
  const off = `${sign}${pad(Math.trunc(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
  return `${pad(y, 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `.${pad(local.getUTCMilliseconds(), 3)}${off}`;
}

describe('parseInstant: years as written', () => {
  it('reads the years 0000 to 0099 as written, not as 1900 to 1999', () => {
    expect(parseInstant('0099-01-01T00:00:00Z')).toEqual({
      ok: true, value: '0099-01-01T00:00:00.000Z',
    });
    expect(parseInstant('0026-12-01T12:00:00Z')).toEqual({
      ok: true, value: '0026-12-01T12:00:00.000Z',
    });
    expect(parseInstant('0000-06-01T00:00:00+02:00')).toEqual({
      ok: true, value: '0000-05-31T22:00:00.000Z',
    });
  });

  it('knows that the year 0 is a leap year and 1900 is not', () => {
    expect(parseInstant('0000-02-29T00:00:00Z').ok).toBe(true);
    expect(parseInstant('1900-02-29T00:00:00Z').ok).toBe(false);
    expect(parseInstant('2000-02-29T00:00:00Z').ok).toBe(true);
  });

  it('reads a year below 100 in a declared zone as written', () => {
    expect(parseInstant('0026-07-01T12:00:00', 'Europe/Stockholm')).toEqual({
      ok: true, value: '0026-07-01T11:06:32.000Z', // Stockholm's local mean time, +00:53:28
    });
  });

  it('property: every offset of an instant, any year 0000 to 9999, parses to that instant', () => {
    fc.assert(fc.property(instant, offset, (d, minutes) => {
      const r = parseInstant(withOffset(d, minutes));
      expect(r).toEqual({ ok: true, value: d.toISOString() });
    }));
  });

  it('property: utcEpoch agrees with Date for the years 0000 to 9999', () => {
    fc.assert(fc.property(instant, (d) => {
      const t = utcEpoch(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(),
        d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
      expect(t).toBe(d.getTime());
    }));
  });
});

describe('parseInstant: fields out of range are refused, never rolled over', () => {
  it.each([
    ['2026-12-01T07:00:60Z', 'second 60 is out of range'],
    ['2026-13-01T00:00:00Z', 'month 13 is out of range'],
    ['2026-00-10T00:00:00Z', 'month 00 is out of range'],
    ['2026-02-30T00:00:00Z', 'day 30 is out of range for 2026-02 (01 to 28)'],
    ['2024-04-31', 'day 31 is out of range for 2024-04 (01 to 30)'],
    ['2026-12-01T24:00:00Z', 'hour 24 is out of range'],
    ['2026-12-01T07:60:00Z', 'minute 60 is out of range'],
    ['2026-12-01T07:00:00+24:00', 'offset +24:00 is out of range'],
    ['2026-12-01T07:00:00-05:60', 'offset -05:60 is out of range'],
  ])('%s', (raw, why) => {
    expect(parseInstant(raw)).toEqual({
      ok: false, error: expect.stringContaining(`invalid date or time '${raw}': ${why}`),
    });
  });

  it('property: a second, minute, hour, day or month past its range is refused', () => {
    const field = fc.constantFrom('second', 'minute', 'hour', 'day', 'month');
    fc.assert(fc.property(fc.integer({ min: 0, max: 9999 }), field, (y, which) => {
      const f = { mo: 1, d: 31, h: 23, mi: 59, s: 59 };
      if (which === 'second') f.s = 60;
      if (which === 'minute') f.mi = 60;
      if (which === 'hour') f.h = 24;
      if (which === 'day') Object.assign(f, { mo: 2, d: 30 });
      if (which === 'month') f.mo = 13;
      const raw = `${pad(y, 4)}-${pad(f.mo)}-${pad(f.d)}T${pad(f.h)}:${pad(f.mi)}:${pad(f.s)}Z`;
      const r = parseInstant(raw);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toContain(`${which} `);
    }));
  });
});

describe('parseGivenInstant (--as-of, --now, asOf)', () => {
  it('takes an instant from 1970 on', () => {
    expect(parseGivenInstant('2026-12-01T07:00:00+01:00')).toEqual({
      ok: true, value: '2026-12-01T06:00:00.000Z',
    });
    expect(parseGivenInstant('1970-01-01T00:00:00Z').ok).toBe(true);
  });

  it('says that 0001-01-01 and N/A read as "no time", not "empty time"', () => {
    for (const raw of ['0001-01-01T00:00:00Z', '0001-01-01', 'N/A']) {
      const error = expect.stringContaining(`'${raw}' reads as "no time"`);
      expect(parseGivenInstant(raw)).toEqual({ ok: false, error });
    }
    expect(parseGivenInstant('  ')).toEqual({ ok: false, error: expect.stringMatching(/^empty/) });
  });

  it('refuses years before 1970 as typos, naming what was typed', () => {
    for (const raw of ['0026-12-01T12:00:00Z', '0099-01-01T00:00:00Z', '0000-01-01T00:00:00Z',
      '1969-12-31T23:59:59Z']) {
      const r = parseGivenInstant(raw);
      expect(r).toEqual({ ok: false, error: expect.stringContaining(`'${raw}' is before 1970`) });
    }
  });

  it('passes on the parser\'s refusal of out-of-range fields', () => {
    expect(parseGivenInstant('2026-12-01T07:00:60Z')).toEqual({
      ok: false, error: expect.stringContaining('second 60 is out of range'),
    });
  });

  it('property: any instant from 1970 to 9999 round-trips', () => {
    const later = fc.date({ min: new Date(0), max: new Date('9999-12-31T23:59:59.999Z'),
      noInvalidDate: true });
    fc.assert(fc.property(later, (d) => {
      expect(parseGivenInstant(d.toISOString())).toEqual({ ok: true, value: d.toISOString() });
    }));
  });
});
