import { Transform, type TransformCallback } from 'node:stream';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Counts the bytes that pass through, so parsers can report `progress` on files of hundreds of
 * megabytes without reading them twice. Optionally drops a leading UTF-8 byte-order mark,
 * which JSON parsers refuse (RFC 8259 §8.1 lets them).
 */
export class ByteCounter extends Transform {
  #bytes = 0;
  #atStart: boolean;
  readonly #maxLine: number | undefined;
  #lineStart = 0;
  /**
   * Asked after each chunk: a message when the reader behind has held too much of one record,
   * which ends the stream with a RecordTooLong error instead of buffering the rest.
   */
  guard: (() => string | undefined) | undefined;

  /** `maxLineBytes`: the longest line let through (JSON lines); a longer one ends the stream. */
  constructor(options: { stripBom?: boolean; maxLineBytes?: number } = {}) {
    super();
    this.#atStart = options.stripBom === true;
    this.#maxLine = options.maxLineBytes;
  }

  get bytes(): number {
    return this.#bytes;
  }

  override _transform(chunk: Buffer | string, _enc: BufferEncoding, done: TransformCallback): void {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.#bytes += buf.length;
    const tooLong = this.#lineTooLong(buf) ?? this.guard?.();
    if (tooLong !== undefined) return done(new RecordTooLong(tooLong));
    if (this.#atStart && buf.length > 0) {
      this.#atStart = false;
      if (buf.subarray(0, 3).equals(BOM)) buf = buf.subarray(3);
    }
    done(null, buf);
  }

  #lineTooLong(buf: Buffer): string | undefined {
    if (this.#maxLine === undefined) return undefined;
    const at = this.#bytes - buf.length;
    const first = buf.indexOf(0x0a);
    // The line running on from earlier chunks ends at the first newline, or runs on still.
    const end = first >= 0 ? at + first : this.#bytes;
    if (end - this.#lineStart > this.#maxLine) {
      return `a line longer than ${this.#maxLine} bytes; the rest of the file was not read`;
    }
    if (first >= 0) this.#lineStart = at + buf.lastIndexOf(0x0a) + 1;
    return undefined;
  }
}

/** A record longer than the readers hold (MAX_RECORD_CHARS); its message names no value. */
export class RecordTooLong extends Error {
  override readonly name = 'RecordTooLong';
}

/** Emits a progress figure at most once per step (default 1 MiB) of bytes read. */
export class ProgressGate {
  #next: number;
  readonly #step: number;

  constructor(step = 1 << 20) {
    this.#step = step;
    this.#next = step;
  }

  /** The byte count to report now, or undefined when the last report is recent enough. */
  due(bytes: number): number | undefined {
    if (bytes < this.#next) return undefined;
    this.#next = bytes + this.#step;
    return bytes;
  }
}

/**
 * stream-json packs a string or number whole before it gives its token: the one a parser is
 * packing, measured where it grows, so that a ByteCounter guard can stop it past `max`.
 */
export function packingPast(parser: object, max: number): boolean {
  const packing = (parser as { _accumulator?: unknown })._accumulator;
  return typeof packing === 'string' && packing.length > max;
}
