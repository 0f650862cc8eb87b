import { RosterError } from '../../model/errors.js';
import type { SortOrder } from '../api-port.js';

/**
 * Keyset ("seek") pagination: a page starts after the last row of the previous one by the sort
 * value and the id, so that page N costs the same as page 1 on an index of (sort, id), where an
 * OFFSET would read and drop every row before it.
 */
export interface KeysetCursor {
  /** Sort name and order the cursor was made for; a cursor is refused for another sort. */
  readonly sort: string;
  readonly order: SortOrder;
  readonly value: string | number;
  readonly id: string;
}

export function encodeCursor(c: KeysetCursor): string {
  const json = JSON.stringify([c.sort, c.order, c.value, c.id]);
  return Buffer.from(json, 'utf8').toString('base64url');
}

/** Reads a cursor made by encodeCursor for the same sort; anything else is BAD_INPUT. */
export function decodeCursor(text: string, sort: string, order: SortOrder): KeysetCursor {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(parts) || parts.length !== 4) throw badCursor();
  const [s, o, value, id] = parts as unknown[];
  const valueOk = typeof value === 'string' || typeof value === 'number';
  if (s !== sort || o !== order || !valueOk || typeof id !== 'string') throw badCursor();
  return { sort, order, value, id };
}

function badCursor(): RosterError {
  const message = 'cursor is not valid for this query; start from the first page';
  return new RosterError('BAD_INPUT', message, { field: 'cursor' });
}

/** The WHERE part that seeks past a cursor, for `ORDER BY <expr> <order>, id <order>`. */
export function seekAfter(expr: string, cursor: KeysetCursor): { sql: string; args: unknown[] } {
  const op = cursor.order === 'asc' ? '>' : '<';
  if (expr === 'id') return { sql: `id ${op} ?`, args: [cursor.id] };
  return { sql: `(${expr}, id) ${op} (?, ?)`, args: [cursor.value, cursor.id] };
}

/** Splits `limit + 1` rows into a page and the cursor of the next one. */
export function toPage<R, T>(
  rows: readonly R[],
  limit: number,
  map: (row: R) => T,
  cursorOf: (row: R) => string,
): { items: T[]; next?: string } {
  const items = rows.slice(0, limit).map(map);
  if (rows.length <= limit) return { items };
  return { items, next: cursorOf(rows[limit - 1]!) };
}
