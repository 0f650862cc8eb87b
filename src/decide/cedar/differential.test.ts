import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../cli/project-root.js';
import {
  evaluateCompiled,
  evaluateReference,
  type EvalRequest,
  type EvalResult,
} from './engine.js';
import { loadPolicySet, type PolicySet } from './policy-set.js';
import { CedarRecord, CedarSet, EntityUid, entity, type Value } from './values.js';

/*
 * Differential tests: Roster's compiled evaluator against cedar-wasm, the reference, on random
 * entities over the shipped schema, under the shipped policies and under random policies
 * written in the subset the evaluator compiles. Both must give the same decision, the same
 * determining policies and the same erring policies.
 */

const DIR = join(projectRoot(), 'policies');
const read = (file: string) => ({ file, text: readFileSync(join(DIR, file), 'utf8') });
const SCHEMA = read('roster.cedarschema');
const DEFAULTS = read('default.cedar');
const ACTIONS = ['read', 'write', 'delete', 'execute', 'connect', 'admin'];
const WORDS = ['approved', 'unknown', 'retired', 'decommissioning', 'in-service', 'production',
  'staging', 'fresh', 'stale', 'unseen', 'none', 'active', 'inactive', 'x509-svid', 'jwt-svid',
  'critical', 'high', 'low', 'asset', 'identity', 'unowned', '', 'Prod'];

const word = fc.constantFrom(...WORDS);
const long = fc.oneof({ arbitrary: fc.integer({ min: -1, max: 4 }), weight: 5 },
  { arbitrary: fc.integer({ min: -1e12, max: 1e12 }), weight: 1 });
const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 3 });

/** The attributes both entity types share; the optional ones are sometimes absent. */
const common = {
  type: word,
  known: fc.boolean(),
  kind: word,
  admission: word,
  lifecycle: optional(word),
  owner: optional(word),
  ownerStatus: word,
  criticality: optional(word),
  environment: optional(word),
  production: fc.boolean(),
  freshness: word,
  ageDays: optional(long),
  freshnessWindowDays: long,
  findings: fc.uniqueArray(word, { maxLength: 3 }),
  trustTier: long,
};

const subjectAttrs = fc.record({ ...common, proof: word, spiffeId: optional(word) });
// Roster leaves minTrustTier out when a resource's criticality is unknown: policies that read
// it then err, and both engines must agree on which.
const resourceAttrs = fc.record({ ...common, minTrustTier: optional(long) });

function attrs(raw: Record<string, unknown>): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? new CedarSet(v as string[]) : (v as Value);
  }
  return out;
}

const request = fc.record({
  subject: subjectAttrs,
  resource: resourceAttrs,
  action: fc.constantFrom(...ACTIONS),
  id: fc.constantFrom('a', 'b'),
}).map(({ subject, resource, action, id }): EvalRequest => ({
  principal: entity(new EntityUid('Roster::Subject', `s-${id}`), attrs(subject)),
  action: entity(new EntityUid('Roster::Action', action), {}),
  resource: entity(new EntityUid('Roster::Resource', `r-${id}`), attrs(resource)),
  context: new CedarRecord({}),
}));

function same(c: EvalResult, w: EvalResult): void {
  expect({
    decision: c.decision,
    determining: [...c.determining].sort(),
    errors: c.errors.map((e) => e.policyId).sort(),
  }).toEqual({
    decision: w.decision,
    determining: [...w.determining].sort(),
    errors: w.errors.map((e) => e.policyId).sort(),
  });
}

function compiledSet(files: { file: string; text: string }[]): PolicySet {
  const load = loadPolicySet(SCHEMA, files);
  if (!load.ok) throw new Error(load.problems.map((p) => p.message).join('; '));
  expect(load.set.compiled, load.set.fallbackReason).toBeDefined();
  return load.set;
}

/* Random policies, type-correct by construction, over the schema's attributes. */
const VARS = ['principal', 'resource'] as const;
const BOOL_ATTRS = ['known', 'production'];
const STRING_ATTRS = ['type', 'kind', 'admission', 'ownerStatus', 'freshness'];
const OPTIONAL_STRINGS = ['lifecycle', 'owner', 'criticality', 'environment'];
const LONG_ATTRS = ['trustTier', 'freshnessWindowDays'];

const lit = (s: string) => JSON.stringify(s);
const v = fc.constantFrom(...VARS);

const stringExpr: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(v, fc.constantFrom(...STRING_ATTRS)).map(([x, a]) => `${x}.${a}`),
  word.map(lit),
);

const longExprLeaf = () => fc.tuple(v, fc.constantFrom(...LONG_ATTRS)).map(([x, a]) => `${x}.${a}`);

const longExpr: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(v, fc.constantFrom(...LONG_ATTRS)).map(([x, a]) => `${x}.${a}`),
  fc.constant('resource.minTrustTier'),
  fc.integer({ min: -1, max: 4 }).map(String),
  fc.tuple(v, fc.constantFrom(...LONG_ATTRS), fc.integer({ min: -3, max: 3 }))
    .map(([x, a, n]) => `(${x}.${a} + ${n})`),
  fc.tuple(longExprLeaf(), fc.integer({ min: 0, max: 2 })).map(([e, n]) => `(${e} - ${n})`),
);

