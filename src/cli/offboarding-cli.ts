import type { Command } from 'commander';
import type { App } from '../app.js';
import { dryRun } from '../executors/dry-run.js';
import { lifecycleOf } from '../lifecycle-app.js';
import { withDeliveries } from '../lifecycle/advance.js';
import { currentEvidence, type EvidenceRecord } from '../lifecycle/evidence.js';
import type { ActionState, OffboardingAction, OffboardingPlan } from '../lifecycle/plan-types.js';
import { previewPlan } from '../lifecycle/track.js';
import { RosterError } from '../model/errors.js';
import { actorOf, oneRecord, type ActorFlags } from './admission-cli.js';
import { parseAsOf } from './ingest-command.js';
import type { CliContext } from './main.js';
import { json, parseOutputFormat, render, table } from './output.js';
import { withApp } from './with-app.js';

/** The state to show: a stored planned or sent action past its due date reads as overdue. */
export function shownState(a: OffboardingAction, now: string): ActionState {
  return (a.state === 'planned' || a.state === 'sent') && now > a.dueAt ? 'overdue' : a.state;
}

function details(a: OffboardingAction): string {
  return Object.entries(a.target.details).map(([k, v]) => `${k}=${v}`).join(' ');
}

export function registerOffboarding(program: Command, ctx: CliContext): void {
  program
    .command('offboard')
    .description('the offboarding plan a retirement of this asset or identity would start')
    .argument('<key>', 'record id, type:value or any key value')
    .option('--dry-run', 'compute and show the plan; change nothing (the only mode)')
    .option('--now <time>', 'as of this instant instead of the clock')
    .option('-o, --output <format>', 'table or json (with the CloudEvents to send)', 'table')
    .action(async (key: string, opts: ActorFlags & { dryRun?: boolean; output?: string }) => {
      if (!opts.dryRun) {
        throw new RosterError('BAD_INPUT',
          "offboard shows a plan with --dry-run; to start offboarding use 'roster retire <key>'");
      }
      const format = parseOutputFormat(opts.output, ['table', 'json']);
      await withApp(ctx, async (app) => {
        const record = await oneRecord(app, key);
        const actor = actorOf(opts, ctx);
        const c = app.config.lifecycle;
        const { plan, existing } = await previewPlan(lifecycleOf(app).ctx, record, actor.at,
          actor.by);
        if (format === 'json') {
          ctx.out(json({ plan, existing: existing !== undefined,
            events: dryRun(plan, c.eventSource) }));
          return;
        }
        if (existing) {
          const added = plan.actions.length - existing.actions.length;
          ctx.out(`dry run: ${record.name} (${record.id}) is already being offboarded by plan ` +
            `${existing.id} (${existing.state}, ${existing.actions.length} action(s)` +
            `${added > 0 ? `; the next run adds ${added}` : ''}); executor: ${c.executor}`);
        } else {
          ctx.out(`dry run: retiring ${record.name} (${record.id}) would plan ` +
            `${plan.actions.length} action(s); executor: ${c.executor}`);
        }
        printPlan(plan, actor.at, ctx);
      });
    });

  program
    .command('offboarding')
    .description('offboarding plans and the state of each action')
    .option('--plan <id>', 'only this plan, with its actions')
    .option('--state <state>', 'open or completed')
    .option('--actions', 'list every action')
    .option('--now <time>', 'as of this instant instead of the clock')
    .option('-o, --output <format>', 'table, json or csv', 'table')
    .action(async (opts: { plan?: string; state?: string; actions?: boolean; now?: string;
      output?: string }) => {
      const format = parseOutputFormat(opts.output);
      const now = ctx.clock(parseAsOf(opts.now, '--now')).now();
      await withApp(ctx, async (app) => {
        const lc = lifecycleOf(app).ctx.lifecycle;
        const stored = opts.plan
          ? [await planOrThrow(app, opts.plan)]
          : await lc.listPlans(opts.state === 'open' || opts.state === 'completed'
            ? { state: opts.state } : {});
        const plans = await Promise.all(stored.map((p) => withDeliveries(lc, p)));
        if (format === 'json') return ctx.out(json(plans));
        if (opts.plan || opts.actions) {
          for (const p of plans) printPlan(p, now, ctx);
          return;
        }
        ctx.out(render(format, plans, planColumns(now), (p) => p, ctx.color));
      });
    });

  program
    .command('evidence')
    .description('the evidence record of an offboarding plan (NHI1:2025, NHI7:2025, ID.AM-08)')
    .argument('<plan>', 'plan id, or a key of the retired record')
    .option('--now <time>', 'as of this instant instead of the clock')
    .option('-o, --output <format>', 'table or json', 'table')
    .action(async (ref: string, opts: { now?: string; output?: string }) => {
      const format = parseOutputFormat(opts.output, ['table', 'json']);
      const now = ctx.clock(parseAsOf(opts.now, '--now')).now();
      await withApp(ctx, async (app) => {
        const plan = await planOrThrow(app, ref);
        const stored = await lifecycleOf(app).ctx.lifecycle.getEvidence(plan.id);
        const evidence = currentEvidence(plan, stored, now);
        if (format === 'json') return ctx.out(json(evidence));
        printEvidence(evidence, ctx);
      });
    });
}

