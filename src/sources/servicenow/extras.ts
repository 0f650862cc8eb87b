import type { AttrValue } from '../../model/types.js';
import { textOf, type Row } from './row.js';

/**
 * ServiceNow bookkeeping that changes on every save and says nothing about the thing: kept out
 * of attributes so that an unchanged CI reads as unchanged.
 */
const BOOKKEEPING = new Set(['sys_mod_count', 'sys_class_path', 'sys_domain_path']);

/**
 * Every field not turned into a well-known attribute, kept as `cmdb.<field>` with its display
 * text (custom `u_` fields, unknown columns, and the standard fields Roster has no word for).
 */
export function extraAttributes(
  row: Row,
  consumed: ReadonlySet<string>,
): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const field of row.cells.keys()) {
    if (consumed.has(field) || BOOKKEEPING.has(field)) continue;
    const text = textOf(row, field);
    if (text !== undefined) out[`cmdb.${field}`] = text;
  }
  return out;
}
