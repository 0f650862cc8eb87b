import {
  CedarRecord,
  CedarSet,
  EntityUid,
  EvalError,
  NeedsReference,
  cedarEquals,
  fromJson,
  setHas,
  typeName,
  type Entity,
  type EntityStore,
  type Value,
} from './values.js';

/** What a compiled expression reads: the request and the entities that came with it. */
export interface Env {
  readonly principal: EntityUid;
  readonly action: EntityUid;
  readonly resource: EntityUid;
  readonly context: CedarRecord;
  readonly store: EntityStore;
}

export type Compiled = (env: Env) => Value;

/** A policy construct outside the subset this evaluator follows; cedar-wasm evaluates it. */
export class Unsupported extends Error {}

type Est = Record<string, unknown>;
type Bin = { left: Est; right: Est };

const I64_MAX = 9_223_372_036_854_775_807n;
const I64_MIN = -9_223_372_036_854_775_808n;

/**
 * Compiles one expression of Cedar's JSON policy format (the EST that cedar-wasm's
 * `policyToJson` returns) into a closure. Semantics follow the Cedar language reference:
 * `&&`/`||` short-circuit, `==` never errors, `<` and arithmetic take Longs, overflow is an
 * error. Extension functions (ip, decimal, datetime) are not in the subset.
 */
export function compileExpr(e: Est): Compiled {
  const [op, body] = only(e);
  const b = body as Bin;
  switch (op) {
    case 'Value': {
      const v = fromJsonOrUnsupported(body);
      return () => v;
    }
    case 'Var':
      return compileVar(body as string);
    case '!': {
      const arg = compileExpr((body as { arg: Est }).arg);
      return (env) => !bool(arg(env), '!');
    }
    case 'neg': {
      const arg = compileExpr((body as { arg: Est }).arg);
      return (env) => checked(-long(arg(env), 'negation'));
    }
    case '==':
    case '!=': {
      const [l, r] = pair(b);
      return op === '=='
        ? (env) => cedarEquals(l(env), r(env))
        : (env) => !cedarEquals(l(env), r(env));
    }
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compileCompare(op, b);
    case '+':
    case '-':
    case '*':
      return compileArith(op, b);
    case '&&':
    case '||':
      return compileLogic(op, b);
    case 'in':
      return compileIn(b);
    case 'contains':
    case 'containsAll':
    case 'containsAny':
      return compileSetOp(op, b);
    case 'isEmpty': {
      const arg = compileExpr((body as { arg: Est }).arg);
      return (env) => set(arg(env), 'isEmpty').items.length === 0;
    }
    case '.':
      return compileGet(body as { left: Est; attr: string });
    case 'has':
      return compileHas(body as { left: Est; attr: string | string[] });
    case 'like':
      return compileLike(body as { left: Est; pattern: unknown[] });
    case 'is':
      return compileIs(body as { left: Est; entity_type: string; in?: Est });
    case 'if-then-else':
      return compileIf(body as { if: Est; then: Est; else: Est });
    case 'Set': {
      const items = (body as Est[]).map(compileExpr);
      return (env) => new CedarSet(items.map((f) => f(env)));
    }
    case 'Record': {
      const entries = Object.entries(body as Record<string, Est>).map(
        ([k, x]) => [k, compileExpr(x)] as const,
      );
      return (env) => new CedarRecord(Object.fromEntries(entries.map(([k, f]) => [k, f(env)])));
    }
    case 'getTag':
    case 'hasTag':
      return compileTag(op, b);
    default:
      throw new Unsupported(`'${op}' is outside the compiled subset`);
  }
}

function only(e: Est): [string, unknown] {
  const keys = Object.keys(e);
  if (keys.length !== 1) throw new Unsupported('malformed expression');
  return [keys[0]!, e[keys[0]!]];
}

function fromJsonOrUnsupported(v: unknown): Value {
  try {
    return fromJson(v);
  } catch (err) {
    if (err instanceof NeedsReference) throw new Unsupported(err.message);
    throw err;
  }
}

