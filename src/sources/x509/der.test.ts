import { describe, expect, it } from 'vitest';
import { DerError, TAG, bitLength, readOid, readTime, readTlv } from './der.js';
import { formatIp } from './extensions.js';

/** A primitive TLV with a short length. */
const tlv = (tag: number, text: string) => {
  const body = Buffer.from(text, 'latin1');
  return Buffer.concat([Buffer.from([tag, body.length]), body]);
};
const time = (tag: number, text: string) => readTime(tlv(tag, text), readTlv(tlv(tag, text), 0));

describe('readTime', () => {
  it('reads UTCTime years 50..99 as 19xx and 00..49 as 20xx (RFC 5280 4.1.2.5.1)', () => {
    expect(time(TAG.utcTime, '500101000000Z')).toBe('1950-01-01T00:00:00.000Z');
    expect(time(TAG.utcTime, '491231235959Z')).toBe('2049-12-31T23:59:59.000Z');
  });

  it('reads GeneralizedTime past 2049, at year 9999 and at year 0001', () => {
    expect(time(TAG.generalizedTime, '20620707202151Z')).toBe('2062-07-07T20:21:51.000Z');
    expect(time(TAG.generalizedTime, '99991231235959Z')).toBe('9999-12-31T23:59:59.000Z');
    expect(time(TAG.generalizedTime, '00010101000000Z')).toBe('0001-01-01T00:00:00.000Z');
  });

  it('applies an explicit offset', () => {
    expect(time(TAG.utcTime, '250101020000+0200')).toBe('2025-01-01T00:00:00.000Z');
  });

  it('refuses text that is not a time', () => {
    expect(() => time(TAG.utcTime, '2501')).toThrow(DerError);
  });
});

describe('readTlv', () => {
  it('refuses the indefinite length form and elements that overrun their container', () => {
    expect(() => readTlv(Buffer.from([0x30, 0x80, 0, 0]), 0)).toThrow(/length encoding/);
    expect(() => readTlv(Buffer.from([0x30, 0x05, 1, 2]), 0)).toThrow(/runs past/);
    expect(() => readTlv(Buffer.from([0x30, 0x82, 0x01]), 0)).toThrow(/truncated/);
  });

  it('reads long-form lengths', () => {
    const buf = Buffer.concat([Buffer.from([0x04, 0x81, 0x80]), Buffer.alloc(0x80)]);
    expect(readTlv(buf, 0)).toEqual({ tag: 0x04, headerStart: 0, start: 3, end: 131 });
  });
});

describe('small decoders', () => {
  it('decodes object identifiers', () => {
    const oid = Buffer.from([0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]);
    expect(readOid(oid, readTlv(oid, 0))).toBe('1.2.840.10045.3.1.7');
  });

  it('prints IPv6 addresses in the RFC 5952 short form', () => {
    const v6 = Buffer.from('20010db8000000000000000000000005', 'hex');
    expect(formatIp(v6)).toBe('2001:db8::5');
    expect(formatIp(Buffer.from([10, 20, 7, 18]))).toBe('10.20.7.18');
    expect(formatIp(Buffer.alloc(16))).toBe('::');
  });

  it('counts the bits of a modulus without its sign byte', () => {
    expect(bitLength(Buffer.from([0x00, 0x80, 0x00]))).toBe(16);
    expect(bitLength(Buffer.from([0x01]))).toBe(1);
  });
});
