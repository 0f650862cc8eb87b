/**
 * `npm run bench:ingest [-- --records 1000000] [--keep]`: generates a synthetic estate in the
 * four issue-2 formats, ingests and judges it with Roster, inserts the same records raw with
 * better-sqlite3, and prints both side by side. Each side runs in a child process of its own,
 * one after the other on the same machine, so that each peak memory figure is its own.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBaseline, type BaselineResult } from './baseline-phase.js';
import { estateExports } from './estate-files.js';
import { planEstate } from './estate-plan.js';
import { now, seconds } from './measure.js';
import { runParsers, type ParseTime } from './parse-phase.js';
import { printReport } from './report.js';
import { runRoster, type RosterResult } from './roster-phase.js';

interface Args {
  records: number;
  keep: boolean;
  parsers: boolean;
  phase?: 'roster' | 'baseline' | 'parse';
  dir?: string;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { records: 100_000, keep: false, parsers: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--records') args.records = Number(String(argv[++i]).replaceAll('_', ''));
    else if (a === '--keep') args.keep = true;
    else if (a === '--parsers') args.parsers = true;
    else if (a === '--phase') args.phase = argv[++i] as Args['phase'];
    else if (a === '--dir') args.dir = argv[++i];
    else throw new Error(`unknown argument ${a}; use --records N, --keep, --parsers`);
  }
  return args;
}

/** Runs one side in a fresh process and reads the JSON it prints last. */
function child<T>(phase: string, dir: string, records: number): T {
  const script = fileURLToPath(import.meta.url);
  const argv = [...process.execArgv, script, '--phase', phase, '--dir', dir, '--records', String(records)];
  const out = spawnSync(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 << 20, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`${phase} phase failed (exit ${out.status})`);
  const last = out.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as T;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.phase === 'roster') {
    return void console.log(JSON.stringify(await runRoster(args.dir!, args.records)));
  }
  if (args.phase === 'baseline') {
    return void console.log(JSON.stringify(runBaseline(args.dir!, args.records)));
  }
  if (args.phase === 'parse') {
    return void console.log(JSON.stringify(await runParsers(args.dir!, args.records)));
  }
  const plan = planEstate(args.records);
  const loadBefore = loadavg()[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'roster-bench-'));
  try {
    process.stderr.write(`generating ${plan.records} records into ${dir} ...\n`);
    const start = now();
    const exports = estateExports(plan);
    let bytes = 0;
    for (const e of exports) bytes += e.write(dir);
    const generate = seconds(start);
    process.stderr.write('ingesting and judging with Roster ...\n');
    const roster = child<RosterResult>('roster', dir, args.records);
    process.stderr.write('inserting the same records raw (baseline) ...\n');
    const baseline = child<BaselineResult>('baseline', dir, args.records);
    const parsers = args.parsers ? child<ParseTime[]>('parse', dir, args.records) : undefined;
    printReport({ plan, files: exports.length, bytes, generate, roster, baseline, parsers,
      cpus: availableParallelism(), loadBefore });
  } finally {
    if (args.keep) process.stderr.write(`kept ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exitCode = 1;
});
