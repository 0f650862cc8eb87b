import { parseInstant } from '../../model/time.js';
import type { FileContext } from './context.js';
import { columnOf, type Row } from './row.js';

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

/** Whether Intl knows an IANA zone name, checked once before any row is read. */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