const { boolExpr } = fc.letrec<{ boolExpr: string }>((tie) => ({
  boolExpr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(v, fc.constantFrom(...BOOL_ATTRS)).map(([x, a]) => `${x}.${a}`),
    {
      arbitrary: fc.tuple(stringExpr, fc.constantFrom('==', '!='), stringExpr)
        .map(([a, o, b]) => `${a} ${o} ${b}`),
      weight: 2,
    },
    {
      arbitrary: fc.tuple(longExpr, fc.constantFrom('<', '<=', '>', '>=', '==', '!='), longExpr)
        .map(([a, o, b]) => `${a} ${o} ${b}`),
      weight: 4,
    },
    fc.tuple(v, fc.constantFrom(...OPTIONAL_STRINGS), word)
      .map(([x, a, w]) => `(${x} has ${a} && ${x}.${a} == ${lit(w)})`),
    fc.tuple(v, fc.constantFrom(...OPTIONAL_STRINGS, 'ageDays')).map(([x, a]) => `${x} has ${a}`),
    fc.tuple(v, word).map(([x, w]) => `${x}.findings.contains(${lit(w)})`),
    v.map((x) => `${x}.findings.isEmpty()`),
    fc.tuple(v, fc.uniqueArray(word, { minLength: 1, maxLength: 3 }))
      .map(([x, ws]) => `${x}.findings.containsAny([${ws.map(lit).join(', ')}])`),
    fc.tuple(v, fc.constantFrom(...STRING_ATTRS), fc.constantFrom('*', 'a*', '*e*', 'pro*'))
      .map(([x, a, p]) => `${x}.${a} like "${p}"`),
    tie('boolExpr').map((e) => `!(${e})`),
    fc.tuple(tie('boolExpr'), fc.constantFrom('&&', '||'), tie('boolExpr'))
      .map(([a, o, b]) => `(${a}) ${o} (${b})`),
    fc.tuple(tie('boolExpr'), tie('boolExpr'), tie('boolExpr'))
      .map(([c, a, b]) => `(if ${c} then ${a} else ${b})`),
  ),
}));

const actionScope = fc.oneof(
  fc.constant('action'),
  fc.constantFrom(...ACTIONS).map((a) => `action == Roster::Action::${lit(a)}`),
  fc.uniqueArray(fc.constantFrom(...ACTIONS), { minLength: 1, maxLength: 3 })
    .map((as) => `action in [${as.map((a) => `Roster::Action::${lit(a)}`).join(', ')}]`),
);

const policy = fc.record({
  effect: fc.constantFrom('permit', 'forbid'),
  action: actionScope,
  clause: fc.constantFrom('when', 'unless'),
  body: boolExpr,
});

const policies = fc.array(policy, { minLength: 1, maxLength: 4 }).map((ps) =>
  ps.map((p, i) => `@id("p${i}")\n${p.effect} (principal, ${p.action}, resource)\n` +
    `${p.clause} { ${p.body} };`).join('\n\n'));

describe('compiled evaluator against cedar-wasm', () => {
  it('agrees with cedar-wasm under the default policies on random entities', () => {
    const set = compiledSet([DEFAULTS]);
    fc.assert(fc.property(request, (req) => {
      same(evaluateCompiled(set.compiled!, req), evaluateReference(set.texts, req));
    }), { numRuns: 400 });
  });

  it('agrees with cedar-wasm under random policies of the compiled subset', () => {
    fc.assert(fc.property(policies, fc.array(request, { minLength: 1, maxLength: 16 }),
      (text, reqs) => {
        const set = compiledSet([{ file: 'random.cedar', text }]);
        for (const req of reqs) {
          same(evaluateCompiled(set.compiled!, req), evaluateReference(set.texts, req));
        }
      }), { numRuns: 250 });
  });

  it('sees a real difference: a permit the reference grants is not missed', () => {
    // Guards the comparison itself: a subject at tier 2 for a tier-1 resource is allowed.
    const set = compiledSet([DEFAULTS]);
    const ok = fc.sample(request, { numRuns: 1, seed: 7 })[0]!;
    const req: EvalRequest = {
      ...ok,
      principal: entity(ok.principal.uid, { ...ok.principal.attrs, known: true,
        admission: 'approved', ownerStatus: 'active', freshness: 'fresh', production: true,
        trustTier: 2, proof: 'none', findings: new CedarSet([]) }),
      resource: entity(ok.resource.uid, { ...ok.resource.attrs, known: true, admission: 'approved',
        production: true, minTrustTier: 1 }),
    };
    delete (req.principal.attrs as Record<string, Value>)['lifecycle'];
    delete (req.resource.attrs as Record<string, Value>)['lifecycle'];
    const c = evaluateCompiled(set.compiled!, req);
    expect(c.decision).toBe('allow');
    expect(c.determining).toEqual(['allow-sufficient-trust-tier']);
    same(c, evaluateReference(set.texts, req));
  });
});
