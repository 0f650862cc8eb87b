import { isPlaceholder } from '../../model/keys.js';
import type { Rejection } from '../../model/types.js';

/**
 * One record of a ServiceNow export as the readers hand it on, whatever the file's shape
 * (CSV of field names or labels, Table API JSON in any `sysparm_display_value` mode).
 */

/**
 * One field of a record. The Table API gives a stored value (a sys_id, a choice code, a UTC
 * time), a display value, and for references a link; a CSV cell gives display text only.
 */
export interface Cell {
  /** Stored value, or the CSV text. Empty string when the cell is empty. */
  readonly value: string;
  /** Display value when the export carries one beside the stored value. */
  readonly display?: string;
  /** Table API link of a reference (`https://<instance>.service-now.com/api/now/table/...`). */
  readonly link?: string;
  /**
   * True when a date-time in `value` is UTC: the Table API returns stored date-times in UTC
   * and display values in the exporting user's zone, as CSV exports do.
   */
  readonly utc: boolean;
}

export interface Row {
  /** 1-based line of the record's first line (CSV) or record number (JSON). */
  readonly line: number;
  /** Cells by canonical ServiceNow field name (`sys_id`, `install_status`, `u_team`). */
  readonly cells: ReadonlyMap<string, Cell>;
  /** The column or JSON key each field came from, for messages (`Serial number`). */
  readonly columns: ReadonlyMap<string, string>;
}

/** The text a person reads: the display value when there is one, else the value. Trimmed. */
export function textOf(row: Row, field: string): string | undefined {
  const cell = row.cells.get(field);
  if (!cell) return undefined;
  const text = (cell.display ?? cell.value).trim();
  return text === '' ? undefined : text;
}

/** The stored value (a code, a sys_id), falling back to the display text. Trimmed. */
export function valueOf(row: Row, field: string): string | undefined {
  const cell = row.cells.get(field);
  if (!cell) return undefined;
  const value = cell.value.trim() || (cell.display ?? '').trim();
  return value === '' ? undefined : value;
}

/** Whether the record has the field as a column or key at all, even empty. */
export function hasField(row: Row, field: string): boolean {
  return row.cells.has(field);
}

/** The column or key a field came from, for messages. */
export function columnOf(row: Row, field: string): string {
  return row.columns.get(field) ?? field;
}

const SYS_ID = /^[0-9a-f]{32}$/i;

/** True when a text is a ServiceNow sys_id (32 hex digits). */
export function isSysId(text: string): boolean {
  return SYS_ID.test(text.trim());
}

/**
 * A reference field split into what is known of the other record: its display name and its
 * sys_id. In a Table API object (`{link, value}`, `{display_value, ...}`) the value is the
 * stored sys_id; a bare CSV cell or JSON string is a name unless it is 32 hex digits.
 */
export interface Reference {
  readonly name?: string;
  readonly sysId?: string;
}

export function referenceOf(row: Row, field: string): Reference | undefined {
  const cell = row.cells.get(field);
  if (!cell) return undefined;
  const value = cell.value.trim();
  const structured = cell.link !== undefined || cell.display !== undefined;
  const fromLink = cell.link ? lastSegment(cell.link) : undefined;
  const sysId = structured ? value || fromLink : isSysId(value) ? value : undefined;
  const shown = cell.display?.trim() || (!structured && !isSysId(value) ? value : undefined);
  // "N/A", "unknown", "-": a filler where nobody is named names nobody.
  const name = shown && !isPlaceholder(shown) ? shown : undefined;
  if (!name && !sysId) return undefined;
  return { ...(name ? { name } : {}), ...(sysId ? { sysId: sysId.toLowerCase() } : {}) };
}

function lastSegment(link: string): string | undefined {
  const seg = link.split(/[?#]/)[0]!.split('/').pop() ?? '';
  return isSysId(seg) ? seg.toLowerCase() : undefined;
}

/** What a reader yields: rows, records it could not read, and a note that it stopped early. */
export type ReaderEvent =
  | { readonly type: 'row'; readonly row: Row }
  | { readonly type: 'reject'; readonly rejection: Rejection }
  | { readonly type: 'incomplete' };
