/**
 * Runtime values of Roster's Cedar evaluator, following the Cedar language's value model
 * (Bool, Long, String, Set, Record, Entity). Classes, not tagged objects, so that the hot
 * path tells them apart with one `instanceof`.
 */

/** An entity reference, `Type::"id"`. */
export class EntityUid {
  readonly type: string;
  readonly id: string;
  /** `type::id`, the map key of the entity store. */
  readonly key: string;

  constructor(type: string, id: string) {
    this.type = type;
    this.id = id;
    this.key = `${type}::${id}`;
  }
}

export class CedarSet {
  readonly items: readonly Value[];

  constructor(items: readonly Value[]) {
    this.items = items;
  }
}

export class CedarRecord {
  readonly attrs: Readonly<Record<string, Value>>;

  constructor(attrs: Readonly<Record<string, Value>>) {
    this.attrs = attrs;
  }
}

export type Value = boolean | number | string | EntityUid | CedarSet | CedarRecord;

/** One entity as the evaluator sees it: attributes, tags and all its ancestors. */
export interface Entity {
  readonly uid: EntityUid;
  readonly attrs: Readonly<Record<string, Value>>;
  /** Every ancestor (the transitive closure of its parents). */
  readonly parents: readonly EntityUid[];
  /** Keys of `parents`, for `in`. */
  readonly ancestors: ReadonlySet<string>;
  readonly tags?: Readonly<Record<string, Value>>;
}

/** Makes an entity; `parents` must already be closed under the parent relation. */
export function entity(
  uid: EntityUid,
  attrs: Readonly<Record<string, Value>>,
  parents: readonly EntityUid[] = [],
): Entity {
  return { uid, attrs, parents, ancestors: new Set(parents.map((p) => p.key)) };
}

export interface EntityStore {
  get(key: string): Entity | undefined;
}

/** Why an evaluation failed; Cedar skips an erroring policy, Roster denies (rule 6). */
export type EvalErrorKind = 'missing-attribute' | 'type' | 'overflow' | 'missing-entity';

export class EvalError extends Error {
  readonly kind: EvalErrorKind;
  /** The entity (`principal`, `resource`, ...) and attribute, for missing attributes. */
  readonly attribute?: string;
  readonly entity?: string;

  constructor(kind: EvalErrorKind, message: string, at?: { entity: string; attribute: string }) {
    super(message);
    this.kind = kind;
    if (at) {
      this.entity = at.entity;
      this.attribute = at.attribute;
    }
  }
}

/** Thrown where the evaluator cannot follow Cedar exactly; the caller asks cedar-wasm. */
export class NeedsReference extends Error {}

/** Cedar equality: structural, never an error; values of different types are unequal. */
export function cedarEquals(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof EntityUid) return b instanceof EntityUid && a.key === b.key;
  if (a instanceof CedarSet) {
    if (!(b instanceof CedarSet)) return false;
    return subset(a, b) && subset(b, a);
  }
  if (!(b instanceof CedarRecord)) return false;
  const ka = Object.keys(a.attrs);
  if (ka.length !== Object.keys(b.attrs).length) return false;
  return ka.every((k) => k in b.attrs && cedarEquals(a.attrs[k]!, b.attrs[k]!));
}

export function setHas(s: CedarSet, v: Value): boolean {
  if (typeof v !== 'object') return s.items.includes(v);
  return s.items.some((x) => cedarEquals(x, v));
}

function subset(a: CedarSet, b: CedarSet): boolean {
  return a.items.every((x) => setHas(b, x));
}

/** Cedar's type names, for error messages. */
export function typeName(v: Value): string {
  if (typeof v === 'boolean') return 'Bool';
  if (typeof v === 'number') return 'Long';
  if (typeof v === 'string') return 'String';
  if (v instanceof EntityUid) return 'Entity';
  if (v instanceof CedarSet) return 'Set';
  return 'Record';
}

/** Converts Cedar's JSON value form (as in policies and entity files) to a runtime value. */
export function fromJson(v: unknown): Value {
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new NeedsReference(`Long ${v} outside the exact range`);
    return v;
  }
  if (Array.isArray(v)) return new CedarSet(v.map(fromJson));
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const ref = (o['__entity'] ?? undefined) as { type: string; id: string } | undefined;
    if (ref) return new EntityUid(ref.type, ref.id);
    if ('__extn' in o) throw new NeedsReference('extension values are evaluated by cedar-wasm');
    const attrs: Record<string, Value> = {};
    for (const [k, x] of Object.entries(o)) attrs[k] = fromJson(x);
    return new CedarRecord(attrs);
  }
  throw new NeedsReference(`unsupported JSON value ${String(v)}`);
}

/** The inverse of fromJson, for handing the same data to cedar-wasm. */
export function toJson(v: Value): unknown {
  if (typeof v !== 'object') return v;
  if (v instanceof EntityUid) return { __entity: { type: v.type, id: v.id } };
  if (v instanceof CedarSet) return v.items.map(toJson);
  return Object.fromEntries(Object.entries(v.attrs).map(([k, x]) => [k, toJson(x)]));
}
