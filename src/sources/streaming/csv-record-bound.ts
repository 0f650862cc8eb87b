import { Transform, type TransformCallback } from 'node:stream';
import { droppedMessage, type DroppedReason, type DroppedRecord } from './csv-dropped.js';

export type { DroppedReason, DroppedRecord } from './csv-dropped.js';

const QUOTE = 0x22;
const NEWLINE = 0x0a;
const CR = 0x0d;
const BOM = [0xef, 0xbb, 0xbf];

export interface CsvRecordBoundOptions {
  /** The cell delimiter, one character (`,` unless given). */
  readonly delimiter?: string;
}

/**
 * Lets a CSV stream through record by record and leaves out the records csv-parse would stop
 * the whole file on, so that the good records after them still land (DESIGN.md rule 4):
 * - a record longer than `max` characters (csv-parse's `max_record_size` ends the read). Its
 *   quotes are still followed, so a long quoted cell over many lines is one record;
 * - a record whose quotes break RFC 4180 as csv-parse reads it (no `relax_quotes`): a quote
 *   inside an unquoted cell, or a closing quote followed by anything but a delimiter or the
 *   line's end. It is left out from the line it starts on through the line where its quotes
 *   balance (every quote of the record counted, the one out of place too), never less than
 *   through the line the fault is on: the lines between may be the inside of a quoted cell,
 *   and a row written into a description must not become a record. When its quotes never
 *   balance before the end of the file, it is left out through the fault's line and the lines
 *   after that one are read again (they are held for that, up to `max` bytes; past that they
 *   are left out to the end, and the message says how many lines);
 * - a quoted cell still open at the end of the file. Nothing closed it, so its record is left
 *   out at the line it starts on and the lines after that one are read again: an unclosed
 *   quote does not swallow the rest of the file.
 *
 * A record ends at a newline outside double quotes (a quoted cell may span lines; `""` is a
 * quote inside one). A record left out is replaced by as many newlines as it held, so every
 * later record keeps its line number; the reader skips them as empty lines and reports
 * `dropped` by line. When the first record (the header) is left out, nothing after it is
 * passed on (`headerUnreadable`): a file without its header cannot be read.
 * Holds at most one record (up to `max` characters) at a time.
 */
export class CsvRecordBound extends Transform {
  readonly dropped: DroppedRecord[] = [];
  /** Whether the header was left out, so that nothing of the file was passed on. */
  headerUnreadable = false;
  readonly #max: number;
  readonly #delimiter: number;
  /** The current record's bytes, not yet passed on. */
  #pending: Buffer[] = [];
  /** Whole records of this chunk, passed on together at its end. */
  #out: Buffer[] = [];
  #chars = 0;
  /** What is done with the current record's bytes: kept, or left out until it ends. */
  #mode: 'keep' | 'long' | 'skip-line' | 'skip-record' | 'all' = 'keep';
  /** Newlines inside the record being left out. */
  #droppedLines = 0;
  /** 1-based line where the current record starts. */
  #recordLine = 1;
  #line = 1;
  /** Quote state as csv-parse reads it. */
  #quoted = false;
  #afterQuote = false;
  #fieldStart = true;
  #lastWasCr = false;
  /** The line end csv-parse settles on at the first record's end: CRLF or LF. */
  #eol: 'lf' | 'crlf' | undefined;
  /** The line a quote out of place was met on. */
  #faultLine = 0;
  /** Whether a broken record has an odd number of quotes so far (a cell still open). */
  #odd = false;
  /** Why the record whose first line is being skipped is left out. */
  #skipReason: DroppedReason = 'quote';
  /**
   * The bytes after the fault's line of a broken record whose quotes are still odd, kept to
   * be read again if they never balance; undefined before that line ends or once past `max`.
   */
  #held: Buffer[] | undefined;
  #heldBytes = 0;
  /** Whether bytes after the fault's line were let go (past `max`): they cannot be read again. */
  #heldLost = false;
  /** Whether the input so far ends with a newline. */
  #endsWithNewline = false;
  /** Bytes of a leading byte-order mark seen (csv-parse `bom: true` removes it). */
  #bom = 0;
  #bomDone = false;
  /** Whether the header (the first record with content) went through. */
  #header = false;
  #recordHasContent = false;

