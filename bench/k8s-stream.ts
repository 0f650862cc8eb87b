/**
 * Memory check for streaming Kubernetes ingest: writes a `kubectl get pods -A -o json` List of
 * about 500 MB into a temp folder, then (1) parses it with the k8s format in this process, the
 * baseline, (2) ingests it with `roster ingest --no-judge` into a fresh SQLite file in a child
 * process: parse, reconcile and store, and (3) the same with judging, as `roster ingest` runs
 * by default. Each phase prints records per second and its peak resident set size. The target is a peak under 1 GiB whatever the size.
 *
 * Run: npm run bench:stream [-- <megabytes>]   (needs `npm run build`: the CLI runs from dist)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { k8sObjects } from '../src/sources/k8s/index.js';
import { fileInput } from '../src/sources/read-file.js';

const TARGET_MB = Number(process.argv[2] ?? 500);
const PEAK_LIMIT = 1024 * 1024 * 1024;

/** One pod shaped like kubectl's output (keys sorted, four-space indent), about 2.3 kB. */
function pod(i: number): string {
  const uid = `${(0x10000000 + i).toString(16)}-5b8e-4d21-a6f0-${String(i).padStart(12, '0')}`;
  const ns = `team-${i % 40}`;
  const object = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      creationTimestamp: '2025-03-02T08:15:00Z',
      generateName: `api-${i % 500}-6d9f7c5b8-`,
      labels: { app: `api-${i % 500}`, environment: i % 3 ? 'prod' : 'staging' },
      name: `api-${i % 500}-6d9f7c5b8-${i.toString(36)}`,
      namespace: ns,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          controller: true,
          kind: 'ReplicaSet',
          name: `api-${i % 500}-6d9f7c5b8`,
        },
      ],
      resourceVersion: String(1000 + i),
      uid,
    },
    spec: {
      containers: [
        {
          env: [{ name: 'LOG_LEVEL', value: 'info' }],
          image: `registry.example.test/${ns}/api:1.${i % 20}.0`,
          name: 'api',
          resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m' } },
        },
      ],
      nodeName: `node-${i % 300}.eu-west-1.compute.internal`,
      serviceAccountName: `api-${i % 500}`,
      tolerations: [
        { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists' },
      ],
    },
    status: {
      conditions: [{ lastTransitionTime: '2025-03-02T08:15:05Z', status: 'True', type: 'Ready' }],
      hostIP: `10.20.${i % 250}.${i % 200}`,
      phase: 'Running',
      podIP: `10.${100 + (i % 100)}.${(i >> 8) % 250}.${i % 250}`,
      qosClass: 'Burstable',
    },
  };
  return JSON.stringify(object, null, 4).replace(/^/gm, '        ');
}

