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

  constructor(options: { stripBom?: boolean } = {}) {
    super();
    this.#atStart = options.stripBom === true;
  }

  get bytes(): number {
    return this.#bytes;
  }

  override _transform(chunk: Buffer | string, _enc: BufferEncoding, done: TransformCallback): void {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.#bytes += buf.length;
    if (this.#atStart && buf.length > 0) {
      this.#atStart = false;
      if (buf.subarray(0, 3).equals(BOM)) buf = buf.subarray(3);
    }
    done(null, buf);
  }
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
