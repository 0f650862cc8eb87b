import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { pc } from './paint.js';
import { decisionLogOf } from '../decide-app.js';
import { authzenResponse, type Decision } from '../decide/decision.js';
import { logItem, type DecisionLogItem } from '../decide/log-item.js';
import { describeIssues, evaluationSchema, type EvaluationRequest } from '../decide/request.js';
import type { App } from '../app.js';
import { recordsByRef } from '../lookup/records-by-ref.js';
import { RosterError } from '../model/errors.js';
import { whyUnreadable } from '../model/text-file.js';
import type { CliContext } from './main.js';
import { openPdp, shown, type PolicyFlags } from './open-pdp.js';
import { json, OutputFormatError, table } from './output.js';
import { registerPolicy } from './policy-cli.js';

/** Exit code of `roster decide` for a deny: not 1 (a failure) nor 2 (a usage error). */
export const DENY_EXIT = 3;

/** `roster decide`, `roster decisions` and `roster policy validate|test`. */
export function registerDecide(program: Command, ctx: CliContext): void {
  registerPolicy(program, ctx);
  program
    .command('decide')
    .description('decide one AuthZEN evaluation request against the inventory, without a server')
    .argument('[file]', "JSON request (AuthZEN evaluation); '-' or none reads standard input")
    .option('-o, --output <format>', 'text or json (the AuthZEN response)', 'text')
    .option('--as-of <time>', 'decide as of this instant (default: now)')
    .option('--policies <dir>', 'a folder of .cedar files added to the default policies')
    .option('--replace-defaults', 'use only the files of --policies, not the default set')
    .option('--no-log', 'do not keep the decision in the decision log')
    .addHelpText('after', `
Exit codes: 0 allowed, ${DENY_EXIT} denied, 2 a bad request or policy set, 1 any other failure.`)
    .action(async (file: string | undefined, opts: DecideFlags) => {
      const format = outputOf(opts.output, ['text', 'json']);
      const req = readRequest(file);
      const app = await ctx.open();
      try {
        const pdp = await openPdp(app, opts.asOf, opts, ctx);
        try {
          const d = await pdp.service.decide(req, { log: opts.log });
          ctx.out(format === 'json' ? json(authzenResponse(d)) : explain(d, ctx.color));
          if (!d.decision) ctx.exitCode = DENY_EXIT;
        } finally {
          pdp.close();
        }
      } finally {
        await app.close();
      }
    });

  program
    .command('decisions')
    .description('list the decision log, newest first')
    .option('-o, --output <format>', 'table or json', 'table')
    .option('--decision <outcome>', 'allow or deny')
    .option('--subject <id>', 'the subject id as requests named it')
    .option('--record <key>', 'an inventory record, by id or any key, as subject or resource')
    .option('--limit <n>', 'at most this many', '50')
    .action(async (opts: DecisionsFlags) => {
      const format = outputOf(opts.output, ['table', 'json']);
      const decision = outcomeOf(opts.decision);
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
        throw new RosterError('BAD_INPUT',
          `--limit must be a whole number from 1 to 10000 (got '${opts.limit}')`);
      }
      const app = await ctx.open();
      try {
        const record = opts.record ? await recordIdOf(app, opts.record) : undefined;
        const rows = decisionLogOf(app).list({
          limit,
          ...(decision !== undefined ? { decision } : {}),
          ...(opts.subject ? { subject: opts.subject } : {}),
          ...(record ? { record } : {}),
        });
        const items = rows.map(logItem);
        ctx.out(format === 'json' ? json(items) : decisionTable(items, ctx.color));
      } finally {
        await app.close();
      }
    });
}

interface DecisionsFlags {
  output?: string;
  decision?: string;
  subject?: string;
  record?: string;
  limit: string;
}

interface DecideFlags extends PolicyFlags {
  output?: string;
  asOf?: string;
  log: boolean;
}

/**
 * The record id `--record` means: the one record its id or key names, else the text itself
 * (the id of a record merged or gone since, which old decisions still name).
 */
async function recordIdOf(app: App, ref: string): Promise<string> {
  const found = await recordsByRef(app.store, ref);
  if (found.length === 0) return ref;
  if (found.length === 1) return found[0]!.id;
  const ids = found.slice(0, 10).map((r) => `${r.id} (${r.name})`).join(', ');
  throw new RosterError('BAD_INPUT', `--record ${ref}: ${found.length} records have this key ` +
    `(${ids}); pass a record id`);
}

