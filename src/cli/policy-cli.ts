import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { pc } from './paint.js';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { loadConfig } from '../config.js';
import { readPolicies } from '../decide-app.js';
import type { PolicyProblem, PolicySet } from '../decide/cedar/policy-set.js';
import { FAIL_CLOSED } from '../decide/decision.js';
import { describeIssues, evaluationSchema, type EvaluationRequest } from '../decide/request.js';
import { RosterError } from '../model/errors.js';
import { whyUnreadable } from '../model/text-file.js';
import { openPdp, shown, type PolicyFlags } from './open-pdp.js';
import type { CliContext } from './main.js';

const caseSchema = z.object({
  name: z.string().min(1).optional(),
  request: z.unknown(),
  expect: z.enum(['allow', 'deny']),
  /** A reason code the decision must give (among its reasons). */
  reason: z.string().min(1).optional(),
}).strict();

const caseFileSchema = z.object({
  /** The instant every case is decided at; --as-of overrides it. */
  at: z.string().min(1).optional(),
  cases: z.array(caseSchema).min(1),
}).strict();

interface TestCase {
  readonly name: string;
  readonly request: EvaluationRequest;
  readonly expect: 'allow' | 'deny';
  readonly reason?: string;
}

export function registerPolicy(program: Command, ctx: CliContext): void {
  const policy = program.command('policy').description('check and test Cedar policies');

  policy
    .command('validate')
    .description('validate the policy set against the schema; every problem with file and line')
    .option('--policies <dir>', 'a folder of .cedar files added to the default policies')
    .option('--replace-defaults', 'only the files of --policies, not the default set')
    .action(async (opts: PolicyFlags, cmd: Command) => {
      const { dir, replace } = policyChoice(opts, cmd);
      const load = readPolicies(dir, replace);
      if (!load.ok) {
        for (const p of load.problems) ctx.err(problemLine(p, ctx.color));
        ctx.err(`${load.problems.length} problem(s): the policy set is refused`);
        ctx.exitCode = 1;
        return;
      }
      const set = load.set;
      const files = [...new Set(set.policies.map((p) => shown(p.file)))];
      ctx.out(`ok: ${set.policies.length} policies in ${files.join(', ')} ` +
        `(policy set ${set.digest})`);
      ctx.out(set.compiled ? 'evaluated by the compiled evaluator'
        : `evaluated by cedar-wasm: ${set.fallbackReason ?? 'outside the compiled subset'}`);
    });

  policy
    .command('test')
    .description('run decision test cases (YAML or JSON) against the inventory and the policies')
    .argument('<cases>', 'case file: { at?, cases: [{ name?, request, expect, reason? }] }')
    .option('--policies <dir>', 'a folder of .cedar files added to the default policies')
    .option('--replace-defaults', 'only the files of --policies, not the default set')
    .option('--as-of <time>', 'decide every case as of this instant (beats the file\'s at)')
    .action(async (file: string, opts: PolicyFlags & { asOf?: string }, cmd: Command) => {
      const { dir, replace } = policyChoice(opts, cmd);
      const suite = readCases(file);
      const app = await ctx.open();
      let passed = 0;
      let failed = 0;
      try {
        const flags = {
          ...(dir ? { policies: dir } : {}),
          ...(replace ? { replaceDefaults: true } : {}),
        };
        const pdp = await openPdp(app, opts.asOf ?? suite.at, flags, ctx);
        try {
          checkReasons(file, suite.cases, pdp.service.policies!);
          for (const c of suite.cases) {
            const d = await pdp.service.decide(c.request, { log: false });
            const got = d.decision ? 'allow' : 'deny';
            const ok = got === c.expect && (!c.reason || d.reasons.includes(c.reason));
            if (ok) passed++;
            else failed++;
            const mark = ok ? 'PASS' : 'FAIL';
            const tag = ctx.color ? (ok ? pc.green(mark) : pc.red(mark)) : mark;
            const want = `${c.expect}${c.reason ? ` (${c.reason})` : ''}`;
            ctx.out(ok ? `${tag}  ${c.name}`
              : `${tag}  ${c.name}: expected ${want}, got ${got} (${d.reasons.join(', ')})`);
          }
        } finally {
          pdp.close();
        }
      } finally {
        await app.close();
      }
      ctx.out(`${passed} passed, ${failed} failed`);
      if (failed > 0) ctx.exitCode = 1;
    });
}

