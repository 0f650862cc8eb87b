import type { FileContext } from './context.js';
import type { Cell, ReaderEvent } from './row.js';
import type { RowBuilder } from './row-builder.js';

type JsonObject = Record<string, unknown>;

const REFERENCE_KEYS = new Set(['link', 'value', 'display_value']);

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A record of the Table API, or an item of the CMDB Instance API (`{attributes: {...}}`). */
export function isRecordLike(v: unknown): boolean {
  if (!isJsonObject(v)) return false;
  return 'sys_id' in v || 'sys_class_name' in v || isRecordLike(attributesOf(v));
}

function attributesOf(v: JsonObject): unknown {
  return v['attributes'] ?? v['Attributes'];
}

/**
 * One JSON record → a row. Field values come in every shape the Table API writes: plain
 * strings, `{link, value}` (references by default), `{display_value, link}`
 * (`sysparm_display_value=true`) and `{display_value, value}` or `{display_value, link, value}`
 * (`sysparm_display_value=all`).
 */
export function recordEvent(
  raw: unknown,
  index: number,
  rows: RowBuilder,
  ctx: FileContext,
): ReaderEvent {
  if (!isJsonObject(raw)) {
    const message = `record ${index} is ${describe(raw)}, not an object`;
    return { type: 'reject', rejection: ctx.reject('BAD_RECORD', message, index) };
  }
  const inner = attributesOf(raw);
  const record = 'sys_id' in raw || !isJsonObject(inner) ? raw : inner;
  const display = isDisplayMode(record);
  const entries: [string, Cell][] = [];
  for (const [key, value] of Object.entries(record)) {
    const cell = toCell(value, display);
    if (!cell) {
      const message = `field '${key}' is ${describe(value)}, not a value or a reference`;
      return { type: 'reject', rejection: ctx.reject('BAD_RECORD', message, index, key) };
    }
    entries.push([key, cell]);
  }
  return { type: 'row', row: rows.build(index, entries) };
}

function toCell(v: unknown, display: boolean): Cell | undefined {
  if (v === null || v === undefined) return { value: '', utc: !display };
  if (isScalar(v)) return { value: String(v), utc: !display };
  if (!isJsonObject(v) || !Object.keys(v).every((k) => REFERENCE_KEYS.has(k))) return undefined;
  if (![v['link'], v['value'], v['display_value']].every((x) => x == null || isScalar(x))) {
    return undefined;
  }
  const shown = v['display_value'];
  return {
    value: v['value'] == null ? '' : String(v['value']),
    ...(shown != null ? { display: String(shown) } : {}),
    ...(typeof v['link'] === 'string' ? { link: v['link'] } : {}),
    // A stored `value` is UTC; a record without one was exported as display values.
    utc: 'value' in v ? true : !display,
  };
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/**
 * Whether a record was exported as display values (`sysparm_display_value=true`): its
 * references carry a display value and no stored one, or its choice fields hold labels.
 * Its times are then in the exporting user's zone, not UTC.
 */
function isDisplayMode(record: JsonObject): boolean {
  for (const v of Object.values(record)) {
    if (isJsonObject(v) && 'display_value' in v && !('value' in v)) return true;
  }
  return ['install_status', 'operational_status'].some((f) => {
    const v = record[f];
    return typeof v === 'string' && v.trim() !== '' && !/^\d+$/.test(v.trim());
  });
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a nested object' : `a ${typeof v}`;
}
