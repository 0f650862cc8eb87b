import { pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import type { Observation } from '../../model/types.js';
import { MAX_RECORD_CHARS, recordTooLong, storable } from '../common.js';
import { CsvRecordBound } from '../streaming/csv-record-bound.js';
import { RecordLines } from '../streaming/csv-lines.js';
import type { ParseEvent, ParseOptions } from '../format.js';
import { convertReportRow, type ReportRowResult } from './credential-report-row.js';
import {
  fileRejection,
  NOTHING_READ,
  RecordIssues,
  rejectEvent,
  warningEvent,
} from './record-issues.js';

/** The columns of the credential report, in the order IAM writes them. */
export const REPORT_COLUMNS: readonly string[] = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  ...['access_key_1', 'access_key_2'].flatMap((k) => [
    `${k}_active`,
    `${k}_last_rotated`,
    `${k}_last_used_date`,
    `${k}_last_used_region`,
    `${k}_last_used_service`,
  ]),
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
];

const KNOWN = new Set(REPORT_COLUMNS);

interface CsvRecord {
  readonly record: string[];
  readonly info: { readonly lines: number };
}

/** Where a report's rows come from and what the caller learnt about it already. */
export interface ReportSource {
  readonly file: string;
  readonly stream: NodeJS.ReadableStream;
  /** Generation time, when the JSON response around the CSV gave it. */
  readonly asOf?: string;
  /** The run's as-of when the report gives none (ParseOptions.runAsOf): rows are checked
   * against the generation time, else this, so that both forms warn of FUTURE_TIME alike. */
  readonly runAsOf?: string;
  /** Added to messages, e.g. "in the decoded Content" for a report inside JSON. */
  readonly where?: string;
  /** The field guard's limits: a row ingest would refuse in part is refused whole. */
  readonly limits?: ParseOptions['limits'];
}

/**
 * Reads a credential report CSV as a stream. Rows are held until the end because a user may
 * appear on two rows (seen in real reports): the later row wins, with a warning. A run is
 * complete only when every row was read: a rejected row is a user this run did not see, and
 * nobody may be marked missing because of it (DESIGN.md rule 3).
 */
export async function* readReportCsv(src: ReportSource): AsyncGenerator<ParseEvent> {
  const rows = new Map<string, { line: number; result: ReportRowResult }>();
  const unreadable: ParseEvent[] = [];
  // An oversized record or one with a broken quote is left out before csv-parse, which would
  // end the whole read on it.
  const bound = new CsvRecordBound(MAX_RECORD_CHARS);
  let header: string[] | undefined;
  let complete = true;
  const track = function* (events: Iterable<ParseEvent>): Generator<ParseEvent> {
    for (const ev of events) {
      if (ev.type === 'reject') complete = false;
      yield ev;
    }
  };
  try {
    const lines = new RecordLines();
    for await (const { record, info } of csvRecords(src, unreadable, bound)) {
      yield* track(unreadable.splice(0));
      const line = lines.startOf(record, info.lines);
      if (header) {
        yield* track(readRow(src, header, record, line, rows));
        continue;
      }
      header = record.map((c) => c.trim());
      const bad = checkHeader(src, header);
      if (bad.length > 0) return yield* [...bad, NOTHING_READ];
      yield* headerWarnings(src, header);
    }
  } catch (e) {
    unreadable.push(rejectEvent(csvFailure(src, e)));
  }
  yield* track(unreadable.splice(0));
  if (!header) {
    // A header the bound left out is reported already, as the reason nothing was read.
    if (!bound.headerUnreadable) {
      yield rejectEvent(fileRejection(src.file, 'BAD_INPUT', 'the report is empty'));
    }
    return yield NOTHING_READ;
  }
  yield* finish(rows, src, complete);
}

/**
 * The CSV records of a stream. A record csv-parse cannot read (a quote never closed) is
 * skipped and reported through `unreadable`, so that the rows around it still land.
 */
function csvRecords(
  src: ReportSource,
  unreadable: ParseEvent[],
  bound: CsvRecordBound,
): AsyncIterable<CsvRecord> {
  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
    on_skip: (err) => {
      unreadable.push(rejectEvent(csvFailure(src, err)));
      return undefined;
    },
  });
  const records = pipeline(src.stream, bound, parser, () => undefined);
  return (async function* () {
    for await (const rec of records as AsyncIterable<CsvRecord>) {
      leftOut(src, bound, rec.info.lines, unreadable);
      yield rec;
    }
    leftOut(src, bound, Infinity, unreadable);
  })();
}

/** The records the bound left out before `line`, as rejections by the line each starts on. */
function leftOut(src: ReportSource, bound: CsvRecordBound, line: number, out: ParseEvent[]) {
  while (bound.dropped.length > 0 && bound.dropped[0]!.line < line) {
    const { line: at, message, rows } = bound.dropped.shift()!;
    const rejection = fileRejection(src.file, 'BAD_CSV', `${message}${where(src)}`);
    out.push(rejectEvent({ ...rejection, line: at, ...(rows > 1 ? { rows } : {}) }));
  }
}

