import { stringify } from 'csv-stringify/sync';
import { pc } from './paint.js';
import { RosterError } from '../model/errors.js';
import { spreadsheetSafe } from '../present/csv-cell.js';
import { jsonText, visibleValue } from '../present/visible.js';

export type OutputFormat = 'table' | 'json' | 'csv';

export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => string;
  /** Colour for the cell on a terminal. */
  readonly color?: (text: string, row: T) => string;
  /** Longest cell before it is cut or wrapped (default 60). */
  readonly width?: number;
  /**
   * What a longer cell becomes: `end` cuts its end, `middle` its middle (a path keeps the
   * name that tells it apart), `wrap` continues it on the next lines (nothing is lost).
   */
  readonly overflow?: 'end' | 'middle' | 'wrap';
}

const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'csv'];

/**
 * A value `-o, --output` does not take: a usage error (exit 2) that lists those it takes. The
 * CLI names `--format` instead when that is what was typed (main.ts maps it onto `-o`).
 */
export class OutputFormatError extends RosterError {
  constructor(
    readonly got: string,
    readonly allowed: readonly string[],
    readonly option = '-o, --output',
  ) {
    super('BAD_INPUT', `option ${option} must be one of ${allowed.join(', ')} (got '${got}')`);
  }

  /** The same error, naming the option the user typed. */
  as(option: string): OutputFormatError {
    return new OutputFormatError(this.got, this.allowed, option);
  }
}

/** `-o, --output`: one of the formats, or a usage error (exit 2) that lists them. */
export function parseOutputFormat(
  v: string | undefined,
  allowed: readonly OutputFormat[] = OUTPUT_FORMATS,
): OutputFormat {
  if (v === undefined) return 'table';
  const found = allowed.find((f) => f === v);
  if (found) return found;
  throw new OutputFormatError(v, allowed);
}

/** An option whose value is one of a fixed list, or a usage error (exit 2) that lists them. */
export function parseChoice<T extends string>(
  v: string | undefined,
  option: string,
  choices: readonly T[],
): T | undefined {
  if (v === undefined) return undefined;
  const found = choices.find((c) => c === v);
  if (found) return found;
  throw new RosterError('BAD_INPUT', `option ${option} must be one of ${choices.join(', ')} ` +
    `(got '${v}')`);
}

/**
 * A count option (`--limit`): a whole number of at least `min`, or a usage error (exit 2)
 * naming the option. Undefined stays undefined (the command's default applies).
 */
export function parseCount(v: string | undefined, option: string, min = 1): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.trim()) || Number(v) < min || !Number.isSafeInteger(Number(v))) {
    throw new RosterError('BAD_INPUT', `option ${option} must be a whole number of at least ` +
      `${min} (got '${v}')`);
  }
  return Number(v);
}

/** A plain text table for people: columns padded, long cells cut (or wrapped) at 60. */
export function table<T>(
  rows: readonly T[],
  columns: readonly Column<T>[],
  color: boolean,
): string {
  const cells = rows.map((r) => columns.map((c) => fit(c.value(r), c)));
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...cells.flatMap((row) => row[i]!.map((l) => l.length))),
  );
  const header = columns.map((c, i) => c.header.padEnd(widths[i]!)).join('  ');
  const lines = cells.flatMap((row, r) => {
    const height = Math.max(...row.map((cell) => cell.length));
    return Array.from({ length: height }, (_, l) =>
      row
        .map((cell, i) => {
          const padded = (cell[l] ?? '').padEnd(widths[i]!);
          const paint = columns[i]!.color;
          return color && paint ? paint(padded, rows[r]!) : padded;
        })
        .join('  ')
        .trimEnd(),
    );
  });
  return [color ? pc.bold(header.trimEnd()) : header.trimEnd(), ...lines].join('\n');
}

/** The lines of one cell. */
function fit<T>(s: string, c: Column<T>): string[] {
  const width = c.width ?? 60;
  // Control characters are written out here, before widths are measured (the terminal gets
  // the same text again from main.ts, which changes nothing more).
  const one = visibleValue(s.replace(/\s+/g, ' '));
  if (one.length <= width) return [one];
  if (c.overflow === 'wrap') return wrap(one, width);
  if (c.overflow === 'middle') {
    const tail = Math.ceil((width - 3) * 0.6);
    return [`${one.slice(0, width - 3 - tail)}...${one.slice(one.length - tail)}`];
  }
  return [`${one.slice(0, width - 3)}...`];
}

/** Breaks at spaces where it can; a word longer than the width is split. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    let w = word;
    while (w.length > width) {
      if (line) out.push(line);
      out.push(w.slice(0, width));
      line = '';
      w = w.slice(width);
    }
    if (!line) line = w;
    else if (line.length + 1 + w.length <= width) line += ` ${w}`;
    else {
      out.push(line);
      line = w;
    }
  }
  if (line) out.push(line);
  return out;
}

/** CSV with a header row; formula-like cells are neutralised as in the API's export. */
export function csv<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const body = rows.map((r) => columns.map((c) => spreadsheetSafe(c.value(r))));
  return stringify([columns.map((c) => c.header), ...body]);
}

/** JSON with exactly the data's strings; DEL, C1 and bidi controls written as `\u` escapes. */
export function json(value: unknown): string {
  return jsonText(value);
}

export function render<T>(
  format: OutputFormat,
  rows: readonly T[],
  columns: readonly Column<T>[],
  toJson: (row: T) => unknown,
  color: boolean,
): string {
  if (format === 'json') return json(rows.map(toJson));
  if (format === 'csv') return csv(rows, columns).trimEnd();
  return table(rows, columns, color);
}

export function severityColor(sev: string): (s: string) => string {
  switch (sev) {
    case 'critical':
      return (s) => pc.bold(pc.red(s));
    case 'high':
      return pc.red;
    case 'medium':
      return pc.yellow;
    case 'low':
      return pc.cyan;
    default:
      return pc.dim;
  }
}
