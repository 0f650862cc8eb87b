import { basename, dirname, join } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { RosterError } from '../model/errors.js';
import type { SourceInput } from './format.js';
import { Utf8Check, type Utf8Fault } from './streaming/utf8-check.js';

/**
 * An input whose every byte is checked as UTF-8 while a parser reads it, whatever the format:
 * at the first byte that is not, the stream errors and `verify()` throws {@link notUtf8}, so
 * that ingest stores nothing of the file (a head in UTF-8 says nothing of the rest).
 */
export function utf8Checked(input: SourceInput): SourceInput {
  let check: Utf8Check | undefined;
  return {
    ...input,
    open: () => {
      check = new Utf8Check();
      pipeline(input.open() as Readable, check, () => undefined);
      return check;
    },
    verify: () => {
      input.verify?.();
      if (check?.fault) throw notUtf8(input.path, check.fault);
    },
  };
}

/**
 * Roster reads its text formats as UTF-8 (with or without a byte order mark). A file in
 * UTF-16 or UTF-32, as Windows tools and PowerShell's `Out-File` write by default, would reach
 * every detector and parser as text with a NUL between characters: refused here by name,
 * with the command that converts it, instead of reported as a format nobody recognises.
 * Binary formats (a DER certificate) never show these marks.
 */
export function checkEncoding(path: string, head: Uint8Array): void {
  const found = otherEncoding(head);
  if (!found) return;
  throw new RosterError('UNKNOWN_FORMAT', `${path}: the file is ${found.label}; Roster reads ` +
    `UTF-8: ${convertIt(path, found.iconv)}`, { encoding: found.iconv });
}

/**
 * The error for a text file with a byte that is not UTF-8 (most often Latin-1 or
 * Windows-1252 text, `café` written with the one byte 0xE9): where it is, and the command that
 * converts the file. Ingest refuses the whole file with it, so nothing of the file is stored.
 */
export function notUtf8(path: string, fault: Utf8Fault): RosterError {
  const byte = `0x${fault.byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return new RosterError('BAD_INPUT', `${path}: the file is not UTF-8: line ${fault.line} ` +
    `(byte offset ${fault.offset}) holds the byte ${byte}, as Latin-1 or Windows-1252 text ` +
    `would; Roster reads UTF-8: ${convertIt(path, 'LATIN1')}; nothing of the file was stored`,
  { encoding: 'not UTF-8', line: fault.line, offset: fault.offset });
}

function convertIt(path: string, from: string): string {
  const converted = join(dirname(path), `utf8-${basename(path)}`);
  return `convert it first, e.g. iconv -f ${from} -t UTF-8 ${shellQuoted(path)} > ` +
    shellQuoted(converted);
}

/** A POSIX shell word for any text: single quotes, each quote inside written as '\''. */
function shellQuoted(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

interface Encoding {
  readonly label: string;
  readonly iconv: string;
}

function otherEncoding(b: Uint8Array): Encoding | undefined {
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) {
    return { label: 'UTF-32 (little-endian, with a byte order mark)', iconv: 'UTF-32LE' };
  }
  if (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) {
    return { label: 'UTF-32 (big-endian, with a byte order mark)', iconv: 'UTF-32BE' };
  }
  if (b[0] === 0xff && b[1] === 0xfe) {
    return { label: 'UTF-16 (little-endian, with a byte order mark)', iconv: 'UTF-16LE' };
  }
  if (b[0] === 0xfe && b[1] === 0xff) {
    return { label: 'UTF-16 (big-endian, with a byte order mark)', iconv: 'UTF-16BE' };
  }
  // Without a mark: ASCII text in UTF-16 has a zero in every other byte.
  const n = Math.min(b.length, 64) & ~1;
  if (n < 8) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0 && b[i + 1] !== 0) evenZero++;
    if (b[i + 1] === 0 && b[i] !== 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero === pairs) {
    return { label: 'UTF-16 (little-endian, no byte order mark)', iconv: 'UTF-16LE' };
  }
  if (evenZero === pairs) {
    return { label: 'UTF-16 (big-endian, no byte order mark)', iconv: 'UTF-16BE' };
  }
  return undefined;
}
