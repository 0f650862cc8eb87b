import type { AttrValue, Key, Observation, Relation } from '../../model/types.js';
import { isPlaceholder, normalizeKey } from '../../model/keys.js';
import type { ParseEvent, ParseOptions } from '../format.js';
import { observation, OnceWarner, reject, warning } from '../streaming/events.js';
import { storable } from '../common.js';
import { findSecret } from '../streaming/secret-scan.js';
import { cell, convert, text } from './mapped-values.js';
import type { Mapping } from './mapping-schema.js';

type Row = Readonly<Record<string, unknown>>;

function listOf(raw: readonly unknown[]): AttrValue | undefined {
  return convert(raw, { column: '', type: 'list' }, undefined).value;
}

/** Every column a mapping names, top-level part only (`status_label` for `status_label.name`). */
function usedColumns(m: Mapping): Set<string> {
  const cols = [
    m.id,
    ...m.keys.map((k) => k.column),
    ...Object.values(m.attributes).map((a) => (typeof a === 'string' ? a : a.column)),
    ...[m.admission, m.lifecycle, m.criticality].map((x) => x?.column),
    m.owner?.column,
    m.owner?.emailColumn,
    ...m.relations.map((r) => r.column),
  ].filter((c): c is string => c !== undefined);
  return new Set(cols.flatMap((c) => [c, c.split('.')[0]!]));
}

/**
 * Turns records of a mapped CSV or JSON export into observations, by the mapping's rules.
 * Holds only what it must remember across records: owners already observed and warnings
 * already given.
 */
export class MappedRecords {
  readonly #m: Mapping;
  readonly #file: string;
  readonly #scope: string;
  readonly #zone: string | undefined;
  readonly #used: Set<string>;
  readonly #once = new OnceWarner();
  readonly #owners = new Set<string>();
  readonly #options: ParseOptions;

  constructor(mapping: Mapping, file: string, options: ParseOptions) {
    this.#options = options;
    this.#m = mapping;
    this.#file = file;
    this.#scope = options.scope ?? mapping.scope ?? 'default';
    this.#zone = mapping.timezone ?? options.timezone;
    this.#used = usedColumns(mapping);
  }

  get scope(): string {
    return this.#scope;
  }

