import { describe, expect, it } from 'vitest';
import { checkEncoding } from './encoding.js';

const CSV = 'name,sys_id\nweb-1,abc\n';
const utf16be = (s: string): Buffer => Buffer.from(s, 'utf16le').swap16();

describe('files in an encoding Roster does not read', () => {
  it.each([
    ['UTF-16 LE with a mark',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CSV, 'utf16le')]),
      'UTF-16 (little-endian, with a byte order mark)', 'UTF-16LE'],
    ['UTF-16 BE with a mark', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(CSV)]),
      'UTF-16 (big-endian, with a byte order mark)', 'UTF-16BE'],
    ['UTF-16 LE without a mark', Buffer.from(CSV, 'utf16le'),
      'UTF-16 (little-endian, no byte order mark)', 'UTF-16LE'],
    ['UTF-16 BE without a mark', utf16be(CSV), 'UTF-16 (big-endian, no byte order mark)',
      'UTF-16BE'],
    ['UTF-32 LE with a mark', Buffer.from([0xff, 0xfe, 0, 0, 0x6e, 0, 0, 0]),
      'UTF-32 (little-endian, with a byte order mark)', 'UTF-32LE'],
  ])('refuses %s by name, with the command that converts it', (_what, bytes, label, iconv) => {
    expect(() => checkEncoding('/data/export.csv', bytes)).toThrow(
      `/data/export.csv: the file is ${label}; Roster reads UTF-8: convert it first, e.g. ` +
      `iconv -f ${iconv} -t UTF-8 '/data/export.csv' > '/data/utf8-export.csv'`);
  });

  it('quotes the file names of its command for a POSIX shell', () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x61, 0]);
    expect(() => checkEncoding("it's here.csv", bytes)).toThrow(
      "iconv -f UTF-16LE -t UTF-8 'it'\\''s here.csv' > 'utf8-it'\\''s here.csv'");
  });

  it('reads UTF-8 with or without a mark, short files and binary DER as they are', () => {
    expect(() => checkEncoding('a.csv', Buffer.from(CSV))).not.toThrow();
    expect(() => checkEncoding('a.csv', Buffer.from('\ufeff' + CSV))).not.toThrow();
    expect(() => checkEncoding('a.json', Buffer.from('{}'))).not.toThrow();
    expect(() => checkEncoding('empty.csv', Buffer.alloc(0))).not.toThrow();
    // A DER structure: a SEQUENCE of long form length, then content with some zero bytes.
    const der = Buffer.from('3082012a30820110a003020102020100300a06082a8648ce3d040302', 'hex');
    expect(() => checkEncoding('cert.der', der)).not.toThrow();
  });
});
