import { bool, compileExpr, Unsupported, type Env } from './compile-expr.js';
import { EntityUid, type Value } from './values.js';

type Est = Record<string, unknown>;

/** One policy of Cedar's JSON format, as cedar-wasm's `policyToJson` returns it. */
export interface PolicyEst {
  readonly effect: 'permit' | 'forbid';
  readonly principal: Est;
  readonly action: Est;
  readonly resource: Est;
  readonly conditions: readonly { kind: 'when' | 'unless'; body: Est }[];
  readonly annotations?: Readonly<Record<string, string | null>>;
}

export interface CompiledPolicy {
  readonly id: string;
  readonly effect: 'permit' | 'forbid';
  readonly annotations: Readonly<Record<string, string>>;
  /** Attributes of principal and resource the policy reads, as `principal.trustTier`. */
  readonly reads: readonly string[];
  /** True when scope and conditions hold; throws EvalError where Cedar would error. */
  matches(env: Env): boolean;
}

/**
 * Compiles a policy: its scope (principal, action, resource constraints) then its `when` and
 * `unless` clauses, in order, as Cedar evaluates them.
 */
export function compilePolicy(id: string, est: PolicyEst): CompiledPolicy {
  const scope = [
    compileScope(est.principal, 'principal'),
    compileScope(est.action, 'action'),
    compileScope(est.resource, 'resource'),
  ].filter((f): f is (env: Env) => boolean => f !== undefined);
  const clauses = est.conditions.map((c) => {
    const body = compileExpr(c.body);
    const where = c.kind;
    return c.kind === 'when'
      ? (env: Env) => bool(body(env), where)
      : (env: Env) => !bool(body(env), where);
  });
  const all = [...scope, ...clauses];
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(est.annotations ?? {})) annotations[k] = v ?? '';
  return {
    id,
    effect: est.effect,
    annotations,
    reads: [...new Set(readsOf(est))].sort(),
    matches: (env) => {
      for (const test of all) if (!test(env)) return false;
      return true;
    },
  };
}

type Var = 'principal' | 'action' | 'resource';

function compileScope(c: Est, v: Var): ((env: Env) => boolean) | undefined {
  const get = (env: Env): EntityUid => env[v];
  switch (c['op']) {
    case 'All':
      return undefined;
    case '==': {
      const target = uid(c['entity']);
      return (env) => get(env).key === target.key;
    }
    case 'in': {
      const targets = c['entities'] ? (c['entities'] as unknown[]).map(uid) : [uid(c['entity'])];
      return (env) => targets.some((t) => within(env, get(env), t));
    }
    case 'is': {
      const type = c['entity_type'] as string;
      const inner = c['in'] as Est | undefined;
      const target = inner ? uid(inner['entity']) : undefined;
      return (env) => get(env).type === type && (!target || within(env, get(env), target));
    }
    default:
      throw new Unsupported(`scope constraint '${String(c['op'])}' (templates are not compiled)`);
  }
}

function within(env: Env, x: EntityUid, target: EntityUid): boolean {
  return x.key === target.key || (env.store.get(x.key)?.ancestors.has(target.key) ?? false);
}

function uid(raw: unknown): EntityUid {
  if (!raw || typeof raw !== 'object') throw new Unsupported('scope needs an entity');
  const o = raw as Record<string, unknown>;
  const ref = (o['__entity'] ?? o) as { type?: unknown; id?: unknown };
  if (typeof ref.type !== 'string' || typeof ref.id !== 'string') {
    throw new Unsupported('scope entity without type and id (a template slot?)');
  }
  return new EntityUid(ref.type, ref.id);
}

/** Every `principal.x`, `resource.x` and `principal has x` in the policy's conditions. */
function readsOf(est: PolicyEst): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const o = node as Record<string, unknown>;
    for (const key of ['.', 'has']) {
      const access = o[key] as { left?: Est; attr?: string | string[] } | undefined;
      const v = access?.left?.['Var'];
      if ((v === 'principal' || v === 'resource') && access?.attr !== undefined) {
        const first = Array.isArray(access.attr) ? access.attr[0] : access.attr;
        out.push(`${v}.${first}`);
      }
    }
    Object.values(o).forEach(walk);
  };
  est.conditions.forEach((c) => walk(c.body));
  return out;
}

export type { Value };
