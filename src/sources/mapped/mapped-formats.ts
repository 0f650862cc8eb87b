import { pipeline } from 'node:stream';
import { parse as csvParse, type CsvError, type Info } from 'csv-parse';
import { RosterError } from '../../model/errors.js';
import type { ParseEvent, ParseOptions, SourceFormat, SourceInput } from '../format.js';
import { headText, MAX_RECORD_CHARS, recordTooLong } from '../common.js';
import { ByteCounter, ProgressGate } from '../streaming/byte-counter.js';
import { CsvRecordBound } from '../streaming/csv-record-bound.js';
import { delimiterName, suspectedDelimiter } from '../streaming/csv-header.js';
import { RecordLines } from '../streaming/csv-lines.js';
import { byItem, reject } from '../streaming/events.js';
import { parsePath } from '../streaming/json-items.js';
import { readJsonDocuments } from '../streaming/json-documents.js';
import { asObject } from '../streaming/values.js';
import { MappedRecords } from './mapped-record.js';
import { parseMapping, type Mapping } from './mapping-schema.js';

/** The mapping the CLI passed (`--mapping`), validated; a format cannot read without one. */
function mappingFrom(options: ParseOptions, format: 'csv' | 'json'): Mapping {
  if (options.mapping === undefined) {
    const why = `mapped-${format} needs a mapping file (--mapping); see examples/mappings/`;
    throw new RosterError('CONFIG', why);
  }
  const mapping = parseMapping(options.mapping);
  if (mapping.format && mapping.format !== format) {
    const why = `the mapping is for ${mapping.format} input, not ${format}`;
    throw new RosterError('CONFIG', why);
  }
  return mapping;
}

/** The delimiter used most in the header line: `,`, `;` (European spreadsheets) or tab. */
function guessDelimiter(head: string): string {
  const first = headText(head).split(/\r?\n/, 1)[0] ?? '';
  const counts = [',', ';', '\t'].map((d) => [d, first.split(d).length] as const);
  return counts.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
}

interface CsvRow {
  readonly record: string[];
  readonly info: Info;
}

async function* parseCsv(input: SourceInput, options: ParseOptions): AsyncGenerator<ParseEvent> {
  const mapping = mappingFrom(options, 'csv');
  const records = new MappedRecords(mapping, input.path, options);
  const skipped: { line: number; message: string; rows?: number }[] = [];
  const counter = new ByteCounter();
  const delimiter = mapping.csv?.delimiter ?? guessDelimiter(input.head);
  const parser = csvParse({
    delimiter,
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
    on_skip: (err: CsvError | undefined) => {
      // The error's message may quote the row; keep only its code.
      const message = err?.code === 'CSV_MAX_RECORD_SIZE'
        ? recordTooLong()
        : `unreadable CSV (${err?.code})`;
      skipped.push({ line: Number(err?.lines ?? 0), message });
      return undefined;
    },
  });
  // An oversized record or one with a broken quote is left out before csv-parse, which would
  // end the whole read on it.
  const bound = new CsvRecordBound(MAX_RECORD_CHARS, { delimiter });
  pipeline(input.open(), counter, bound, parser, () => undefined);
  const gate = new ProgressGate();
  let header: string[] | undefined;
  let broken = false;
  const lines = new RecordLines();
  for await (const { record, info } of parser as AsyncIterable<CsvRow>) {
    // The line the record starts on, where a user looks for it (csv-parse gives its end).
    const line = lines.startOf(record, info.lines);
    while (bound.dropped.length > 0 && bound.dropped[0]!.line < line) {
      skipped.push(bound.dropped.shift()!);
      skipped.sort((a, b) => a.line - b.line);
    }
    // The parser runs ahead of this loop: report skipped rows in line order.
    while (skipped.length > 0 && skipped[0]!.line < line) {
      broken = true;
      const s = skipped.shift()!;
      yield leftOut(input.path, s);
    }
    if (!header) {
      header = record.map((h) => h.trim());
      if (!header.includes(mapping.id)) {
        // One complaint about the file, not one per row that then has no id.
        const other = suspectedDelimiter(header, delimiter);
        const why = other
          ? `the header is one column separated by ${delimiterName(other)}, not by ` +
            `${delimiterName(delimiter)} (set csv.delimiter in the mapping)`
          : `the header has no column '${mapping.id}', the mapping's id`;
        yield reject(input.path, line, mapping.id, 'BAD_HEADER', `${why}; nothing was read`);
        yield { type: 'meta', meta: { scopes: [records.scope], complete: false } };
        return;
      }
      yield* records.columns(header, line);
      continue;
    }
    if (record.length !== header.length) {
      const why = `${record.length} fields where the header has ${header.length}`;
      yield reject(input.path, line, undefined, 'COLUMN_COUNT', why);
      continue;
    }
    yield* records.record(Object.fromEntries(header.map((h, i) => [h, record[i]])), line);
    const bytes = gate.due(counter.bytes);
    if (bytes !== undefined) yield { type: 'progress', bytes };
  }
  skipped.push(...bound.dropped);
  skipped.sort((a, b) => a.line - b.line);
  for (const s of skipped) yield leftOut(input.path, s);
  const complete = mapping.complete && !broken && skipped.length === 0;
  yield { type: 'meta', meta: { scopes: [records.scope], complete } };
}