function compileVar(name: string): Compiled {
  switch (name) {
    case 'principal':
      return (env) => env.principal;
    case 'action':
      return (env) => env.action;
    case 'resource':
      return (env) => env.resource;
    case 'context':
      return (env) => env.context;
    default:
      throw new Unsupported(`unknown variable ${name}`);
  }
}

function pair(b: Bin): [Compiled, Compiled] {
  return [compileExpr(b.left), compileExpr(b.right)];
}

export function bool(v: Value, where: string): boolean {
  if (typeof v !== 'boolean') throw typeError(where, 'Bool', v);
  return v;
}

function long(v: Value, where: string): number {
  if (typeof v !== 'number') throw typeError(where, 'Long', v);
  return v;
}

function set(v: Value, where: string): CedarSet {
  if (!(v instanceof CedarSet)) throw typeError(where, 'Set', v);
  return v;
}

function typeError(where: string, expected: string, v: Value): EvalError {
  return new EvalError('type', `${where} expects ${expected}, got ${typeName(v)}`);
}

/** Longs are 64-bit; outside JavaScript's exact range the reference decides. */
function checked(n: number): number {
  if (Number.isSafeInteger(n)) return n === 0 ? 0 : n;
  throw new NeedsReference('Long arithmetic outside the exact range');
}

function compileCompare(op: '<' | '<=' | '>' | '>=', b: Bin): Compiled {
  const [l, r] = pair(b);
  const test = {
    '<': (x: number, y: number) => x < y,
    '<=': (x: number, y: number) => x <= y,
    '>': (x: number, y: number) => x > y,
    '>=': (x: number, y: number) => x >= y,
  }[op];
  return (env) => {
    const x = l(env);
    const y = r(env);
    // Cedar 4 also orders datetime and duration values; those are not in the subset.
    if (typeof x !== 'number' || typeof y !== 'number') {
      throw typeError(op, 'Long', typeof x !== 'number' ? x : y);
    }
    return test(x, y);
  };
}

function compileArith(op: '+' | '-' | '*', b: Bin): Compiled {
  const [l, r] = pair(b);
  return (env) => {
    const x = long(l(env), op);
    const y = long(r(env), op);
    const exact = op === '+' ? BigInt(x) + BigInt(y) : op === '-' ? BigInt(x) - BigInt(y)
      : BigInt(x) * BigInt(y);
    if (exact > I64_MAX || exact < I64_MIN) {
      throw new EvalError('overflow', `integer overflow in ${x} ${op} ${y}`);
    }
    return checked(Number(exact));
  };
}

function compileLogic(op: '&&' | '||', b: Bin): Compiled {
  const [l, r] = pair(b);
  if (op === '&&') return (env) => bool(l(env), '&&') && bool(r(env), '&&');
  return (env) => bool(l(env), '||') || bool(r(env), '||');
}

function compileIn(b: Bin): Compiled {
  const [l, r] = pair(b);
  return (env) => {
    const x = l(env);
    if (!(x instanceof EntityUid)) throw typeError('in', 'Entity', x);
    const y = r(env);
    const entity = env.store.get(x.key);
    if (y instanceof EntityUid) return isIn(x, entity, y);
    if (y instanceof CedarSet) {
      for (const item of y.items) {
        if (!(item instanceof EntityUid)) throw typeError('in', 'Set of Entity', item);
      }
      return y.items.some((item) => isIn(x, entity, item as EntityUid));
    }
    throw typeError('in', 'Entity or Set', y);
  };
}

function isIn(x: EntityUid, entity: Entity | undefined, y: EntityUid): boolean {
  return x.key === y.key || (entity?.ancestors.has(y.key) ?? false);
}

function compileSetOp(op: 'contains' | 'containsAll' | 'containsAny', b: Bin): Compiled {
  const [l, r] = pair(b);
  if (op === 'contains') return (env) => setHas(set(l(env), op), r(env));
  if (op === 'containsAll') {
    return (env) => {
      const s = set(l(env), op);
      return set(r(env), op).items.every((v) => setHas(s, v));
    };
  }
  return (env) => {
    const s = set(l(env), op);
    return set(r(env), op).items.some((v) => setHas(s, v));
  };
}