function outputOf(v: string | undefined, allowed: readonly string[]): string {
  const f = v ?? allowed[0]!;
  if (!allowed.includes(f)) {
    throw new OutputFormatError(f, allowed);
  }
  return f;
}

function outcomeOf(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (v === 'allow' || v === 'deny') return v === 'allow';
  throw new RosterError('BAD_INPUT', `--decision must be allow or deny (got '${v}')`);
}

/** Reads and checks the request; every problem names the input and the field. */
export function readRequest(file: string | undefined, text?: string): EvaluationRequest {
  const name = !file || file === '-' ? 'standard input' : file;
  if (!file && text === undefined && process.stdin.isTTY) {
    throw new RosterError('BAD_INPUT',
      "give an AuthZEN request file, or pipe one in ('roster decide -' reads the terminal)");
  }
  let raw: string;
  try {
    raw = text ?? readFileSync(!file || file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new RosterError('BAD_INPUT', `${name}: cannot be read (${whyUnreadable(err)})`);
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (err) {
    throw new RosterError('BAD_INPUT', `${name}: not JSON (${(err as Error).message})`);
  }
  const holder = typeof body === 'object' && body !== null ? body as Record<string, unknown> : {};
  const batch = holder['evaluations'];
  if ('evaluations' in holder && !Array.isArray(batch)) {
    throw new RosterError('BAD_INPUT', `${name}: evaluations: not a list (as the API's ` +
      'POST /access/v1/evaluations requires)');
  }
  // An empty batch is one evaluation (AuthZEN 1.0 section 7.1), as the API answers it.
  if (Array.isArray(batch) && batch.length > 0) {
    throw new RosterError('BAD_INPUT', `${name}: holds an evaluations batch; roster decide takes ` +
      'one evaluation (send batches to POST /access/v1/evaluations)');
  }
  const parsed = evaluationSchema.safeParse(body);
  if (!parsed.success) {
    throw new RosterError('BAD_INPUT',
      `${name}: not an AuthZEN evaluation request: ${describeIssues(parsed.error)}`);
  }
  return parsed.data;
}

/** A decision for people: outcome, why in words, reasons, deciding policies, facts used. */
export function explain(d: Decision, color: boolean): string {
  const item = logItem({ id: d.id, at: d.at, decision: d.decision, reason: d.reason,
    subjectType: d.subject.type, subjectId: d.subject.id, resourceType: d.resource.type,
    resourceId: d.resource.id, action: d.action, body: { decision: d } });
  const verdict = d.decision ? 'ALLOW' : 'DENY';
  const head = `${color ? (d.decision ? pc.green : pc.red)(pc.bold(verdict)) : verdict}  ` +
    `${d.subject.type} ${d.subject.id}  ${d.action}  ${d.resource.type} ${d.resource.id}`;
  const lines = [head, `  ${d.message}`, `  decision ${d.id} at ${d.at}` +
    (d.policySet ? `, policy set ${d.policySet}` : ''), '', 'reasons:'];
  for (const r of item.reasons) lines.push(`  ${r.code.padEnd(24)} ${r.message}`);
  if (d.policies.length > 0) {
    lines.push('', 'policies:');
    for (const p of d.policies) lines.push(`  ${p.effect.padEnd(6)} ${p.id}  (${shown(p.file)})`);
  }
  if (d.facts.length > 0) {
    lines.push('', 'facts:');
    for (const f of d.facts) {
      const asOf = f.asOf ? ` as of ${f.asOf}` : '';
      lines.push(`  ${f.text}`, `    ${color ? pc.dim(`${f.source} ${f.field}${asOf}`) :
        `${f.source} ${f.field}${asOf}`}`);
    }
  }
  if (d.errors.length > 0) {
    lines.push('', 'policy errors:');
    for (const e of d.errors) lines.push(`  ${e.policyId}: ${e.message}`);
  }
  return lines.join('\n');
}

function decisionTable(items: readonly DecisionLogItem[], color: boolean): string {
  return table(items, [
    { header: 'ID', value: (i) => i.id },
    { header: 'AT', value: (i) => i.at },
    { header: 'DECISION', value: (i) => (i.decision ? 'allow' : 'deny'),
      color: (s, i) => (i.decision ? pc.green(s) : pc.red(s)) },
    { header: 'SUBJECT', value: (i) => `${i.subject.type} ${i.subject.id}` },
    { header: 'ACTION', value: (i) => i.action.name },
    { header: 'RESOURCE', value: (i) => `${i.resource.type} ${i.resource.id}` },
    { header: 'REASONS', value: (i) => i.reasons.map((r) => r.code).join(', ') },
  ], color);
}