/** A record left out of a CSV, with the rows its lines may have held when more than one. */
function leftOut(file: string, s: { line: number; message: string; rows?: number }): ParseEvent {
  const event = reject(file, s.line, undefined, 'BAD_CSV', s.message);
  if (event.type !== 'reject' || (s.rows ?? 1) <= 1) return event;
  return { type: 'reject', rejection: { ...event.rejection, rows: s.rows! } };
}

async function* parseJson(input: SourceInput, options: ParseOptions): AsyncGenerator<ParseEvent> {
  const mapping = mappingFrom(options, 'json');
  const records = new MappedRecords(mapping, input.path, options);
  const path = parsePath(mapping.recordsPath ?? '');
  let complete = mapping.complete;
  let first = true;
  for await (const item of readJsonDocuments(input, [path])) {
    if (item.kind === 'progress') yield { type: 'progress', bytes: item.bytes };
    else if (item.kind === 'error') {
      complete = false;
      yield reject(input.path, item.line, undefined, 'BAD_JSON', item.message);
    } else if (item.kind === 'end') {
      if (!item.listed && path.length > 0) complete = false;
    } else {
      const row = asObject(item.record.value);
      if (!row) {
        yield reject(input.path, item.record.line, undefined, 'BAD_RECORD', 'not an object');
        continue;
      }
      if (first) yield* records.columns(Object.keys(row), item.record.line);
      first = false;
      yield* records.record(row, item.record.line);
    }
  }
  yield { type: 'meta', meta: { scopes: [records.scope], complete } };
}

/**
 * A mapped export is named by its mapping, not detected: any CSV or JSON would match, and a
 * catch-all would turn "not a format Roster recognises" into "needs a mapping" for files that
 * another format should read. The CLI picks these formats with `--format` or from the
 * mapping's `format` (see mappedFormatFor); detection says no.
 */
function detectNone(): number {
  return 0;
}

/** The mapped format a mapping is for: its `format`, else by the input's first character. */
export function mappedFormatFor(mapping: Mapping, head: string): SourceFormat {
  const format = mapping.format ?? (/^[[{]/.test(headText(head)) ? 'json' : 'csv');
  return format === 'json' ? mappedJsonFormat : mappedCsvFormat;
}

/**
 * Any other CSV export, read through a mapping file (YAML or JSON, `--mapping`). The run's
 * source and system-of-record flag come from the mapping (`source`, `systemOfRecord`); the
 * values here are the defaults.
 */
export const mappedCsvFormat: SourceFormat = {
  name: 'mapped-csv',
  source: 'mapped',
  systemOfRecord: true,
  description: 'Any CSV export, read through a mapping file (examples/mappings/)',
  example: 'roster ingest computers.csv --format mapped-csv --mapping glpi-computers.yaml',
  detect: detectNone,
  parse: parseCsv,
};

/** Any other JSON export, read through a mapping file with `recordsPath`. */
export const mappedJsonFormat: SourceFormat = {
  name: 'mapped-json',
  source: 'mapped',
  systemOfRecord: true,
  description: 'Any JSON export, read through a mapping file (examples/mappings/)',
  example: 'roster ingest hardware.json --format mapped-json --mapping snipeit-hardware.yaml',
  detect: detectNone,
  parse: (input, options) => byItem(parseJson(input, options)),
};