/** Attributes of an entity or a record; `entity` names the variable for messages. */
function attrsOf(v: Value, env: Env, where: string): Readonly<Record<string, Value>> {
  if (v instanceof CedarRecord) return v.attrs;
  if (v instanceof EntityUid) {
    const entity = env.store.get(v.key);
    if (!entity) throw new EvalError('missing-entity', `entity ${v.key} does not exist`);
    return entity.attrs;
  }
  throw typeError(where, 'Entity or Record', v);
}

function compileGet(body: { left: Est; attr: string }): Compiled {
  const left = compileExpr(body.left);
  const attr = body.attr;
  const name = varName(body.left);
  return (env) => {
    const v = left(env);
    const attrs = attrsOf(v, env, `.${attr}`);
    const got = Object.hasOwn(attrs, attr) ? attrs[attr] : undefined;
    if (got === undefined) {
      const entity = v instanceof EntityUid ? (name ?? v.key) : 'record';
      throw new EvalError('missing-attribute', `${entity} has no attribute ${attr}`, {
        entity,
        attribute: attr,
      });
    }
    return got;
  };
}

function varName(e: Est): string | undefined {
  const v = e['Var'];
  return typeof v === 'string' ? v : undefined;
}

function compileHas(body: { left: Est; attr: string | string[] }): Compiled {
  const left = compileExpr(body.left);
  const path = Array.isArray(body.attr) ? body.attr : [body.attr];
  return (env) => {
    let v: Value | undefined = left(env);
    for (const attr of path) {
      if (v instanceof EntityUid) {
        const entity = env.store.get(v.key);
        if (!entity) return false;
        v = Object.hasOwn(entity.attrs, attr) ? entity.attrs[attr] : undefined;
      } else if (v instanceof CedarRecord) {
        v = Object.hasOwn(v.attrs, attr) ? v.attrs[attr] : undefined;
      } else {
        throw typeError('has', 'Entity or Record', v as Value);
      }
      if (v === undefined) return false;
    }
    return true;
  };
}

function compileLike(body: { left: Est; pattern: unknown[] }): Compiled {
  const left = compileExpr(body.left);
  const source = body.pattern
    .map((p) =>
      p === 'Wildcard' ? '[^]*' : String((p as { Literal: string }).Literal)
        .replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'),
    )
    .join('');
  const re = new RegExp(`^${source}$`, 'u');
  return (env) => {
    const v = left(env);
    if (typeof v !== 'string') throw typeError('like', 'String', v);
    return re.test(v);
  };
}

function compileIs(body: { left: Est; entity_type: string; in?: Est }): Compiled {
  const left = compileExpr(body.left);
  const type = body.entity_type;
  const within = body.in ? compileIn({ left: body.left, right: body.in }) : undefined;
  return (env) => {
    const v = left(env);
    if (!(v instanceof EntityUid)) throw typeError('is', 'Entity', v);
    if (v.type !== type) return false;
    return within ? bool(within(env), 'in') : true;
  };
}

function compileIf(body: { if: Est; then: Est; else: Est }): Compiled {
  const cond = compileExpr(body.if);
  const yes = compileExpr(body.then);
  const no = compileExpr(body.else);
  return (env) => (bool(cond(env), 'if') ? yes(env) : no(env));
}

function compileTag(op: 'getTag' | 'hasTag', b: Bin): Compiled {
  const [l, r] = pair(b);
  return (env) => {
    const v = l(env);
    if (!(v instanceof EntityUid)) throw typeError(op, 'Entity', v);
    const tag = r(env);
    if (typeof tag !== 'string') throw typeError(op, 'String', tag);
    const entity = env.store.get(v.key);
    if (!entity) {
      if (op === 'hasTag') return false;
      throw new EvalError('missing-entity', `entity ${v.key} does not exist`);
    }
    const got = entity.tags && Object.hasOwn(entity.tags, tag) ? entity.tags[tag] : undefined;
    if (op === 'hasTag') return got !== undefined;
    if (got === undefined) throw new EvalError('missing-attribute', `${v.key} has no tag ${tag}`);
    return got;
  };
}
