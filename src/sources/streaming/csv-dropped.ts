/** What CsvRecordBound says of a CSV record it left out (csv-record-bound.ts). */

/** Why a record was left out: too long, a quoted cell never closed, a quote out of place. */
export type DroppedReason = 'long' | 'unclosed' | 'quote';

/** A record the bound left out, by the line it starts on. */
export interface DroppedRecord {
  /** 1-based line the record starts on. */
  readonly line: number;
  readonly reason: DroppedReason;
  /** What a user is told; never quotes the record's text. */
  readonly message: string;
  /**
   * The rows its leaving out may have cost: each line of a badly quoted record may have been
   * a row of its own (1 for a record too long or an unclosed cell's first line).
   */
  readonly rows: number;
}

/** Where and why a record was left out, as droppedMessage words it. */
export interface DropContext {
  readonly reason: DroppedReason;
  /** Whether the record is the header (then nothing of the file is read). */
  readonly header: boolean;
  /** Whether the file ended inside the record. */
  readonly atEnd: boolean;
  /** The lines the record spans, from `start`. */
  readonly lines: number;
  readonly start: number;
  /** The line the reader is on (where reading goes on). */
  readonly line: number;
  /** The line a quote out of place is on. */
  readonly faultLine: number;
  /** The longest record, in characters. */
  readonly max: number;
  /** Whether the record's quotes never balance before the end of the file. */
  readonly neverBalances: boolean;
  /** Whether the record was left out through the end of the file. */
  readonly openToEnd: boolean;
}

/** The message of a record left out: what was wrong, which lines went, where reading went on. */
export function droppedMessage(d: DropContext): string {
  const { start, lines } = d;
  const end = start + lines - 1;
  const where = d.faultLine > start
    ? ` on line ${d.faultLine} of the record that starts on line ${start}` : '';
  const never = d.neverBalances ? '; its quotes never balance before the end of the file' : '';
  const span = end > start || d.openToEnd
    ? `${where}${never}; lines ${start} to ${d.openToEnd ? 'the end of the file' : end} ` +
      `(${lines} lines, each counted as a refused row) were left out`
    : `${never}; the record was left out`;
  const what = d.reason === 'long'
    ? `a record longer than ${d.max} characters; it was left out`
    : d.reason === 'unclosed'
      ? `a quoted cell in the record that starts on line ${start} is never closed before ` +
        'the end of the file; its first line was left out'
      : 'a quote out of place (a quote inside a cell must be doubled, a quoted cell must ' +
        `start the cell and end at a delimiter or the line's end)${span}`;
  if (d.header) return `the header record is unreadable: ${what}; the file was not read`;
  if (d.atEnd) return what;
  return d.reason === 'long' ? `${what}, the rest was read`
    : `${what}, reading went on at line ${d.reason === 'unclosed' ? start + 1 : d.line}`;
}
