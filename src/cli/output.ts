import { stringify } from 'csv-stringify/sync';
import pc from 'picocolors';

export type OutputFormat = 'table' | 'json' | 'csv';

export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => string;
  /** Colour for the cell on a terminal. */
  readonly color?: (text: string, row: T) => string;
  /** Longest cell before it is cut (default 60). */
  readonly width?: number;
}

export function parseOutputFormat(v: string | undefined): OutputFormat {
  if (v === undefined || v === 'table' || v === 'json' || v === 'csv') return v ?? 'table';
  throw new Error(`--output must be table, json or csv (got '${v}')`);
}

/** A plain text table for people: columns padded, long cells cut at 60 characters. */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[], color: boolean): string {
  const cells = rows.map((r) => columns.map((c) => clip(c.value(r), c.width ?? 60)));
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...cells.map((row) => row[i]!.length)),
  );
  const header = columns.map((c, i) => c.header.padEnd(widths[i]!)).join('  ');
  const lines = cells.map((row, r) =>
    row
      .map((cell, i) => {
        const padded = cell.padEnd(widths[i]!);
        const paint = columns[i]!.color;
        return color && paint ? paint(padded, rows[r]!) : padded;
      })
      .join('  ')
      .trimEnd(),
  );
  return [color ? pc.bold(header.trimEnd()) : header.trimEnd(), ...lines].join('\n');
}

function clip(s: string, width: number): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > width ? `${one.slice(0, width - 3)}...` : one;
}

export function csv<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  return stringify([columns.map((c) => c.header), ...rows.map((r) => columns.map((c) => c.value(r)))]);
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
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
