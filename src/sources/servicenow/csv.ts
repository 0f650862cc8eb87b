import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { MAX_RECORD_CHARS, recordTooLong } from '../common.js';
import type { SourceInput } from '../format.js';
import { CsvRecordBound } from '../streaming/csv-record-bound.js';
import { delimiterName, suspectedDelimiter } from '../streaming/csv-header.js';
import { RecordLines } from '../streaming/csv-lines.js';
import type { FileContext } from './context.js';
import type { ReaderEvent } from './row.js';
import type { RowBuilder } from './row-builder.js';
import { itemsThenFailure } from './stream-items.js';

interface CsvRecord {
  readonly record: string[];
  readonly raw: string;
  readonly info: { readonly lines: number };
}

/**
 * Streams a ServiceNow CSV export (RFC 4180: quoted cells may span lines; UTF-8 with or
 * without a BOM). The first record is the header, under field names or labels.
 */
export async function* readCsv(
  input: SourceInput,
  rows: RowBuilder,
  ctx: FileContext,
): AsyncGenerator<ReaderEvent> {
  const parser = parse({
    bom: true,
    info: true,
    raw: true,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARS,
  });
  const source = input.open() as Readable;
  // An oversized record or one with a broken quote is left out before csv-parse, which would
  // end the whole read on it.
  const bound = new CsvRecordBound(MAX_RECORD_CHARS);
  source.on('error', (err) => parser.destroy(err));
  bound.on('error', (err) => parser.destroy(err));
  source.pipe(bound).pipe(parser);
  let header: string[] | undefined;
  const lines = new RecordLines();
  const leftOut = function* (before: number): Generator<ReaderEvent> {
    while (bound.dropped.length > 0 && bound.dropped[0]!.line < before) {
      const { line, message, rows } = bound.dropped.shift()!;
      const rejection = ctx.reject('BAD_CSV', message, line);
      yield { type: 'reject', rejection: rows > 1 ? { ...rejection, rows } : rejection };
    }
  };
  try {
    for await (const rec of itemsThenFailure<CsvRecord>(parser)) {
      const line = lines.startOf(rec.record, rec.info.lines);
      yield* leftOut(line);
      if (!header) {
        header = rec.record.map((c) => c.trim());
        const other = suspectedDelimiter(header);
        if (other) {
          // One complaint about the file, not one per row that then has no sys_id or name.
          const message = `the header is one column separated by ${delimiterName(other)}, ` +
            'not by commas: export the table again as CSV; nothing was read';
          yield { type: 'reject', rejection: ctx.reject('BAD_HEADER', message, line) };
          yield { type: 'incomplete' };
          return;
        }
        rows.header(header, line, ctx);
      } else if (rec.record.length !== header.length) {
        const message = `row has ${rec.record.length} cells, the header ${header.length}`;
        yield { type: 'reject', rejection: ctx.reject('BAD_ROW', message, line) };
      } else {
        const cells = header.map((c, i) =>
          [c, { value: oneNewline(rec.record[i]!), utc: false }] as const);
        yield { type: 'row', row: rows.build(line, cells) };
      }
    }
  } catch (err) {
    yield* leftOut(Infinity);
    yield { type: 'reject', rejection: csvFailure(err, ctx, lines.end + 1) };
    yield { type: 'incomplete' };
    return;
  }
  yield* leftOut(Infinity);
  if (!header) {
    // A header the bound left out is reported already, as the reason nothing was read.
    if (!bound.headerUnreadable) {
      yield { type: 'reject', rejection: ctx.reject('EMPTY_FILE', 'file has no header row') };
    }
    yield { type: 'incomplete' };
  }
}

/**
 * A multi-line cell as an export from Windows writes it (CRLF inside the quotes) reads as the
 * same value as from anywhere else: one newline per line break.
 */
function oneNewline(value: string): string {
  return value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value;
}

/**
 * A malformed file stops the read; the message names the line but never echoes a cell. The
 * fault is in the record after the last one read (an unclosed quote runs on over the lines
 * after it): the rejection names the line that record starts on, and the line where csv-parse
 * gave up.
 */
function csvFailure(err: unknown, ctx: FileContext, start: number) {
  const e = err as { code?: string; lines?: number };
  const code = e.code ?? 'read error';
  if (code === 'CSV_MAX_RECORD_SIZE') return ctx.reject('BAD_CSV', recordTooLong(), e.lines);
  const stopped = typeof e.lines === 'number' && e.lines > start
    ? ` (read up to line ${e.lines})` : '';
  const message = `CSV is malformed (${code}) in the record that starts on line ${start}` +
    `${stopped}; check its quotes; the rest of the file was not read`;
  return ctx.reject('BAD_CSV', message, start);
}
