import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { checkEncoding, utf8Checked } from './encoding.js';
import type { SourceInput } from './format.js';

const HEAD_BYTES = 64 * 1024;

/** Opens a file as a SourceInput: its head for detection, a stream for parsing. */
export function fileInput(path: string): SourceInput {
  const fd = openSync(path, 'r');
  let head: string;
  try {
    const size = Math.min(HEAD_BYTES, statSync(path).size);
    const buf = Buffer.alloc(size);
    readSync(fd, buf, 0, size, 0);
    checkEncoding(path, buf);
    head = buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
  return utf8Checked({ path, head, open: () => createReadStream(path) });
}

/** A SourceInput over text in memory (uploads, tests). */
export function textInput(path: string, text: string): SourceInput {
  const buf = Buffer.from(text, 'utf8');
  return {
    path,
    head: buf.subarray(0, HEAD_BYTES).toString('utf8'),
    open: () => {
      // Lazily imported to keep this module free of stream setup until needed.
      return Readable.from([buf]);
    },
  };
}

