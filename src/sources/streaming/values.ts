import type { Key, KeyType } from '../../model/types.js';
import { isPlaceholder, normalizeKey } from '../../model/keys.js';
import { parseInstant } from '../../model/time.js';

/** Reading loosely typed JSON without `any`: each helper returns undefined for a wrong shape. */
export type Json = Readonly<Record<string, unknown>>;

export function asObject(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

export function asArray(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A non-empty trimmed string from a string or a number (ids are often written as numbers). */
export function asString(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

export function asBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) {
    return v.trim().toLowerCase() === 'true';
  }
  return undefined;
}

/** Strings of a list, skipping what is not a non-empty string. */
export function stringList(v: unknown): string[] {
  return asArray(v)
    .map(asString)
    .filter((s): s is string => s !== undefined);
}

/** What a time field gave: the instant, or why it could not be read. */
export type TimeRead = { value?: string; error?: string; zoneAssumed?: boolean };

/**
 * Parses a time by DESIGN.md rule 1 (see model/time.ts). Epoch seconds or milliseconds written
 * as digit strings (osquery's `unixTime`, BigQuery's `creationTime`) are read as numbers.
 */
export function readTime(raw: unknown, zone?: string): TimeRead {
  const epoch = typeof raw === 'string' && /^\d{9,13}$/.test(raw.trim());
  const r = parseInstant(epoch ? Number(raw) : raw, zone);
  if (!r.ok) return { error: r.error };
  return r.zoneAssumed ? { value: r.value, zoneAssumed: true } : { value: r.value };
}

/** Collects keys, skipping values that do not normalise, and notes placeholders by field. */
export class KeyList {
  readonly keys: Key[] = [];
  readonly placeholders: { field: string; value: string }[] = [];

  add(type: KeyType, raw: unknown, field?: string): Key | undefined {
    const key = normalizeKey(type, raw);
    if (key) {
      if (!this.keys.some((k) => k.type === key.type && k.value === key.value)) this.keys.push(key);
      return key;
    }
    const text = asString(raw);
    if (field && text !== undefined && isPlaceholder(text)) {
      this.placeholders.push({ field, value: text });
    }
    return undefined;
  }

  has(type: KeyType): boolean {
    return this.keys.some((k) => k.type === type);
  }
}

/**
 * A copy of a string that shares no memory with the text it was cut from. A streaming JSON
 * parser cuts values out of the 64 KiB chunks it reads, and V8 keeps a cut of 13 characters
 * or more as a view into its chunk: one id kept until the end of a run (a record's source id,
 * a namespace) then keeps the whole chunk alive, and a 500 MB export stays in memory. Shorter
 * strings are always copied by V8 already.
 */
export function detached(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}
