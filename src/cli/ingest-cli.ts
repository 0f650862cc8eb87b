import type { Command } from 'commander';
import { pc } from './paint.js';
import type { App } from '../app.js';
import {
  describeProblem, ingestFiles, judgeAndSave, parseAsOf, runAfterIngest, type FileOutcome,
} from './ingest-command.js';
import type { IngestResult } from '../reconcile/ingest.js';
import type { CliContext } from './main.js';
import { parseCount, table } from './output.js';
import { splitTypes } from '../sources/format.js';
import { formatByName, typesProblem } from '../sources/registry.js';
import { RosterError } from '../model/errors.js';
import { userScopeProblem } from '../model/scopes.js';
import { isKnownZone } from '../model/time.js';

interface IngestOpts {
  format?: string;
  asOf?: string;
  now?: string;
  scope?: string;
  timezone?: string;
  mapping?: string;
  complete?: boolean;
  partial?: boolean;
  types?: string;
  judge: boolean;
  quiet?: boolean;
  maxProblems: string;
}

export function registerIngest(program: Command, ctx: CliContext): void {
  program
    .command('ingest')
    .description('read exports into the inventory, one run per file, then judge')
    .argument('<files...>', 'export files or folders')
    .option('--format <name>', "force a format (see 'roster sources')")
    .option('--as-of <time>', 'generation time of exports that do not carry one (ISO 8601)')
    .option('--now <time>', 'judge as of this instant instead of the clock')
    .option('--scope <scope>', 'scope when the export does not say (cluster, CMDB instance)')
    .option('--timezone <zone>', 'IANA zone of times written without an offset')
    .option('--mapping <file>', 'mapping file for mapped-csv / mapped-json / CMDB columns')
    .option('--complete', 'the export lists everything in its scopes (marks the rest missing)')
    .option('--partial', 'the export lists only part of its scopes (marks nothing missing)')
    .option('--types <types>', 'object types the export was asked for, comma-separated: ' +
      "gcloud's --asset-types ('*' for all), kubectl get's resources (pods,deployments)")
    .option('--no-judge', 'skip judging after the ingest')
    .option('-q, --quiet', 'no progress bar')
    .option('--max-problems <n>', 'bad rows and warnings to print per file', '20')
    .action(async (files: string[], opts: IngestOpts) => {
      checkFlags(opts);
      const app = await ctx.open();
      try {
        ctx.exitCode = await runIngest(app, files, opts, ctx);
      } finally {
        await app.close();
      }
    });
}

/** Usage errors (exit 2) found before the database is opened or any file is read. */
function checkFlags(opts: IngestOpts): void {
  parseCount(opts.maxProblems, '--max-problems', 0);
  if (opts.types !== undefined && splitTypes(opts.types).length === 0) {
    throw new RosterError('BAD_INPUT', 'option --types: no type given');
  }
  if (opts.timezone !== undefined && !isKnownZone(opts.timezone)) {
    throw new RosterError('BAD_INPUT', `option --timezone: unknown time zone '${opts.timezone}'`);
  }
  const scopeProblem = opts.scope === undefined ? undefined : userScopeProblem(opts.scope);
  if (scopeProblem) throw new RosterError('BAD_INPUT', `option --scope: ${scopeProblem}`);
  if (opts.format === undefined) return;
  try {
    formatByName(opts.format);
  } catch (err) {
    if (!(err instanceof RosterError)) throw err;
    throw new RosterError('BAD_INPUT', `option --format: ${err.message}`);
  }
  const types = opts.types === undefined ? undefined
    : typesProblem(opts.format, splitTypes(opts.types));
  if (types) throw new RosterError('BAD_INPUT', `option --types: ${types}`);
}

async function runIngest(app: App, files: string[], opts: IngestOpts, ctx: CliContext) {
  if (opts.complete && opts.partial) throw new Error('--complete and --partial exclude each other');
  const now = parseAsOf(opts.now, '--now');
  const clock = ctx.clock(now);
  const { types, ...rest } = opts;
  const flags = { ...rest, ...(types !== undefined ? { types: splitTypes(types) } : {}) };
  const outcomes = await ingestFiles(app, files, flags, clock, ctx.err);
  printOutcomes(outcomes, parseCount(opts.maxProblems, '--max-problems', 0) ?? 20, ctx);
  const runIds = outcomes.flatMap((o) => (o.result ? [o.result.run.id] : []));
  if (opts.judge && runIds.length > 0) {
    const { open, opened, closed } = await judgeAndSave(app, clock.now());
    ctx.out(
      `judged at ${clock.now()}: ${open} open finding(s), ${opened} new, ` +
        `${closed} closed — see 'roster findings'`,
    );
  }
  const delivered = await runAfterIngest(app, runIds, clock.now(), ctx);
  const bad = outcomes.some((o) => o.error || (o.result?.rejections.length ?? 0) > 0);
  return bad || !delivered ? 1 : 0;
}

function printOutcomes(outcomes: FileOutcome[], maxProblems: number, ctx: CliContext): void {
  const rows = outcomes.map((o) => ({ o, c: o.result?.counts }));
  ctx.out(
    table(
      rows,
      [
        { header: 'FILE', value: (r) => r.o.file, overflow: 'middle' },
        { header: 'FORMAT', value: (r) => r.o.format ?? '?' },
        { header: 'ADDED', value: (r) => String(r.c?.added ?? '-') },
        { header: 'CHANGED', value: (r) => String(r.c?.changed ?? '-') },
        { header: 'UNCHANGED', value: (r) => String(r.c?.unchanged ?? '-') },
        { header: 'MISSING', value: (r) => String(r.c?.missing ?? '-') },
        { header: 'REJECTED', value: (r) => String(r.c?.rejected ?? '-') },
        {
          header: 'RUN',
          value: (r) => (r.o.result ? runNote(r.o) : 'failed, nothing stored'),
          width: 120,
        },
      ],
      ctx.color,
    ),
  );
  for (const o of outcomes) {
    if (o.error) {
      const where = o.error.startsWith(o.file) ? '' : `${o.file}: `;
      ctx.err(`${ctx.color ? pc.red('error') : 'error'}: ${where}${o.error}`);
    }
    const problems = [
      ...(o.result?.rejections ?? []).map((p) => `rejected: ${describeProblem(p)}`),
      ...(o.result?.warnings ?? []).map((p) => `warning: ${describeProblem(p)}`),
    ];
    for (const line of problems.slice(0, maxProblems)) ctx.err(line);
    if (problems.length > maxProblems) {
      ctx.err(`... and ${problems.length - maxProblems} more for ${o.file} (--max-problems)`);
    }
  }
}

function runNote(o: FileOutcome): string {
  const r = o.result!;
  const older = r.counts.older > 0 ? `, ${r.counts.older} older than stored (ignored)` : '';
  return `${r.run.id} as of ${r.run.asOf} (${r.run.asOfOrigin}), ${completeness(r)}${older}`;
}

/** Why a run marks nothing missing: refused rows make any run partial (DESIGN.md rule 3). */
function completeness(r: IngestResult): string {
  if (r.run.complete) return 'complete';
  const refused = r.counts.rejected;
  return refused > 0 ? `partial: ${refused} row${refused === 1 ? '' : 's'} refused` : 'partial';
}
