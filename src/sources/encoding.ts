import { basename, dirname, join } from 'node:path';
import { RosterError } from '../model/errors.js';

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
  const converted = join(dirname(path), `utf8-${basename(path)}`);
  throw new RosterError('UNKNOWN_FORMAT', `${path}: the file is ${found.label}; Roster reads ` +
    `UTF-8: convert it first, e.g. iconv -f ${found.iconv} -t UTF-8 ${shellQuoted(path)} > ` +
    `${shellQuoted(converted)}`, { encoding: found.iconv });
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