/** A plan by id, else the newest plan of the record a key names. */
async function planOrThrow(app: App, ref: string): Promise<OffboardingPlan> {
  const lc = lifecycleOf(app).ctx.lifecycle;
  const byId = await lc.getPlan(ref);
  if (byId) return byId;
  const record = await oneRecord(app, ref).catch(() => undefined);
  const plans = record ? await lc.listPlans({ subjectId: record.id }) : [];
  const last = plans[plans.length - 1];
  if (!last) throw new RosterError('NOT_FOUND', `no offboarding plan '${ref}'`);
  return last;
}

function planColumns(now: string) {
  const count = (p: OffboardingPlan, s: ActionState): string =>
    String(p.actions.filter((a) => shownState(a, now) === s).length);
  return [
    { header: 'PLAN', value: (p: OffboardingPlan) => p.id },
    { header: 'SUBJECT', value: (p: OffboardingPlan) => `${p.subject.kind}:${p.subject.name}` },
    { header: 'TRIGGER', value: (p: OffboardingPlan) =>
      `${p.trigger.to} by ${p.trigger.by ?? p.trigger.source}` },
    { header: 'STATE', value: (p: OffboardingPlan) => p.state },
    { header: 'PLANNED', value: (p: OffboardingPlan) => count(p, 'planned') },
    { header: 'SENT', value: (p: OffboardingPlan) => count(p, 'sent') },
    { header: 'CONFIRMED', value: (p: OffboardingPlan) => count(p, 'confirmed') },
    { header: 'FAILED', value: (p: OffboardingPlan) => count(p, 'failed') },
    { header: 'OVERDUE', value: (p: OffboardingPlan) => count(p, 'overdue') },
    { header: 'SHARED', value: (p: OffboardingPlan) => String(p.shared.length) },
    { header: 'CREATED', value: (p: OffboardingPlan) => p.createdAt },
  ];
}

function printPlan(plan: OffboardingPlan, now: string, ctx: CliContext): void {
  const t = plan.trigger;
  ctx.out(`plan ${plan.id} (${plan.state}): ${plan.subject.kind} ${plan.subject.name} ` +
    `${t.from ?? '(none)'} → ${t.to} per ${t.source}${t.by ? ` by ${t.by}` : ''} as of ${t.asOf}`);
  ctx.out(table(plan.actions, [
    { header: 'STATE', value: (a) => shownState(a, now) },
    { header: 'ACTION', value: (a) => a.type },
    { header: 'TARGET', value: (a) => `${a.target.kind}:${a.target.name}` },
    { header: 'IDENTIFIERS', value: details, width: 80 },
    { header: 'CONFIRMED BY', value: (a) => a.confirmation
      ? `${a.confirmation.source} ${a.confirmation.field}=${String(a.confirmation.value)} ` +
        `as of ${a.confirmation.asOf}` : '' },
    { header: 'KEY', value: (a) => a.id },
  ], ctx.color));
  for (const s of plan.shared) {
    ctx.out(`flagged, not revoked: ${s.name} (${s.recordId}) still serves ` +
      s.alsoServes.map((o) => o.name).join(', '));
  }
}

function printEvidence(e: EvidenceRecord, ctx: CliContext): void {
  ctx.out(`${e.complete ? 'evidence' : 'draft evidence (plan still open)'} ${e.planId}`);
  ctx.out(e.summary);
  const r = e.retired;
  ctx.out(`retired: ${r.kind} ${r.name} (${r.id}), ${r.transition}, ` +
    `source ${r.source}${r.by ? ` by ${r.by}` : ''}` +
    `${r.reason ? ` because ${r.reason}` : ''}, as of ${r.asOf}`);
  for (const a of e.actions) {
    const conf = a.confirmedBy
      ? `confirmed ${a.confirmedAt} by ${a.confirmedBy.source} (${a.confirmedBy.format}, run ` +
        `${a.confirmedBy.runId}, as of ${a.confirmedBy.asOf}: ${a.confirmedBy.field}=` +
        `${String(a.confirmedBy.value)})`
      : a.state;
    const sent = a.sentAt ? `sent ${a.sentAt} via ${a.sentBy}; ` : '';
    ctx.out(`  - ${a.type} ${a.target.name}: ${sent}${conf}`);
  }
  ctx.out(`references: ${e.references.join(' ')}`);
}
