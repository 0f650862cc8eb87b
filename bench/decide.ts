/**
 * `npm run bench:decide [-- --assets 100000] [--seconds 6] [--connections 16] [--keep]`
 * `[--estate DIR]` (reuse the estate a `--keep` run left in DIR, built with the same --assets):
 * Roster's decision point over a generated estate, in process beside cedar-wasm, and over
 * HTTP beside a bare Node server and Cerbos, in one run; prints a table and PASS/MISS against
 * the targets of issue 3. Temporary files and child processes are removed on the way out.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiStoresOf, issueToken } from '../src/api-app.js';
import { buildEstate, NOW, openEstate, shapeOf } from './decide/estate.js';
import { runHttp, stopAll } from './decide/http.js';
import { runInProcess } from './decide/inprocess.js';
import { printReport } from './decide/report.js';
import { mixedRequests } from './decide/requests.js';
import { serveChild } from './decide/servers.js';

interface Args {
  assets: number;
  decisions: number;
  wasmDecisions: number;
  seconds: number;
  warmup: number;
  connections: number;
  keep: boolean;
  http: boolean;
  serve?: string;
  db?: string;
  config?: string;
  estate?: string;
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { assets: 100_000, decisions: 100_000, wasmDecisions: 2000, seconds: 6,
    warmup: 2, connections: 16, keep: false, http: true };
  const num = (i: number): number => {
    const n = Number(String(argv[i]).replaceAll('_', ''));
    if (!Number.isFinite(n) || n < 0) throw new Error(`${argv[i - 1]} needs a number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--assets') a.assets = num(++i);
    else if (k === '--decisions') a.decisions = num(++i);
    else if (k === '--wasm-decisions') a.wasmDecisions = num(++i);
    else if (k === '--seconds') a.seconds = num(++i);
    else if (k === '--warmup') a.warmup = num(++i);
    else if (k === '--connections') a.connections = num(++i);
    else if (k === '--keep') a.keep = true;
    else if (k === '--no-http') a.http = false;
    else if (k === '--serve') a.serve = argv[++i];
    else if (k === '--db') a.db = argv[++i];
    else if (k === '--config') a.config = argv[++i];
    else if (k === '--estate') a.estate = argv[++i];
    else {
      throw new Error(`unknown argument ${k}; use --assets N, --decisions N, --seconds N, ` +
        '--connections N, --no-http, --keep, --estate DIR');
    }
  }
  return a;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.serve) return serveChild(args.serve, args.db!, args.config!);
  const load = loadavg();
  const shape = shapeOf(args.assets);
  const reuse = args.estate !== undefined;
  if (reuse && !existsSync(join(args.estate!, 'roster.db'))) {
    throw new Error(`--estate ${args.estate}: no roster.db there (make one with --keep)`);
  }
  const dir = args.estate ?? mkdtempSync(join(tmpdir(), 'roster-bench-decide-'));
  const cleanup = (): void => {
    stopAll();
    if (!args.keep && !reuse) rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  try {
    const config = join(dir, 'roster.config.yaml');
    if (!reuse) writeFileSync(config, '');
    process.stderr.write(reuse ? `opening the estate in ${dir} ...\n`
      : `ingesting and judging ${shape.assets} assets into ${dir} ...\n`);
    const estate = reuse ? await openEstate(dir) : await buildEstate(dir, shape);
    process.stderr.write(`  ${estate.records} records in ${estate.seconds.toFixed(1)} s\n`);
    process.stderr.write('deciding in process ...\n');
    const inProcess = await runInProcess(estate.app, shape, {
      decisions: args.decisions,
      wasmDecisions: args.wasmDecisions,
    });
    const { token } = await issueToken(apiStoresOf(estate.app).tokens,
      { name: `bench-decide-${process.pid}-${Date.now()}`, scopes: ['decide'], createdBy: null,
        now: NOW });
    await estate.app.close();
    writeFileSync(join(dir, 'answer.json'), inProcess.httpAnswer);
    let http: Awaited<ReturnType<typeof runHttp>> = [];
    if (args.http) {
      process.stderr.write('loading Roster, a bare Node server and Cerbos over HTTP ...\n');
      // More distinct bodies than the legs can send, so that none is decided twice.
      const distinct = mixedRequests(shape, 200_000).map((r) => JSON.stringify(r));
      http = await runHttp(join(dir, 'roster.db'), config, token, {
        connections: args.connections,
        seconds: args.seconds,
        warmupSeconds: args.warmup,
      }, distinct);
    }
    printReport({ assets: shape.assets, records: estate.records, findings: estate.findings,
      estateSeconds: estate.seconds, inProcess, http, connections: args.connections,
      seconds: args.seconds, cpus: availableParallelism(), load, loadAfter: loadavg(),
      node: process.versions.node });
  } finally {
    if (args.keep || reuse) process.stderr.write(`kept ${dir}\n`);
    cleanup();
  }
}

main().catch((err: unknown) => {
  stopAll();
  console.error(err instanceof Error ? err.stack : err);
  process.exitCode = 1;
});