function* readRow(
  src: ReportSource,
  header: readonly string[],
  record: readonly string[],
  line: number,
  rows: Map<string, { line: number; result: ReportRowResult }>,
): Generator<ParseEvent> {
  const issues = new RecordIssues(src.file, line);
  if (record.length !== header.length) {
    const message = `expected ${header.length} fields${where(src)}, found ${record.length}`;
    return yield rejectEvent(issues.reject('BAD_INPUT', undefined, message));
  }
  const row = Object.fromEntries(header.map((column, i) => [column, record[i] ?? '']));
  const extraColumns = header.filter((c) => !KNOWN.has(c));
  const asOf = reportAsOf(src);
  const result = convertReportRow(row, issues, { ...(asOf ? { asOf } : {}), line, extraColumns });
  if ('identity' in result) keepLatest(rows, result, line, issues);
  yield* issues.warnings.map(warningEvent);
  if (!('identity' in result)) yield rejectEvent(result);
}

/** What the rows' past events are checked against: the report's own time, else the run's. */
function reportAsOf(src: ReportSource): { at: string; what: string } | undefined {
  if (src.asOf) return { at: src.asOf, what: "the report's generation time" };
  return src.runAsOf ? { at: src.runAsOf, what: "the run's as-of" } : undefined;
}

/** Keeps the later of two rows for one user (seen in real reports) and says so. */
function keepLatest(
  rows: Map<string, { line: number; result: ReportRowResult }>,
  result: ReportRowResult,
  line: number,
  issues: RecordIssues,
): void {
  const earlier = rows.get(result.arn);
  if (earlier) {
    const user = String(result.identity.attributes['name']);
    const message = `user '${user}' appears again (first on line ${earlier.line}); this row wins`;
    issues.warn('DUPLICATE_RECORD', 'user', message);
    // Re-inserting moves the user to its latest position, so output follows the file.
    rows.delete(result.arn);
  }
  rows.set(result.arn, { line, result });
}

function* finish(
  rows: ReadonlyMap<string, { result: ReportRowResult }>,
  src: ReportSource,
  complete: boolean,
): Generator<ParseEvent> {
  // The generation time before any row: ingest stores rows by chunks, each with the run's as-of.
  if (src.asOf) yield { type: 'meta', meta: { asOf: src.asOf } };
  const scopes = new Set<string>();
  for (const { result } of rows.values()) {
    scopes.add(result.identity.scope);
    const all = [result.identity, ...result.credentials];
    // A row ingest would refuse in part is refused whole, and once: only the first of its
    // observations the field guard refuses is passed on, for ingest to report by line and
    // field (which makes the run partial); none of the others lands.
    const refused = all.find((o) => !storable(o, src));
    if (refused) {
      yield observation(refused);
      continue;
    }
    for (const o of all) yield observation(o);
  }
  yield { type: 'meta', meta: { scopes: [...scopes].sort(), complete } };
}

const observation = (o: Observation): ParseEvent => ({ type: 'observation', observation: o });

function checkHeader(src: ReportSource, header: readonly string[]): ParseEvent[] {
  if (header[0] === 'user' && header[1] === 'arn' && header[2] === 'user_creation_time') return [];
  const message =
    `not a credential report${where(src)}: ` +
    'the header must start with user,arn,user_creation_time';
  return [rejectEvent({ ...fileRejection(src.file, 'BAD_INPUT', message), line: 1 })];
}

function headerWarnings(src: ReportSource, header: readonly string[]): ParseEvent[] {
  const issues = new RecordIssues(src.file, 1);
  for (const c of header.filter((h) => !KNOWN.has(h))) {
    const message = `column not in the credential report format; kept as aws.report.${c}`;
    issues.warn('UNKNOWN_COLUMN', c, message);
  }
  for (const c of REPORT_COLUMNS.filter((k) => !header.includes(k))) {
    issues.warn('MISSING_COLUMN', c, 'column of the credential report format is absent');
  }
  return issues.warnings.map(warningEvent);
}

/** A CSV syntax error: named by csv-parse's code and line, never by the text around it. */
function csvFailure(src: ReportSource, e: unknown) {
  const err = (e ?? {}) as { code?: unknown; lines?: unknown };
  const code = typeof err.code === 'string' ? err.code : 'read error';
  const message = code === 'CSV_MAX_RECORD_SIZE'
    ? `${recordTooLong()}${where(src)}`
    : `unreadable CSV record${where(src)} (${code})`;
  const rejection = fileRejection(src.file, 'BAD_CSV', message);
  return typeof err.lines === 'number' ? { ...rejection, line: err.lines } : rejection;
}

function where(src: ReportSource): string {
  return src.where ? ` ${src.where}` : '';
}
