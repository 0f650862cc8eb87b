import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { App } from '../app.js';
import { lifecycleOf } from '../lifecycle-app.js';
import { awaitsAdmission, readAdmissionFile } from '../lifecycle/admission.js';
import {
  actorProblem,
  checkDecision,
  refusedText,
  type Actor,
  type Decision,
} from '../lifecycle/decisions.js';
import { decide } from '../lifecycle/operator.js';
import { isLifecycleStage } from '../lifecycle/stages.js';
import { recordsByRef } from '../lookup/records-by-ref.js';
import { RosterError } from '../model/errors.js';
import type { InventoryRecord } from '../model/record.js';
import { readTextFile } from '../model/text-file.js';
import { LIFECYCLE_STAGES } from '../model/types.js';
import { describeProblem, judgeAndSave, parseAsOf, runAfterIngest } from './ingest-command.js';
import type { CliContext } from './main.js';
import { parseOutputFormat, render } from './output.js';
import { recordJson } from './present.js';
import { withApp } from './with-app.js';

export interface ActorFlags {
  readonly by?: string;
  readonly reason?: string;
  readonly now?: string;
}

/** Who acts: `--by`, else ROSTER_ACTOR, else the login name. */
export function actorOf(flags: ActorFlags, ctx: CliContext): Actor {
  const by = flags.by ?? process.env['ROSTER_ACTOR'] ?? safeUser();
  const at = ctx.clock(parseAsOf(flags.now, '--now')).now();
  return { by, at, ...(flags.reason ? { reason: flags.reason } : {}) };
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'operator';
  }
}

/** The one asset or identity a key names; none or several is an error naming the key. */
export async function oneRecord(app: App, key: string): Promise<InventoryRecord> {
  const found = (await recordsByRef(app.store, key)).filter(
    (r) => r.kind === 'asset' || r.kind === 'identity',
  );
  if (found.length === 0) {
    throw new RosterError('NOT_FOUND', `no asset or identity has the key '${key}'`);
  }
  if (found.length > 1) {
    const ids = found.map((r) => `${r.id} (${r.name})`).join(', ');
    const message = `'${key}' names ${found.length} records: ${ids}; use a record id`;
    throw new RosterError('CONFLICT', message);
  }
  return found[0]!;
}

/**
 * Applies decisions, then judges and runs the after-ingest steps as an ingest would. The
 * decisions stay committed when delivery cannot start; the command then exits 1.
 */
export async function applyDecisions(
  app: App,
  items: { record: InventoryRecord; decision: Decision }[],
  actor: Actor,
  ctx: CliContext,
): Promise<string> {
  const result = await decide(lifecycleOf(app).ctx, items, actor);
  await judgeAndSave(app, actor.at);
  if (!(await runAfterIngest(app, [result.run.id], actor.at, ctx))) ctx.exitCode = 1;
  return result.run.id;
}

const actorOptions = (c: Command): Command =>
  c.option('--by <name>', 'who decides (default: ROSTER_ACTOR or the login name)')
    .option('--now <time>', 'decide as of this instant instead of the clock');

