import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ingestFiles, judgeAndSave, runAfterIngest } from './ingest-command.js';
import type { CliContext } from './main.js';
import { projectRoot } from './project-root.js';
import { render } from './output.js';
import { findingColumns, findingJson } from './present.js';

/** The bundled example estate, ingested in this order (the order does not change the result). */
export const EXAMPLE_DIR = join(projectRoot(), 'examples', 'estate');

/**
 * How the demo loads the estate: each export with its generation time. It lies beside the
 * folder, not in it, so that `roster ingest examples/estate/` reads exports only.
 */
export const EXAMPLE_MANIFEST = join(projectRoot(), 'examples', 'estate-manifest.yaml');

/** The instant the example estate is judged at, so that its findings are reproducible. */
export const EXAMPLE_NOW = '2026-12-01T12:00:00.000Z';

export function registerDemo(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('load the bundled example estate, then print the inventory summary and findings')
    .option('--now <time>', 'judge as of this instant', EXAMPLE_NOW)
    .action(async (opts: { now: string }) => {
      if (!existsSync(EXAMPLE_DIR)) throw new Error(`example estate not found at ${EXAMPLE_DIR}`);
      const app = await ctx.open();
      try {
        const clock = ctx.clock(opts.now);
        const before = Object.values(await app.store.countRecords()).reduce((a, n) => a + n, 0);
        const outcomes = [];
        for (const e of readManifest(EXAMPLE_MANIFEST)) {
          const zone = e.timezone ? { timezone: e.timezone } : {};
          const flags = { quiet: true, asOf: e.asOf, ...zone };
          const file = join(EXAMPLE_DIR, e.file);
          outcomes.push(...(await ingestFiles(app, [file], flags, clock, ctx.err)));
        }
        for (const o of outcomes) {
          if (o.error) ctx.err(`error: ${o.file}: ${o.error}`);
        }
        await judgeAndSave(app, clock.now());
        const findings = await app.store.listFindings({});
        // The same after-ingest steps as `roster ingest`: the CMDB example retires report-gen-02,
        // so its offboarding plan exists as soon as the demo is loaded.
        const runIds = outcomes.flatMap((o) => (o.result ? [o.result.run.id] : []));
        const delivered = await runAfterIngest(app, runIds, clock.now(), ctx);
        const counts = await app.store.countRecords();
        ctx.out(`Roster example estate loaded into ${app.dbPath} (judged at ${clock.now()})`);
        if (before > 0) {
          ctx.out(`note: ${app.dbPath} already held ${before} records (an earlier demo or other ` +
            'ingests); the figures below are of the whole database (--db selects another file)');
        }
        ctx.out(
          `inventory: ${counts['asset'] ?? 0} assets, ${counts['identity'] ?? 0} identities, ` +
            `${counts['credential'] ?? 0} credentials, ${counts['owner'] ?? 0} owners ` +
            `from ${outcomes.length} exports`,
        );
        ctx.out(await summaryTable(app));
        ctx.out('');
        ctx.out(`findings (${findings.length}):`);
        const sorted = [...findings].sort((a, b) =>
          SEV.indexOf(a.severity) - SEV.indexOf(b.severity) || a.kind.localeCompare(b.kind));
        ctx.out(render('table', sorted, findingColumns, findingJson, ctx.color));
        ctx.out('');
        ctx.out("next: 'npx roster assets', 'npx roster findings --kind orphaned-credential', " +
          "'npx roster show <key>'");
        if (outcomes.some((o) => o.error) || !delivered) ctx.exitCode = 1;
      } finally {
        await app.close();
      }
    });
}

const SEV = ['critical', 'high', 'medium', 'low', 'info'];

const manifestSchema = z.object({
  exports: z.array(
    z.object({ file: z.string(), asOf: z.string(), timezone: z.string().optional() }).strict(),
  ),
});

/**
 * An estate's manifest: each export (a file name in EXAMPLE_DIR) with its generation time
 * (the formats carry none).
 */
export function readManifest(path: string): z.infer<typeof manifestSchema>['exports'] {
  const parsed = manifestSchema.safeParse(parseYaml(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.message}`);
  return parsed.data.exports;
}

async function summaryTable(app: import('../app.js').App): Promise<string> {
  const by: Record<string, Record<string, number>> = {};
  for await (const page of app.store.scanRecords('asset')) {
    for (const r of page) {
      const row = (by[r.admission] ??= {});
      row[r.lifecycle ?? 'unknown'] = (row[r.lifecycle ?? 'unknown'] ?? 0) + 1;
    }
  }
  const lines = Object.entries(by)
    .sort()
    .map(([adm, stages]) => `  ${adm.padEnd(9)} ${Object.entries(stages).sort()
      .map(([s, n]) => `${s}=${n}`).join(' ')}`);
  return ['assets by admission and lifecycle:', ...lines].join('\n');
}