  *record(row: Row, line: number): Generator<ParseEvent> {
    const hit = findSecret(row);
    if (hit) return yield this.#reject(line, hit.field, 'SECRET_REFUSED', 'secret value refused');
    const id = text(cell(row, this.#m.id));
    if (!id) return yield this.#reject(line, this.#m.id, 'MISSING_KEY', 'record without an id');
    const events: ParseEvent[] = [];
    const keys = this.#keys(row, line, events);
    if (keys.length === 0) {
      const cols = this.#m.keys.map((k) => k.column).join(', ');
      return yield this.#reject(line, cols, 'MISSING_KEY', 'no usable key in the key columns');
    }
    const attributes = this.#attributes(row, line, events);
    if (attributes === undefined) return yield* events.filter((e) => e.type === 'reject');
    const relations = this.#relations(row);
    const owner = this.#owner(row, line, attributes, relations);
    yield* events;
    const o: Observation = {
      kind: this.#m.kind,
      sourceId: id,
      scope: this.#scope,
      keys,
      attributes,
      relations,
      line,
    };
    // The owner a row names is first observed with it, unless ingest will refuse the row: a
    // refused row leaves nothing behind, and a later row naming the same owner observes it.
    if (owner && !this.#owners.has(owner.sourceId) && storable(o, this.#options)) {
      this.#owners.add(owner.sourceId);
      yield observation(owner);
    }
    yield observation(o);
  }

  /** Warns once about columns the mapping does not name, when it asks for that. */
  *columns(names: readonly string[], line: number): Generator<ParseEvent> {
    if (this.#m.unmapped !== 'warn') return;
    const unmapped = names.filter((n) => !this.#used.has(n));
    for (const name of unmapped) {
      if (!this.#once.first(`column:${name}`)) continue;
      yield warning(this.#file, line, name, 'UNMAPPED_COLUMN', 'column not named in the mapping');
    }
  }

  #reject(line: number, field: string, code: string, message: string): ParseEvent {
    return reject(this.#file, line, field, code, message);
  }

  #keys(row: Row, line: number, events: ParseEvent[]): Key[] {
    const keys: Key[] = [];
    for (const spec of this.#m.keys) {
      const raw = text(cell(row, spec.column));
      if (raw === undefined) continue;
      if (isPlaceholder(raw)) {
        const why = `placeholder '${raw}' does not identify`;
        events.push(warning(this.#file, line, spec.column, 'PLACEHOLDER_KEY', why));
        continue;
      }
      const key = normalizeKey(spec.type, `${spec.prefix ?? ''}${raw}`);
      if (key && !keys.some((k) => k.type === key.type && k.value === key.value)) keys.push(key);
      else if (!key) {
        const why = `'${raw}' is not a valid ${spec.type}`;
        events.push(warning(this.#file, line, spec.column, 'BAD_KEY', why));
      }
    }
    return keys;
  }

  /** Mapped, enumerated and kept attributes; undefined when a time cannot be read. */
  #attributes(
    row: Row,
    line: number,
    events: ParseEvent[],
  ): Record<string, AttrValue> | undefined {
    const out: Record<string, AttrValue> = { ...this.#m.constants };
    for (const [name, spec] of Object.entries(this.#m.attributes)) {
      const column = typeof spec === 'string' ? spec : spec.column;
      const c = convert(cell(row, column), spec, this.#zone);
      if (c.error && typeof spec !== 'string' && spec.type === 'time') {
        events.push(this.#reject(line, column, 'BAD_TIME', c.error));
        return undefined;
      }
      if (c.error) events.push(warning(this.#file, line, column, 'BAD_VALUE', c.error));
      if (c.zoneAssumed && this.#once.first(`zone:${column}`)) {
        const why = 'time without a zone read as UTC; set timezone in the mapping';
        events.push(warning(this.#file, line, column, 'TIME_ZONE_ASSUMED', why));
      }
      if (c.value !== undefined) out[name] = c.value;
    }
    this.#enumerated(row, line, out, events);
    if (this.#m.unmapped === 'keep') this.#kept(row, line, out, events);
    return out;
  }

  #enumerated(
    row: Row,
    line: number,
    out: Record<string, AttrValue>,
    events: ParseEvent[],
  ): void {
    for (const attr of ['admission', 'lifecycle', 'criticality'] as const) {
      const spec = this.#m[attr];
      const raw = spec ? text(cell(row, spec.column)) : undefined;
      if (!spec || raw === undefined) continue;
      const wanted = raw.toLowerCase();
      const entries = Object.entries(spec.values) as [string, string[]][];
      const found = entries.find(([, vs]) => vs.some((v) => v.trim().toLowerCase() === wanted));
      if (found) out[attr] = found[0];
      else if (this.#once.first(`${attr}:${wanted}`)) {
        const why = `'${raw}' is not listed under ${attr}.values in the mapping`;
        events.push(warning(this.#file, line, spec.column, 'UNKNOWN_VALUE', why));
      }
    }
    // A system of record admits what it lists unless the mapping says otherwise.
    if (this.#m.systemOfRecord && out.admission === undefined) out.admission = 'approved';
  }

  /** Unmapped columns kept as `<source>.<column>`; a nested value that is not one is said. */
  #kept(row: Row, line: number, out: Record<string, AttrValue>, events: ParseEvent[]): void {
    for (const [col, raw] of Object.entries(row)) {
      if (this.#used.has(col)) continue;
      const value = Array.isArray(raw) ? listOf(raw) : text(raw);
      if (value !== undefined) out[`${this.#m.source}.${col}`] = value;
      else if (typeof raw === 'object' && raw !== null && this.#once.first(`nested:${col}`)) {
        const why = 'nested value not kept; name its fields in the mapping to keep them';
        events.push(warning(this.#file, line, col, 'UNMAPPED_COLUMN', why));
      }
    }
  }

  #relations(row: Row): Relation[] {
    const out: Relation[] = [];
    for (const spec of this.#m.relations) {
      const raw = text(cell(row, spec.column));
      const target = raw ? normalizeKey(spec.keyType, `${spec.prefix ?? ''}${raw}`) : undefined;
      if (!target) continue;
      const relation: Relation = { type: spec.type, target };
      out.push(spec.reverse ? { ...relation, reverse: true } : relation);
    }
    return out;
  }

  #owner(
    row: Row,
    line: number,
    attributes: Record<string, AttrValue>,
    relations: Relation[],
  ): Observation | undefined {
    const spec = this.#m.owner;
    const name = spec ? text(cell(row, spec.column)) : undefined;
    const key = normalizeKey('owner', name);
    if (!spec || !name || !key) return undefined;
    const emailCell = spec.emailColumn ? text(cell(row, spec.emailColumn)) : undefined;
    const email = normalizeKey('email', emailCell);
    attributes.owner = name;
    relations.push({ type: 'owned-by', target: email ?? key });
    const sourceId = `owner:${key.value}`;
    const ownerAttrs: Record<string, AttrValue> = { name };
    if (spec.ownerType) ownerAttrs.ownerType = spec.ownerType;
    if (email) ownerAttrs.email = email.value;
    const keys = email ? [key, email] : [key];
    return { kind: 'owner', sourceId, scope: this.#scope, keys, attributes: ownerAttrs, line };
  }
}