export function registerAdmission(program: Command, ctx: CliContext): void {
  actorOptions(program
    .command('admit')
    .description('admit an unknown asset or identity with an owner and a purpose; no key: queue')
    .argument('[key]', 'record id, type:value or any key value')
    .option('--owner <owner>', 'accountable person or team')
    .option('--purpose <text>', 'what it is for')
    .option('--reason <text>', 'why (kept with the decision)')
    .option('--file <path>', 'bulk admission: CSV key,owner,purpose[,reason] or a YAML/JSON list')
    .option('-o, --output <format>', 'table, json or csv (queue)', 'table'))
    .action(async (key: string | undefined, opts: Record<string, string | undefined>) => {
      await withApp(ctx, async (app) => {
        if (opts['file']) return admitFile(app, opts['file'], opts, ctx);
        if (!key) return printQueue(app, opts['output'], ctx);
        if (!opts['owner'] || !opts['purpose']) {
          throw new RosterError('BAD_INPUT', 'admit needs --owner and --purpose');
        }
        const record = await oneRecord(app, key);
        const { owner, purpose } = opts;
        const decision: Decision = { type: 'admit', owner, purpose };
        const run = await applyDecisions(app, [{ record, decision }], actorOf(opts, ctx), ctx);
        ctx.out(`admitted ${record.name} (${record.id}) owned by ${opts['owner']} [${run}]`);
      });
    });

  actorOptions(program
    .command('reject')
    .description('refuse an unknown asset or identity: it starts decommissioning')
    .argument('<key>', 'record id, type:value or any key value')
    .option('--reason <text>', 'why'))
    .action(async (key: string, opts: ActorFlags) => {
      await withApp(ctx, async (app) => {
        const record = await oneRecord(app, key);
        const decision: Decision = { type: 'reject' };
        const run = await applyDecisions(app, [{ record, decision }], actorOf(opts, ctx), ctx);
        ctx.out(`rejected ${record.name} (${record.id}): decommissioning [${run}]`);
        await printPlanOf(app, record.id, ctx);
      });
    });

  for (const name of ['retire', 'transition'] as const) {
    actorOptions(program
      .command(name)
      .description(name === 'retire'
        ? 'retire an asset or identity (or --to decommissioning): starts offboarding'
        : 'move an asset or identity to another lifecycle stage')
      .argument('<key>', 'record id, type:value or any key value')
      .option('--to <stage>', `one of ${LIFECYCLE_STAGES.join(', ')}`,
        name === 'retire' ? 'retired' : undefined)
      .option('--reason <text>', 'why'))
      .action(async (key: string, opts: ActorFlags & { to?: string }) => {
        if (!isLifecycleStage(opts.to)) {
          throw new RosterError('BAD_INPUT', `--to must be one of ${LIFECYCLE_STAGES.join(', ')}`);
        }
        const to = opts.to;
        await withApp(ctx, async (app) => {
          const record = await oneRecord(app, key);
          const decision: Decision = { type: 'transition', to };
          const run = await applyDecisions(app, [{ record, decision }], actorOf(opts, ctx), ctx);
          const from = record.lifecycle ?? '(none)';
          ctx.out(`${record.name} (${record.id}): ${from} → ${to} [${run}]`);
          await printPlanOf(app, record.id, ctx);
        });
      });
  }
}

async function printPlanOf(app: App, recordId: string, ctx: CliContext): Promise<void> {
  const lc = lifecycleOf(app).ctx.lifecycle;
  const plans = await lc.listPlans({ subjectId: recordId });
  for (const p of plans) {
    ctx.out(`offboarding plan ${p.id} (${p.state}): ${p.actions.length} action(s), ` +
      `${p.shared.length} shared identit${p.shared.length === 1 ? 'y' : 'ies'} flagged — ` +
      `see 'roster offboarding --plan ${p.id}'`);
  }
}

async function printQueue(app: App, output: string | undefined, ctx: CliContext): Promise<void> {
  const format = parseOutputFormat(output);
  const rows: InventoryRecord[] = [];
  for await (const page of app.store.scanRecords()) rows.push(...page.filter(awaitsAdmission));
  ctx.out(render(format, rows, [
    { header: 'KIND', value: (r) => r.kind },
    { header: 'NAME', value: (r) => r.name },
    { header: 'SEEN BY', value: (r) => [...new Set(r.sightings.map((s) => s.source))].join(',') },
    { header: 'FIRST SEEN', value: (r) => r.firstSeen.slice(0, 10) },
    { header: 'ID', value: (r) => r.id },
  ], recordJson, ctx.color));
}

async function admitFile(
  app: App,
  file: string,
  flags: Record<string, string | undefined>,
  ctx: CliContext,
): Promise<void> {
  const text = readTextFile(file, 'admission file', 'BAD_INPUT');
  const { rows, rejections } = readAdmissionFile(file, text);
  const total = rows.length + rejections.length;
  const items: { record: InventoryRecord; decision: Decision }[] = [];
  const actor = actorOf(flags, ctx);
  // --by and --reason go with every row: one holding a secret refuses the command.
  const problem = actorProblem(actor);
  if (problem) throw refusedText(problem);
  for (const row of rows) {
    const decision: Decision = { type: 'admit', owner: row.owner, purpose: row.purpose,
      ...(row.reason ? { reason: row.reason } : {}) };
    try {
      const record = await oneRecord(app, row.key);
      checkDecision(record, decision);
      items.push({ record, decision });
    } catch (err) {
      if (!(err instanceof RosterError)) throw err;
      rejections.push({ file, line: row.line, field: 'key', code: err.code, message: err.message });
    }
  }
  for (const r of rejections) ctx.err(`rejected: ${describeProblem(r)}`);
  if (items.length > 0) {
    const run = await applyDecisions(app, items, actor, ctx);
    ctx.out(`admitted ${items.length} of ${total} row(s) from ${file} [${run}]`);
  } else {
    ctx.out(`nothing admitted from ${file}`);
  }
  if (rejections.length > 0) ctx.exitCode = 1;
}