  constructor(max: number, options: CsvRecordBoundOptions = {}) {
    super();
    this.#max = max;
    const delimiter = Buffer.from(options.delimiter ?? ',');
    if (delimiter.length !== 1) throw new Error('CsvRecordBound: one-byte delimiter only');
    this.#delimiter = delimiter[0]!;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.#scan(chunk);
    if (this.#out.length > 0) this.push(Buffer.concat(this.#out));
    this.#out = [];
    done();
  }

  override _flush(done: TransformCallback): void {
    for (;;) {
      if (this.#mode === 'keep' && this.#quoted && !this.#afterQuote) {
        // A quoted cell still open at the end: its record is left out from its first line on,
        // and the lines after that one are read again as records of their own.
        const held = Buffer.concat(this.#pending);
        this.#pending = [];
        this.#broken(held, 'unclosed');
        const rest = this.#mode === 'keep' ? this.#rest(held) : undefined;
        if (rest) this.#scan(rest);
      } else if (this.#mode === 'skip-record' && this.#odd && this.#held) {
        // Quotes that never balance: the record is left out through the fault's line, and the
        // lines after it are read again.
        const rest = Buffer.concat(this.#held);
        this.#held = undefined;
        this.#line = this.#faultLine + 1;
        this.#droppedLines = this.#faultLine - this.#recordLine;
        this.#drop(this.#skipReason, false, true);
        if ((this.#mode as string) === 'keep' && rest.length > 0) this.#scan(rest);
      } else break;
    }
    if (this.#mode === 'long') this.#drop('long', true);
    else if (this.#mode === 'skip-line' || this.#mode === 'skip-record') {
      this.#drop(this.#skipReason, true);
    }
    else if (this.#mode === 'keep' && this.#pending.length > 0) {
      this.#out.push(...this.#pending);
    }
    if (this.#out.length > 0) this.push(Buffer.concat(this.#out));
    this.#out = [];
    done();
  }

  #scan(buf: Buffer): void {
    if (buf.length > 0) this.#endsWithNewline = buf[buf.length - 1] === NEWLINE;
    let from = 0;
    // Where the bytes held of a broken record start in this chunk (-1: none held).
    let hold = this.#mode === 'skip-record' && this.#held ? 0 : -1;
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i]!;
      if (this.#mode === 'all') return;
      if (this.#mode === 'skip-record') {
        if (this.#brokenRecordEnds(b)) {
          this.#line++;
          this.#held = undefined;
          hold = -1;
          this.#drop(this.#skipReason);
        } else if (b === NEWLINE && !this.#held && !this.#heldLost) {
          // The fault's line ended with its quotes odd: what follows may be read again.
          this.#held = [];
          this.#heldBytes = 0;
          hold = i + 1;
        }
        this.#lastWasCr = b === CR;
        from = i + 1;
        continue;
      }
      if (this.#mode === 'skip-line') {
        if (b === NEWLINE) {
          this.#line++;
          this.#drop(this.#skipReason);
        }
        this.#lastWasCr = b === CR;
        from = i + 1;
        continue;
      }
      const bad = this.#quote(b);
      if (bad !== undefined) {
        // The record is left out to its end, found by counting quotes: it ends at the first
        // newline after an even number of them. What follows a quote out of place may be the
        // inside of a quoted cell (a row written into a description), never read as records.
        if (this.#mode === 'keep') {
          this.#droppedLines = newlinesIn(this.#pending) + newlinesIn([buf.subarray(from, i)]);
          this.#pending = [];
          this.#skipReason = bad;
        } else this.#skipReason = 'long';
        this.#faultLine = this.#line;
        // Every quote of the record counts, the one out of place too: `x"",` balances on its
        // line. Outside a quoted cell the count so far is even.
        this.#odd = b === QUOTE;
        this.#held = undefined;
        this.#heldLost = false;
        this.#resetQuotes();
        this.#mode = 'skip-record';
        // A quote inside an unquoted cell opens nothing; any other byte is read again as part
        // of the broken record (a newline where CRLF ends the records may end it).
        if (b !== QUOTE) i -= 1;
        from = i + 1;
        continue;
      }
      if (b === NEWLINE) {
        this.#line++;
        if (!this.#quoted) {
          this.#eol ??= this.#lastWasCr ? 'crlf' : 'lf';
          this.#endRecord(buf.subarray(from, i + 1));
          from = i + 1;
          continue;
        }
        if (this.#mode !== 'keep') this.#droppedLines++;
      }
      if (b !== NEWLINE && b !== CR) this.#recordHasContent = true;
      this.#lastWasCr = b === CR;
      // UTF-8 continuation bytes (10xxxxxx) are not characters of their own.
      if ((b & 0xc0) !== 0x80 && ++this.#chars > this.#max && this.#mode === 'keep') {
        // Its quotes are still followed to the record's end: a long quoted cell is one cell.
        this.#startDropping(buf.subarray(from, i));
      }
    }
    if (this.#mode === 'keep' && from < buf.length) this.#pending.push(buf.subarray(from));
    if (hold >= 0 && this.#held && hold < buf.length) this.#hold(buf.subarray(hold));
  }

  /** Keeps bytes after a broken record's fault line, up to `max` of them. */
  #hold(bytes: Buffer): void {
    this.#heldBytes += bytes.length;
    if (this.#heldBytes > this.#max) {
      this.#held = undefined;
      this.#heldLost = true;
    } else this.#held!.push(bytes);
  }

  /**
   * Follows csv-parse's quote rules for one byte; the reason the record is broken, if it is.
   * A newline is left to the caller (it ends the record outside quotes).
   */
  #quote(b: number): DroppedReason | undefined {
    if (!this.#bomDone) {
      if (b === BOM[this.#bom]) {
        this.#bomDone = ++this.#bom === BOM.length;
        return undefined;
      }
      this.#bomDone = true;
    }
    if (this.#afterQuote) {
      this.#afterQuote = false;
      if (b === QUOTE) return undefined;
      // After a closing quote only the line end csv-parse settled on may end the record.
      const eol = b === CR ? this.#eol !== 'lf' : b === NEWLINE ? this.#eol !== 'crlf' : false;
      if (b !== this.#delimiter && !eol) return 'quote';
      this.#quoted = false;
      this.#fieldStart = b === this.#delimiter;
      return undefined;
    }
    if (this.#quoted) {
      if (b === QUOTE) this.#afterQuote = true;
      return undefined;
    }
    if (b === QUOTE) {
      if (!this.#fieldStart) return 'quote';
      this.#quoted = true;
      this.#fieldStart = false;
      return undefined;
    }
    this.#fieldStart = b === this.#delimiter || b === NEWLINE;
    return undefined;
  }

  /**
   * Follows a broken record one byte at a time by the parity of its quotes (as in a valid
   * CSV, where a newline is inside a cell exactly when an odd number of quotes precede it).
   * True at the newline that ends the record; newlines inside it are counted as its lines.
   */
  #brokenRecordEnds(b: number): boolean {
    if (b === QUOTE) this.#odd = !this.#odd;
    else if (b === NEWLINE) {
      if (!this.#odd) return true;
      this.#line++;
      this.#droppedLines++;
    }
    return false;
  }

  /** Leaves out a record whose quotes are broken; `held` is what of it was read. */
  #broken(held: Buffer, reason: DroppedReason): void {
    this.#resetQuotes();
    const nl = held.indexOf(NEWLINE);
    if (nl < 0) {
      // The fault is on the record's first line: drop the rest of that line.
      this.#mode = 'skip-line';
      this.#skipReason = reason;
      this.#droppedLines = 0;
      return;
    }
    this.#lastWasCr = nl > 0 && held[nl - 1] === CR;
    this.#line = this.#recordLine + 1;
    this.#droppedLines = 0;
    this.#mode = 'long';
    this.#drop(reason);
  }

  /** The bytes after a held record's first line, to be read again. */
  #rest(held: Buffer): Buffer | undefined {
    const nl = held.indexOf(NEWLINE);
    return nl < 0 || nl + 1 >= held.length ? undefined : held.subarray(nl + 1);
  }

  /**
   * Reports the record being left out, and passes on newlines for the lines it held (none
   * for a record the end of the input ends).
   */
  #drop(reason: DroppedReason, atEnd = false, unbalanced = false): void {
    const first = !this.#header;
    const last = atEnd && this.#endsWithNewline ? this.#line - 1 : atEnd ? this.#line
      : this.#line - 1;
    const lines = Math.max(1, last - this.#recordLine + 1);
    const openToEnd = atEnd && this.#mode === 'skip-record' && this.#odd;
    const message = droppedMessage({
      reason, header: first, atEnd, lines, start: this.#recordLine, line: this.#line,
      faultLine: this.#faultLine, max: this.#max, neverBalances: unbalanced || openToEnd,
      openToEnd,
    });
    const rows = reason === 'quote' ? lines : 1;
    this.dropped.push({ line: this.#recordLine, reason, message, rows });
    if (first) this.headerUnreadable = true;
    // The line end csv-parse settled on, else the one the record ended with.
    const eol = (this.#eol ?? (this.#lastWasCr ? 'crlf' : 'lf')) === 'crlf' ? '\r\n' : '\n';
    // One newline per line the record spanned, its own end included.
    if (!first && !atEnd) this.#out.push(Buffer.from(eol.repeat(this.#droppedLines + 1)));
    this.#pending = [];
    this.#chars = 0;
    this.#droppedLines = 0;
    this.#resetQuotes();
    this.#recordLine = this.#line;
    this.#recordHasContent = false;
    this.#mode = first ? 'all' : 'keep';
  }

  #resetQuotes(): void {
    this.#quoted = false;
    this.#afterQuote = false;
    this.#fieldStart = true;
  }

  #endRecord(tail: Buffer): void {
    if (this.#mode === 'long') {
      this.#drop('long');
      return;
    }
    if (this.#recordHasContent) this.#header = true;
    this.#out.push(...this.#pending, tail);
    this.#pending = [];
    this.#chars = 0;
    this.#recordLine = this.#line;
    this.#recordHasContent = false;
    this.#resetQuotes();
  }

  #startDropping(head: Buffer): void {
    this.#pending.push(head);
    // Newlines already held belong to the dropped record's line count.
    for (const b of this.#pending) {
      for (let i = 0; i < b.length; i++) if (b[i] === NEWLINE) this.#droppedLines++;
    }
    this.#pending = [];
    this.#mode = 'long';
  }
}

function newlinesIn(chunks: readonly Buffer[]): number {
  let n = 0;
  for (const c of chunks) {
    for (let i = c.indexOf(NEWLINE); i >= 0; i = c.indexOf(NEWLINE, i + 1)) n++;
  }
  return n;
}
