import type { AttrValue } from '../../model/types.js';
import { asObject, readTime } from '../streaming/values.js';
import type { AttributeSpec } from './mapping-schema.js';

/** Reads a column of a record: an exact column name first, then a dotted path into objects. */
export function cell(record: Readonly<Record<string, unknown>>, column: string): unknown {
  if (column in record) return record[column];
  let node: unknown = record;
  for (const part of column.split('.')) {
    const o = asObject(node);
    if (!o) return undefined;
    node = o[part];
  }
  return node;
}

/** A cell as text: objects by their name, label or display (Snipe-IT, GLPI expanded fields). */
export function text(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const o = asObject(v);
  if (!o) return undefined;
  return text(o.name ?? o.label ?? o.display ?? o.display_value ?? o.formatted);
}

/** A converted attribute, or why its cell could not be read as the mapping says. */
export type Converted = { value?: AttrValue; error?: string; zoneAssumed?: boolean };

/** Converts a cell by its attribute spec (string, number, boolean, time, list). */
export function convert(raw: unknown, spec: AttributeSpec, zone: string | undefined): Converted {
  const type = typeof spec === 'string' ? 'string' : spec.type;
  if (raw === null || raw === undefined || raw === '') return {};
  switch (type) {
    case 'number':
      return toNumber(raw);
    case 'boolean':
      return toBoolean(raw);
    case 'time':
      return readTime(raw, zone);
    case 'list':
      return toList(raw, typeof spec === 'string' ? ',' : (spec.separator ?? ','));
    default:
      return { value: text(raw) };
  }
}

function toNumber(raw: unknown): Converted {
  const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
  return Number.isFinite(n) ? { value: n } : { error: `'${String(raw)}' is not a number` };
}

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

function toBoolean(raw: unknown): Converted {
  if (typeof raw === 'boolean') return { value: raw };
  const v = String(raw).trim().toLowerCase();
  if (TRUE.has(v)) return { value: true };
  if (FALSE.has(v)) return { value: false };
  return { error: `'${String(raw)}' is not a boolean` };
}

function toList(raw: unknown, separator: string): Converted {
  const parts = Array.isArray(raw) ? raw.map(text) : String(raw).split(separator).map(text);
  const list = parts.filter((p): p is string => p !== undefined);
  return list.length > 0 ? { value: list } : {};
}