/** --policies and --replace-defaults, else the decide section of the configuration. */
function policyChoice(opts: PolicyFlags, cmd: Command): { dir?: string; replace: boolean } {
  if (opts.policies) return { dir: opts.policies, replace: opts.replaceDefaults ?? false };
  const globals = cmd.optsWithGlobals<{ config?: string }>();
  const decide = loadConfig(globals.config ?? process.env['ROSTER_CONFIG']).decide;
  return {
    ...(decide.policyDir ? { dir: decide.policyDir } : {}),
    replace: opts.replaceDefaults ?? decide.replaceDefaults,
  };
}

function problemLine(p: PolicyProblem, color: boolean): string {
  const where = `${shown(p.file)}${p.line ? `:${p.line}` : ''}`;
  const id = p.policyId ? ` [${p.policyId}]` : '';
  return `${color ? pc.bold(where) : where}: ${p.message}${id}`;
}


/**
 * Every reason code a case may expect: the decision point's own and each policy's `@reason`
 * (a forbid without one gives `denied:<policy id>`). A case expecting any other could never
 * pass, so it is a usage error (exit 2) naming the case, not a failed case.
 */
function checkReasons(file: string, cases: readonly TestCase[], set: PolicySet): void {
  const codes = new Set<string>(['allowed', ...Object.keys(FAIL_CLOSED)]);
  for (const p of set.policies) {
    codes.add(p.annotations['reason'] ??
      (p.effect === 'permit' ? 'allowed' : `denied:${p.id}`));
  }
  for (const [n, c] of cases.entries()) {
    if (!c.reason || codes.has(c.reason)) continue;
    throw new RosterError('BAD_INPUT', `${file}: cases.${n} (${c.name}): reason '${c.reason}' ` +
      `is not a reason code of this policy set; valid codes: ${[...codes].sort().join(', ')}`);
  }
}

/**
 * Reads a case file. Every problem is a usage error (exit 2) naming the file, the line and
 * the field, e.g. `cases.yaml:12: cases.3.request.subject.id: expected string`.
 */
export function readCases(file: string): { at?: string; cases: TestCase[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new RosterError('BAD_INPUT', `${file}: cannot be read (${whyUnreadable(err)})`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new RosterError('BAD_INPUT', `${file}:${e.linePos?.[0].line ?? 1}: ${e.message}`);
  }
  const where = (path: readonly PropertyKey[]): string => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true) as
        { range?: number[] } | undefined;
      if (node?.range) return `${file}:${lines.linePos(node.range[0]!).line}`;
    }
    return file;
  };
  let data: unknown;
  try {
    // yaml refuses an alias that expands past its limit (a "billion laughs" file) by throwing.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new RosterError('BAD_INPUT',
      `${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = caseFileSchema.safeParse(data);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new RosterError('BAD_INPUT', `${where(i.path)}: ${describeIssues(parsed.error)}`);
  }
  const cases = parsed.data.cases.map((c, n): TestCase => {
    const req = evaluationSchema.safeParse(c.request);
    if (!req.success) {
      const path = ['cases', n, 'request', ...req.error.issues[0]!.path];
      const msg = req.error.issues.map((i) =>
        `cases.${n}.request.${i.path.join('.')}: ${i.message}`).join('; ');
      throw new RosterError('BAD_INPUT', `${where(path)}: ${msg}`);
    }
    const r = req.data;
    return {
      name: c.name ?? `${r.subject.id} ${r.action.name} ${r.resource.id}`,
      request: r,
      expect: c.expect,
      ...(c.reason ? { reason: c.reason } : {}),
    };
  });
  return { ...(parsed.data.at ? { at: parsed.data.at } : {}), cases };
}
