import type { Command } from 'commander';
import { parseAsOf } from './ingest-command.js';
import type { CliContext } from './main.js';
import { loadWatchConfig } from './watch-config.js';
import { Watcher } from './watch-loop.js';

export function registerWatch(program: Command, ctx: CliContext): void {
  program
    .command('watch')
    .description('re-read configured sources on their intervals, re-judge, move offboarding on')
    .argument('<config>', 'watch configuration (YAML): sources with path or command and every')
    .option('--once', 'one pass, then exit')
    .option('--now <time>', 'with --once: as of this instant instead of the clock')
    .action(async (file: string, opts: { once?: boolean; now?: string }) => {
      const config = loadWatchConfig(file);
      const fixed = parseAsOf(opts.now, '--now');
      if (fixed && !opts.once) {
        throw new Error('--now needs --once: a fixed clock would never move');
      }
      const app = await ctx.open();
      const watcher = new Watcher(app, config, ctx.clock(fixed), ctx.err);
      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        if (opts.once) {
          const r = await watcher.tick();
          for (const s of r.sources) {
            ctx.out(`${s.name}: ${s.outcome}${s.error ? ` (${s.error})` : ''}`);
            if (s.outcome === 'failed') ctx.exitCode = 1;
          }
          for (const s of r.silent) ctx.out(`${s.name}: silent since ${s.lastFreshAt ?? 'start'}`);
          if (r.judged) ctx.out(`judged at ${r.at}: ${r.findings} open finding(s)`);
        } else {
          ctx.err(`watching ${config.sources.length} source(s) from ${file}; Ctrl-C stops`);
          await watcher.run(stop.signal);
          ctx.err('stopped');
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await app.close();
      }
    });
}
