import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHttpDate, parseMessageDate } from './http-date.js';
import { parseInstant } from './time.js';

/** Any whole second of the years 0000 to 9999. */
const second = fc.date({
  min: new Date('0000-01-01T00:00:00.000Z'),
  max: new Date('9999-12-31T23:59:59.000Z'),
  noInvalidDate: true,
}).map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));

const refused = (error: string) => ({ ok: false, error: expect.stringContaining(error) });

describe('parseHttpDate (RFC 9110 section 5.6.7)', () => {
  it.each([
    ['an IMF-fixdate', 'Wed, 02 Dec 2026 06:00:00 GMT', '2026-12-02T06:00:00.000Z'],
    ['the asctime form', 'Sun Nov  6 08:49:37 1994', '1994-11-06T08:49:37.000Z'],
    ['the year 0026 as written', 'Thu, 01 Jan 0026 00:00:00 GMT', '0026-01-01T00:00:00.000Z'],
  ])('reads %s', (_, v, value) => {
    expect(parseHttpDate(v)).toEqual({ ok: true, value });
  });

  // Each is what Date.parse rolls over or guesses.
  it.each([
    ['Tue, 31 Feb 2026 10:00:00 GMT', 'day 31 is out of range for 2026-02 (01 to 28)'],
    ['Sun, 29 Feb 2026 10:00:00 GMT', 'day 29 is out of range'],
    ['Tue, 03 Feb 2026 24:00:00 GMT', 'hour 24 is out of range'],
    ['Tue, 03 Feb 2026 23:60:00 GMT', 'minute 60 is out of range'],
    ['Tue, 03 Feb 2026 23:59:60 GMT', 'second 60 is out of range'],
    ['Thu, 01 Jan 026 00:00:00 GMT', "year '026' does not have four digits"],
    ['Thu, 01 Jan 20260 00:00:00 GMT', "year '20260' does not have four digits"],
    ['Sunday, 06-Nov-94 08:49:37 GMT', 'an obsolete RFC 850 date'],
    ['Mon, 03 Feb 2026 10:00:00 GMT', "weekday 'Mon' does not match the date, a Tue"],
    ['Mon Nov  6 08:49:37 1994', "weekday 'Mon' does not match the date, a Sun"],
    ['Xyz, 03 Feb 2026 10:00:00 GMT', "unknown weekday 'Xyz'"],
    ['tue, 03 feb 2026 10:00:00 GMT', "unknown month 'feb'"],
    ['2026-12-02T06:00:00Z', 'not an HTTP date'],
    ['', 'not an HTTP date'],
    ['Wed, 02 Dec 2026 06:00:00 +0000', "zone '+0000' is not GMT"],
    ['Wed, 2 Dec 2026 06:00:00 GMT', "day '2' does not have two digits"],
    ['Wed, 02 Dec 2026 6:00:00 GMT', "time '6:00:00' is not hh:mm:ss"],
  ])('refuses %s: %s', (v, why) => {
    expect(parseHttpDate(v)).toEqual(refused(why));
  });

  it('property: what Date#toUTCString writes for any second of 0000 to 9999 reads back', () => {
    fc.assert(fc.property(second, (d) => {
      expect(parseHttpDate(d.toUTCString())).toEqual({ ok: true, value: d.toISOString() });
    }));
  });
});

describe('parseMessageDate and parseInstant: RFC 5322 dates read as strictly', () => {
  it('reads numeric zones and names in any case', () => {
    expect(parseMessageDate('Mon, 2 Feb 2026 10:00:00 +0100'))
      .toEqual({ ok: true, value: '2026-02-02T09:00:00.000Z' });
    expect(parseInstant('mon, 02 FEB 2026 10:00:00 UTC'))
      .toEqual({ ok: true, value: '2026-02-02T10:00:00.000Z' });
  });

  it('refuses through parseInstant what Date.parse rolls over, naming the value', () => {
    for (const [v, why] of [
      ['Tue, 31 Feb 2026 10:00:00 GMT', 'day 31'],
      ['Wed, 04 Feb 2026 24:00:00 GMT', 'hour 24'],
      ['Tue, 03 Feb 2026 23:59:60 GMT', 'second 60'],
      ['Fri, 03 Feb 2026 10:00:00 GMT', "weekday 'Fri'"],
      ['Tue, 03 Feb 2026 10:00:00 +2400', "zone '+2400'"],
    ] as const) {
      expect(parseInstant(v)).toEqual(refused(`invalid date or time '${v}': ${why}`));
    }
    expect(parseInstant('Thu, 01 Jan 0026 00:00:00 GMT'))
      .toEqual({ ok: true, value: '0026-01-01T00:00:00.000Z' });
  });
});