async function writeList(path: string, targetBytes: number): Promise<number> {
  const out = createWriteStream(path);
  out.write('{\n    "apiVersion": "v1",\n    "items": [\n');
  let written = 0;
  let count = 0;
  while (written < targetBytes) {
    const chunk = (count > 0 ? ',\n' : '') + pod(count);
    written += chunk.length;
    count++;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  const tail = { kind: 'List', metadata: { resourceVersion: '' } };
  out.end(`\n    ],\n${JSON.stringify(tail, null, 4).slice(2)}\n`);
  await once(out, 'finish');
  return count;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'roster-k8s-stream-'));
  const file = join(dir, 'pods.json');
  try {
    const pods = await writeList(file, TARGET_MB * 1024 * 1024);
    const size = (await stat(file)).size;
    console.log(`generated ${pods} pods, ${(size / 1048576).toFixed(0)} MiB`);
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const started = performance.now();
    let records = 0;
    let firstAt = 0;
    let rejected = 0;
    for await (const ev of k8sObjects.parse(fileInput(file), { scope: 'k8s:bench' })) {
      if (ev.type === 'observation' && ++records === 1) firstAt = performance.now() - started;
      if (ev.type === 'reject') rejected++;
    }
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
    report({ pods, records, rejected, seconds, firstAt, baseline, peak, size });
    const ingested = reportIngest(await ingestWithCli(dir, file, false), pods, size, false);
    const judged = reportIngest(await ingestWithCli(dir, file, true), pods, size, true);
    if (records !== pods || peak >= PEAK_LIMIT || !ingested || !judged) process.exitCode = 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface Figures {
  pods: number;
  records: number;
  rejected: number;
  seconds: number;
  firstAt: number;
  baseline: number;
  peak: number;
  size: number;
}

function report(f: Figures): void {
  const mib = (n: number) => `${(n / 1048576).toFixed(0)} MiB`;
  const took = `${f.seconds.toFixed(1)} s`;
  console.log(`parsed ${f.records} observations (${f.rejected} rejected) in ${took}`);
  console.log(`  ${Math.round(f.records / f.seconds)} records/s, ${mib(f.size / f.seconds)}/s`);
  console.log(`  first record after ${f.firstAt.toFixed(0)} ms`);
  const limit = `(limit ${mib(PEAK_LIMIT)})`;
  console.log(`  RSS before parsing ${mib(f.baseline)}, peak ${mib(f.peak)} ${limit}`);
  console.log(f.peak < PEAK_LIMIT && f.records === f.pods ? 'PASS' : 'FAIL');
}

interface IngestFigures {
  readonly code: number;
  readonly seconds: number;
  readonly peak: number;
  readonly added: number;
  readonly output: string;
}

/**
 * `roster ingest` in a child process into a fresh database, as a user runs it: with
 * `--no-judge`, or as it runs by default, judging the whole inventory after the run.
 * The child writes its own peak RSS (getrusage maxrss) to a file when it exits.
 */
async function ingestWithCli(dir: string, file: string, judge: boolean): Promise<IngestFigures> {
  const hook = join(dir, 'peak-rss.mjs');
  const peakFile = join(dir, judge ? 'peak-rss-judged' : 'peak-rss');
  await writeFile(hook, [
    "import { writeFileSync } from 'node:fs';",
    'process.on(\'exit\', () => writeFileSync(process.env.ROSTER_BENCH_PEAK,',
    '  String(process.resourceUsage().maxRSS * 1024)));',
  ].join('\n'));
  const cli = join(import.meta.dirname, '..', 'bin', 'roster.js');
  const db = join(dir, judge ? 'judged.db' : 'roster.db');
  const args = ['--import', pathToFileURL(hook).href, cli, '--db', db,
    'ingest', file, '--scope', 'k8s:bench', ...(judge ? [] : ['--no-judge']), '--quiet'];
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ROSTER_BENCH_PEAK: peakFile },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  const seconds = (performance.now() - started) / 1000;
  const peak = Number(await readFile(peakFile, 'utf8').catch(() => 'NaN'));
  const row = output.split('\n').find((l) => l.includes(' k8s '));
  const added = Number(row?.trim().split(/\s+/)[2] ?? NaN);
  return { code: code ?? 1, seconds, peak, added, output };
}

function reportIngest(f: IngestFigures, pods: number, size: number, judged: boolean): boolean {
  const mib = (n: number) => `${(n / 1048576).toFixed(0)} MiB`;
  const ok = f.code === 0 && f.added === pods && f.peak < PEAK_LIMIT;
  const what = `parse, reconcile, store in SQLite${judged ? ', judge' : ''}`;
  console.log(`roster ingest${judged ? '' : ' --no-judge'} (${what}): ${f.added} records added` +
    ` in ${f.seconds.toFixed(1)} s, exit code ${f.code}`);
  console.log(`  ${Math.round(f.added / f.seconds)} records/s, ${mib(size / f.seconds)}/s`);
  console.log(`  peak RSS ${mib(f.peak)} (limit ${mib(PEAK_LIMIT)})`);
  if (!ok) console.log(f.output);
  console.log(ok ? 'PASS' : 'FAIL');
  return ok;
}

await main();
