import type { Command } from 'commander';
import type { App } from '../app.js';
import { judgeInventory } from '../judge-app.js';
import type { InventoryRecord } from '../model/record.js';
import type { EntityKind } from '../model/types.js';
import { FINDING_KINDS, SEVERITIES, type Finding } from '../judge/finding.js';
import { matchesByRef } from '../lookup/records-by-ref.js';
import { judgeAndSave, parseAsOf } from './ingest-command.js';
import type { CliContext } from './main.js';
import { parseChoice, parseCount, parseOutputFormat, render } from './output.js';
import { findingColumns, findingJson, recordColumns, recordJson } from './present.js';
import { renderMatches } from './show-record.js';
import { withApp } from './with-app.js';

const LISTS: [string, EntityKind, string][] = [
  ['assets', 'asset', 'list reconciled assets'],
  ['identities', 'identity', 'list identities (users, roles, service accounts, workloads)'],
  ['credentials', 'credential', 'list credentials (keys, certificates, secrets: never values)'],
  ['owners', 'owner', 'list owners and whether they are still active'],
];

export function registerQueries(program: Command, ctx: CliContext): void {
  for (const [name, kind, description] of LISTS) {
    program
      .command(name)
      .description(description)
      .option('-o, --output <format>', 'table, json or csv', 'table')
      .option('--admission <a>', 'approved, unknown or retired')
      .option('--lifecycle <stage>', 'lifecycle stage')
      .option('--environment <env>', 'environment')
      .option('--owner <owner>', 'owner name')
      .option('--search <text>', 'substring of name or any key')
      .option('--limit <n>', 'at most this many (default all)')
      .action(async (opts: Record<string, string | undefined>) => {
        const format = parseOutputFormat(opts['output']);
        const limit = parseCount(opts['limit'], '--limit') ?? Infinity;
        await withApp(ctx, async (app) => {
          const rows = await listAll(app, kind, opts, limit);
          if (format !== 'json') rows.sort(byNameThenId);
          ctx.out(render(format, rows, recordColumns(kind), recordJson, ctx.color));
        });
      });
  }

  program
    .command('findings')
    .description('list findings (open ones from the last judgement, or judged afresh at --as-of)')
    .option('-o, --output <format>', 'table, json or csv', 'table')
    .option('--kind <kind>', 'only this finding kind')
    .option('--severity <sev>', 'only this severity')
    .option('--as-of <time>', 'judge the current inventory as of this instant (not stored)')
    .option('--all', 'include closed findings')
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const format = parseOutputFormat(opts['output'] as string | undefined);
      // Checked before anything is read: a misspelt kind would list nothing and exit 0.
      parseChoice(opts['kind'] as string | undefined, '--kind', FINDING_KINDS);
      parseChoice(opts['severity'] as string | undefined, '--severity', SEVERITIES);
      await withApp(ctx, async (app) => {
        const rows = await findingsFor(app, opts);
        ctx.out(render(format, rows, findingColumns, findingJson, ctx.color));
      });
    });

  program
    .command('judge')
    .description('judge the inventory now (or --as-of) and keep the finding set')
    .option('--as-of <time>', 'judge as of this instant')
    .action(async (opts: { asOf?: string }) => {
      await withApp(ctx, async (app) => {
        const now = parseAsOf(opts.asOf) ?? ctx.clock().now();
        const { open, opened, closed } = await judgeAndSave(app, now);
        ctx.out(`${open} open finding(s): ${opened} new, ${closed} closed`);
      });
    });

  program
    .command('show')
    .description('the merged record for any key: every attribute with its sources and ' +
      'conflicts; a key several records hold shows each of them')
    .argument('<key>', 'record id, type:value, or any key value (instance id, ARN, serial, ...)')
    .option('-o, --output <format>', 'table or json', 'table')
    .action(async (key: string, opts: { output?: string }) => {
      const format = parseOutputFormat(opts.output, ['table', 'json']);
      await withApp(ctx, async (app) => {
        const found = await matchesByRef(app.store, key);
        if (found.length === 0) {
          ctx.err(`no record has the key '${key}'`);
          ctx.exitCode = 1;
          return;
        }
        // Several matches are all shown, under a line saying how many: never one of them only.
        ctx.out(await renderMatches(app, found, format, ctx.color));
      });
    });

  program
    .command('runs')
    .description('list ingest runs, newest first')
    .option('-o, --output <format>', 'table, json or csv', 'table')
    .option('--limit <n>', 'how many', '50')
    .action(async (opts: { output?: string; limit: string }) => {
      const format = parseOutputFormat(opts.output);
      const limit = parseCount(opts.limit, '--limit') ?? 50;
      await withApp(ctx, async (app) => {
        const runs = await app.store.listRuns(limit);
        ctx.out(render(format, runs, [
          { header: 'RUN', value: (r) => r.id },
          { header: 'FORMAT', value: (r) => r.format },
          { header: 'AS OF', value: (r) => `${r.asOf} (${r.asOfOrigin})` },
          { header: 'STATUS', value: (r) => r.status },
          { header: 'COMPLETE', value: (r) => String(r.complete) },
          // Refused rows and warnings, as `-o json` counts them; none counted yet: empty.
          { header: 'REJECTED', value: (r) => String(r.counts?.rejected ?? '') },
          { header: 'WARNINGS', value: (r) => String(r.counts?.warnings ?? '') },
          { header: 'SCOPES', value: (r) => r.scopes.join(' ') },
          { header: 'FILE', value: (r) => r.file, overflow: 'middle' },
        ], (r) => r, ctx.color));
      });
    });
}

async function listAll(
  app: App,
  kind: EntityKind,
  opts: Record<string, string | undefined>,
  limit: number,
) {
  const rows: InventoryRecord[] = [];
  let after: string | undefined;
  while (rows.length < limit) {
    const page = await app.store.listRecords({
      kind,
      ...pick(opts, ['admission', 'lifecycle', 'environment', 'owner', 'search']),
      limit: Math.min(1000, limit - rows.length),
      ...(after ? { after } : {}),
    });
    rows.push(...page.records);
    if (!page.next) break;
    after = page.next;
  }
  return rows;
}

function pick(o: Record<string, string | undefined>, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) if (o[n] !== undefined) out[n] = o[n]!;
  return out;
}

async function findingsFor(app: App, opts: Record<string, string | boolean | undefined>) {
  const kind = opts['kind'] as string | undefined;
  const severity = opts['severity'] as string | undefined;
  let rows: Finding[];
  if (typeof opts['asOf'] === 'string') {
    rows = await judgeInventory(app, parseAsOf(opts['asOf'])!);
  } else {
    rows = await app.store.listFindings({ status: opts['all'] ? 'all' : 'open' });
  }
  return rows
    .filter((f) => (!kind || f.kind === kind) && (!severity || f.severity === severity))
    .sort(bySeverity);
}

function byNameThenId(a: InventoryRecord, b: InventoryRecord): number {
  return a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
}

const ORDER = ['critical', 'high', 'medium', 'low', 'info'];

function bySeverity(a: Finding, b: Finding): number {
  return ORDER.indexOf(a.severity) - ORDER.indexOf(b.severity) ||
    a.kind.localeCompare(b.kind) || a.subject.name.localeCompare(b.subject.name);
}
