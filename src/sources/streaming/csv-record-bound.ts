import { Transform, type TransformCallback } from 'node:stream';

const QUOTE = 0x22;
const NEWLINE = 0x0a;

/** A record the bound left out, by the line it starts on. */
export interface DroppedRecord {
  /** 1-based line the record starts on. */
  readonly line: number;
}

/**
 * Lets a CSV stream through record by record and leaves out any record longer than `max`
 * characters, so that csv-parse, whose `max_record_size` stops the whole file, never sees it
 * and the good records after it still land (DESIGN.md rule 4). A record ends at a newline
 * outside double quotes (RFC 4180: a quoted cell may span lines; `""` is a quote inside one).
 * The dropped record is replaced by as many newlines as it held, so every later record keeps
 * its line number; the reader skips them as empty lines and reports `dropped` by line.
 * Holds at most one record (up to `max` characters) at a time.
 */
export class CsvRecordBound extends Transform {
  readonly dropped: DroppedRecord[] = [];
  readonly #max: number;
  /** The current record's bytes, not yet passed on. */
  #pending: Buffer[] = [];
  /** Whole records of this chunk, passed on together at its end. */
  #out: Buffer[] = [];
  #chars = 0;
  #inQuotes = false;
  #dropping = false;
  /** Newlines inside the record being dropped. */
  #droppedLines = 0;
  /** 1-based line where the current record starts. */
  #recordLine = 1;
  #line = 1;

  constructor(max: number) {
    super();
    this.#max = max;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === QUOTE) this.#inQuotes = !this.#inQuotes;
      else if (b === NEWLINE) {
        this.#line++;
        if (!this.#inQuotes) {
          this.#endRecord(chunk.subarray(from, i + 1));
          from = i + 1;
          continue;
        }
        if (this.#dropping) this.#droppedLines++;
      }
      // UTF-8 continuation bytes (10xxxxxx) are not characters of their own.
      if ((b & 0xc0) !== 0x80 && ++this.#chars > this.#max && !this.#dropping) {
        this.#startDropping(chunk.subarray(from, i));
      }
    }
    if (!this.#dropping && from < chunk.length) this.#pending.push(chunk.subarray(from));
    if (this.#out.length > 0) this.push(Buffer.concat(this.#out));
    this.#out = [];
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.#dropping) this.dropped.push({ line: this.#recordLine });
    else if (this.#pending.length > 0) this.push(Buffer.concat(this.#pending));
    done();
  }

  #endRecord(tail: Buffer): void {
    if (this.#dropping) {
      this.dropped.push({ line: this.#recordLine });
      // One newline per line the record spanned, its own end included.
      this.#out.push(Buffer.from('\n'.repeat(this.#droppedLines + 1)));
    } else {
      this.#out.push(...this.#pending, tail);
    }
    this.#pending = [];
    this.#chars = 0;
    this.#dropping = false;
    this.#droppedLines = 0;
    this.#recordLine = this.#line;
  }

  #startDropping(head: Buffer): void {
    this.#pending.push(head);
    // Newlines already held belong to the dropped record's line count.
    for (const b of this.#pending) {
      for (let i = 0; i < b.length; i++) if (b[i] === NEWLINE) this.#droppedLines++;
    }
    this.#pending = [];
    this.#dropping = true;
  }
}
