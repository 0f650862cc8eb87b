import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';

/** Where a byte stream stops being UTF-8: the first byte of the first ill-formed sequence. */
export interface Utf8Fault {
  /** 0-based byte offset in the stream. */
  readonly offset: number;
  /** 1-based line the byte is on. */
  readonly line: number;
  /** The byte itself (never more of the text: it may be part of a value). */
  readonly byte: number;
}

const NEWLINE = 0x0a;
const EMPTY = Buffer.alloc(0);

/**
 * Lets a byte stream through unchanged while it is well-formed UTF-8 (Unicode 3.9, Table 3-7:
 * no overlong forms, surrogates or values past U+10FFFF, nothing cut off at the end), and
 * errors at the first byte that is not, with `fault` saying where. A character split between
 * two chunks is checked whole. Each chunk is checked by `isUtf8` (native, no copy) and its
 * newlines counted; the byte-by-byte walk runs only to find the place of a fault.
 */
export class Utf8Check extends Transform {
  fault: Utf8Fault | undefined;
  /** The start of a character the last chunk ended inside. */
  #carry: Buffer = EMPTY;
  /** Bytes and lines before the current chunk. */
  #offset = 0;
  #line = 1;

  override _transform(chunk: Buffer | string, _enc: BufferEncoding, done: TransformCallback) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const fault = this.#check(buf);
    if (fault) return done(this.#fail(fault));
    done(null, buf);
  }

  override _flush(done: TransformCallback): void {
    // A character cut off by the end of the stream.
    if (this.#carry.length > 0) return done(this.#fail(this.#carryFault()));
    done();
  }

  #fail(fault: Utf8Fault): Error {
    this.fault = fault;
    return Object.assign(new Error(`not UTF-8 at byte offset ${fault.offset}`),
      { code: 'NOT_UTF8' });
  }

  #carryFault(): Utf8Fault {
    return { offset: this.#offset - this.#carry.length, line: this.#line, byte: this.#carry[0]! };
  }

  #check(buf: Buffer): Utf8Fault | undefined {
    let start = 0;
    if (this.#carry.length > 0) {
      const need = sequenceLength(this.#carry[0]!) - this.#carry.length;
      const take = Math.min(need, buf.length);
      const joined = Buffer.concat([this.#carry, buf.subarray(0, take)]);
      if (take === need && !isUtf8(joined)) return this.#carryFault();
      if (take < need) {
        // Still cut off: no newline can be inside a character, so nothing to count.
        this.#carry = joined;
        this.#offset += buf.length;
        return firstInvalid(joined, 0, joined.length, true) >= 0 ? this.#carryFault() : undefined;
      }
      this.#carry = EMPTY;
      start = take;
    }
    const end = cutAt(buf, start);
    if (!isUtf8(buf.subarray(start, end))) {
      const at = firstInvalid(buf, start, end, false);
      const i = at < 0 ? start : at;
      return { offset: this.#offset + i, line: this.#line + newlines(buf, 0, i), byte: buf[i]! };
    }
    this.#line += newlines(buf, 0, buf.length);
    this.#offset += buf.length;
    if (end < buf.length) this.#carry = Buffer.from(buf.subarray(end));
    return undefined;
  }
}

/** Bytes of the sequence a lead byte starts (1 for anything that is not a multi-byte lead). */
function sequenceLength(lead: number): number {
  return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
}

/** Where a character the chunk ends inside starts, else the chunk's end. */
function cutAt(buf: Buffer, from: number): number {
  for (let i = buf.length - 1; i >= from && i >= buf.length - 3; i--) {
    const b = buf[i]!;
    if ((b & 0xc0) === 0x80) continue;
    return b >= 0xc0 && i + sequenceLength(b) > buf.length ? i : buf.length;
  }
  return buf.length;
}

function newlines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(NEWLINE, from); i >= 0 && i < to; i = buf.indexOf(NEWLINE, i + 1)) n++;
  return n;
}

/**
 * The index of the first byte of the first ill-formed sequence in `buf[from, to)`, or -1.
 * With `open`, a sequence cut off by `to` is not a fault (more of it may follow).
 */
export function firstInvalid(buf: Uint8Array, from: number, to: number, open: boolean): number {
  let i = from;
  while (i < to) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const n = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4
      : 0;
    if (n === 0) return i;
    // The second byte's range depends on the lead (Table 3-7); the rest are 80..BF.
    const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k < n; k++) {
      if (i + k >= to) return open ? -1 : i;
      const c = buf[i + k]!;
      if (k === 1 ? c < lo || c > hi : (c & 0xc0) !== 0x80) return i;
    }
    i += n;
  }
  return -1;
}
