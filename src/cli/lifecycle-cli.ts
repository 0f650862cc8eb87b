import type { Command } from 'commander';
import { lifecycleOf } from '../lifecycle-app.js';
import { readEvents } from '../lifecycle/cloudevents.js';
import { registerAdmission, oneRecord } from './admission-cli.js';
import { registerAttest } from './attest-cli.js';
import { parseAsOf } from './ingest-command.js';
import type { CliContext } from './main.js';
import { registerOffboarding } from './offboarding-cli.js';
import { parseCount, parseOutputFormat, render } from './output.js';
import { registerWatch } from './watch-cli.js';
import { withApp } from './with-app.js';

/**
 * The lifecycle commands (issue #5): admit, reject, retire, transition, attest, offboard,
 * offboarding, evidence, transitions, events, watch.
 */
export function registerLifecycleCommands(program: Command, ctx: CliContext): void {
  registerAdmission(program, ctx);
  registerAttest(program, ctx);
  registerOffboarding(program, ctx);
  registerWatch(program, ctx);
  registerHistory(program, ctx);
}

function registerHistory(program: Command, ctx: CliContext): void {
  program
    .command('deliver')
    .description('send what is due in the outbox and move offboarding plans forward (a watch tick)')
    .option('--now <time>', 'as of this instant instead of the clock')
    .action(async (opts: { now?: string }) => {
      const now = ctx.clock(parseAsOf(opts.now, '--now')).now();
      await withApp(ctx, async (app) => {
        const r = await lifecycleOf(app).cycle(now);
        const d = r.drained;
        ctx.out(`delivered ${d.delivered.length}, retrying ${d.retrying.length}, ` +
          `failed ${d.failed.length}; confirmed ${r.advanced.confirmed.length} action(s), ` +
          `completed ${r.advanced.completed.length} plan(s)`);
        for (const f of [...d.retrying, ...d.failed]) ctx.err(`${f.target} ${f.id}: ${f.error}`);
        if (d.failed.length > 0) ctx.exitCode = 1;
      });
    });

  program
    .command('transitions')
    .description('admission and lifecycle moves: who, when, why, from which source; flagged ones')
    .argument('[key]', 'only this record')
    .option('--flagged', 'only moves the state machine does not allow (reported by sources)')
    .option('-o, --output <format>', 'table, json or csv', 'table')
    .action(async (key: string | undefined, opts: { flagged?: boolean; output?: string }) => {
      const format = parseOutputFormat(opts.output);
      await withApp(ctx, async (app) => {
        const id = key ? (await oneRecord(app, key)).id : undefined;
        const rows = (await lifecycleOf(app).ctx.lifecycle.listTransitions(id))
          .filter((t) => !opts.flagged || !t.legal);
        ctx.out(render(format, rows, [
          { header: 'AT', value: (t) => t.at },
          { header: 'RECORD', value: (t) => t.recordName },
          { header: 'MOVE',
            value: (t) => `${t.dimension} ${t.from ?? '(none)'} → ${t.to ?? '(none)'}` },
          { header: 'SOURCE', value: (t) => t.source + (t.by ? ` by ${t.by}` : '') },
          { header: 'REASON', value: (t) => t.reason ?? '' },
          { header: 'FLAG', value: (t) => (t.legal ? '' : `illegal: ${t.note}`) },
          { header: 'RUN', value: (t) => t.runId ?? '' },
        ], (t) => t, ctx.color));
      });
    });

  program
    .command('events')
    .description('inventory change events as CloudEvents 1.0, oldest first')
    .option('--after <seq>', 'only events after this sequence number', '0')
    .option('--limit <n>', 'at most this many', '1000')
    .option('-o, --output <format>', 'table, json or csv', 'table')
    .action(async (opts: { after: string; limit: string; output?: string }) => {
      const format = parseOutputFormat(opts.output);
      const after = parseCount(opts.after, '--after', 0) ?? 0;
      const limit = parseCount(opts.limit, '--limit') ?? 1000;
      await withApp(ctx, async (app) => {
        const events = await readEvents(app.store, after, {
          limit,
          source: app.config.lifecycle.eventSource,
        });
        ctx.out(render(format, events, [
          { header: 'SEQ', value: (e) => String(e['rosterseq']) },
          { header: 'TIME', value: (e) => e.time },
          { header: 'TYPE', value: (e) => e.type },
          { header: 'SUBJECT', value: (e) => e.subject ?? '' },
          { header: 'DATA', value: (e) => JSON.stringify(e.data), width: 80 },
        ], (e) => e, ctx.color));
      });
    });
}
