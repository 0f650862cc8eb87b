import { parseInstant } from '../../model/time.js';
import type { Rejection } from '../../model/types.js';
import type { FileContext } from './context.js';
import { columnOf, type Row } from './row.js';

export type TimesRead =
  | { ok: true; times: Record<string, string> }
  | { ok: false; rejection: Rejection };

/**
 * Reads several time fields into attributes (`[['lastSeenAt', 'last_discovered']]`); the first
 * one that is not a time refuses the record, naming its column.
 */
export function readTimes(
  row: Row,
  fields: readonly (readonly [string, string])[],
  ctx: FileContext,
): TimesRead {
  const times: Record<string, string> = {};
  for (const [attr, field] of fields) {
    const t = readTime(row, field, ctx);
    if (!t.ok) {
      const rejection = ctx.reject('BAD_TIME', t.error, row.line, columnOf(row, field));
      return { ok: false, rejection };
    }
    if (t.value) times[attr] = t.value;
  }
  return { ok: true, times };
}

export type TimeRead = { ok: true; value: string | undefined } | { ok: false; error: string };

/**
 * Reads a ServiceNow date-time field as a UTC instant. ServiceNow writes `2024-05-01 14:00:00`
 * with no zone: stored (Table API) values are UTC, display values and CSV exports are in the
 * exporting user's zone. Local times are read in `options.timezone`; without one they are read
 * as UTC and the file gets one `TIME_ZONE_ASSUMED` warning (DESIGN.md rule 1).
 */
export function readTime(row: Row, field: string, ctx: FileContext): TimeRead {
  const cell = row.cells.get(field);
  if (!cell) return { ok: true, value: undefined };
  const useValue = cell.utc && cell.value.trim() !== '';
  const raw = useValue ? cell.value : (cell.display ?? cell.value);
  const parsed = parseInstant(raw, useValue ? 'UTC' : ctx.timezone);
  if (!parsed.ok) return parsed;
  if (parsed.zoneAssumed) {
    ctx.warnOnce(
      'time-zone',
      'TIME_ZONE_ASSUMED',
      `times without a zone (first in '${columnOf(row, field)}') were read as UTC; ` +
        'pass the exporting user\'s time zone to read them right',
      row.line,
      columnOf(row, field),
    );
  }
  return { ok: true, value: parsed.value };
}
