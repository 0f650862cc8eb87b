/**
 * Part b) of bench:decide: the same AuthZEN request, over HTTP on 127.0.0.1, to Roster, to a
 * bare Node server and to Cerbos, each loaded by autocannon with the same connections and
 * duration, one after the other. Children are stopped (and waited for) after each leg.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createServer } from 'node:net';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { projectRoot } from '../../src/cli/project-root.js';
import { HTTP_REQUEST } from './requests.js';

export interface HttpLeg {
  readonly name: string;
  readonly endpoint: string;
  readonly requests: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
}

export interface LoadOptions {
  readonly connections: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
}

const live = new Set<ChildProcess>();

/** Stops every child still running (on the way out, also after a failure). */
export function stopAll(): void {
  for (const c of live) c.kill('SIGKILL');
  live.clear();
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return void live.delete(child);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
  live.delete(child);
}

function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Starts this script again as a server child and waits for its `listening <port>` line. */
async function startNodeChild(kind: 'bare' | 'roster', db: string, config: string) {
  const script = process.argv[1]!;
  const child = track(spawn(process.execPath, [...process.execArgv, script, '--serve', kind,
    '--db', db, '--config', config], { stdio: ['pipe', 'pipe', 'inherit'] }));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (l) => {
      const m = /^listening (\d+)$/.exec(l);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited (${code})`)));
  });
  return { child, port };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export const CERBOS_DIR = join(projectRoot(), 'bench', 'decide', 'cerbos');

/**
 * The Cerbos binary the `cerbos` npm package ships for this platform. `npm run bench:decide`
 * installs it under .bench-tools/, outside the project's lock file: the registry this project
 * is built against carries only some of its platform packages, and `npm ci` needs them all.
 */
function cerbosBinary(): string {
  const name = `cerbos-${process.platform}-${process.arch}`;
  return join(projectRoot(), '.bench-tools', 'node_modules', '@cerbos', name, name);
}

async function startCerbos() {
  const [http, grpc] = [await freePort(), await freePort()];
  const child = track(spawn(cerbosBinary(), ['server',
    `--config=${join(CERBOS_DIR, 'config.yaml')}`,
    `--set=server.httpListenAddr=127.0.0.1:${http}`,
    `--set=server.grpcListenAddr=127.0.0.1:${grpc}`,
    `--set=storage.disk.directory=${join(CERBOS_DIR, 'policies')}`, '--log-level=error'],
  { stdio: ['ignore', 'ignore', 'pipe'] }));
  // Cerbos logs each request autocannon cuts off at the end; shown only if it fails to start.
  let tail = '';
  child.stderr!.on('data', (c: Buffer) => {
    tail = (tail + c.toString()).slice(-4000);
  });
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`cerbos exited (${child.exitCode}): ${tail}`);
    try {
      const r = await fetch(`http://127.0.0.1:${http}/_cerbos/health`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`cerbos was not healthy within 20 s: ${tail}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, port: http };
}

const BODY = JSON.stringify(HTTP_REQUEST);

async function checkAnswer(url: string, headers: Record<string, string>): Promise<void> {
  const r = await fetch(url, { method: 'POST', headers, body: BODY });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`${url} answered ${r.status}: ${text.slice(0, 300)}`);
  const answer = JSON.parse(text) as { decision?: unknown };
  if (answer.decision !== true) {
    throw new Error(`${url} did not allow the request: ${text.slice(0, 300)}`);
  }
}

async function load(name: string, url: string, headers: Record<string, string>, o: LoadOptions) {
  await checkAnswer(url, headers);
  const base = { url, method: 'POST' as const, headers, body: BODY, connections: o.connections };
  if (o.warmupSeconds > 0) await autocannon({ ...base, duration: o.warmupSeconds });
  const r = await autocannon({ ...base, duration: o.seconds });
  return {
    name,
    endpoint: new URL(url).pathname,
    requests: r.requests.total,
    perSecond: r.requests.total / o.seconds,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  } satisfies HttpLeg;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * Roster again, every request a different one (bodies taken in turn by all connections from
 * `bodies`), so that no decision is ever reused: what a PEP that never repeats itself gets.
 */
async function loadDistinct(url: string, headers: Record<string, string>,
  bodies: readonly string[], o: LoadOptions): Promise<HttpLeg> {
  let next = 0;
  const take = (req: autocannon.Request): autocannon.Request =>
    ({ ...req, body: bodies[next++ % bodies.length]! });
  const base = { url, method: 'POST' as const, headers, connections: o.connections,
    requests: [{ setupRequest: take }] };
  if (o.warmupSeconds > 0) await autocannon({ ...base, duration: o.warmupSeconds });
  const r = await autocannon({ ...base, duration: o.seconds });
  return { name: 'Roster, all distinct', endpoint: new URL(url).pathname,
    requests: r.requests.total, perSecond: r.requests.total / o.seconds, p50: r.latency.p50,
    p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

export async function runHttp(db: string, config: string, token: string | undefined,
  o: LoadOptions, distinct: readonly string[] = []): Promise<HttpLeg[]> {
  const legs: HttpLeg[] = [];
  try {
    if (token) {
      const roster = await startNodeChild('roster', db, config);
      const url = `http://127.0.0.1:${roster.port}/access/v1/evaluation`;
      const auth = { ...JSON_HEADERS, authorization: `Bearer ${token}` };
      legs.push(await load('Roster', url, auth, o));
      if (distinct.length > 0) legs.push(await loadDistinct(url, auth, distinct, o));
      await stop(roster.child);
    }
    const bare = await startNodeChild('bare', db, config);
    legs.push(await load('bare Node http', `http://127.0.0.1:${bare.port}/access/v1/evaluation`,
      JSON_HEADERS, o));
    await stop(bare.child);
    const cerbos = await startCerbos();
    legs.push(await load('Cerbos 0.51', `http://127.0.0.1:${cerbos.port}/access/v1/evaluation`,
      JSON_HEADERS, o));
    await stop(cerbos.child);
  } finally {
    stopAll();
  }
  return legs;
}
