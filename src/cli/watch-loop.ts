import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../app.js';
import { judgeInventory } from '../judge-app.js';
import { lifecycleOf } from '../lifecycle-app.js';
import type { SourceState } from '../lifecycle/port.js';
import { silentSources, type SilentSource } from '../lifecycle/source-health.js';
import type { Clock } from '../model/time.js';
import { expandPaths, ingestFiles, type FileOutcome } from './ingest-command.js';
import type { WatchConfig, WatchSource } from './watch-config.js';

export interface SourceTick {
  readonly name: string;
  /** `ingested`: a new export was read; `unchanged`: nothing new; `failed`: could not read. */
  readonly outcome: 'ingested' | 'unchanged' | 'failed';
  readonly runIds: readonly string[];
  readonly error?: string;
}

export interface TickReport {
  readonly at: string;
  readonly sources: readonly SourceTick[];
  readonly silent: readonly SilentSource[];
  readonly judged: boolean;
  readonly findings?: number;
}

/**
 * `roster watch`: re-reads each configured source on its own interval, re-judges, moves
 * offboarding plans forward and delivers what is due, and notices sources that stopped
 * reporting (issue #5, point 8). Time comes from the clock given, so tests drive it.
 */
export class Watcher {
  readonly #app: App;
  readonly #config: WatchConfig;
  readonly #clock: Clock;
  readonly #log: (line: string) => void;

  constructor(app: App, config: WatchConfig, clock: Clock, log: (line: string) => void) {
    this.#app = app;
    this.#config = config;
    this.#clock = clock;
    this.#log = log;
  }

  /** One pass: due sources, then judging (when anything was due), then the lifecycle step. */
  async tick(): Promise<TickReport> {
    const now = this.#clock.now();
    const lc = lifecycleOf(this.#app).ctx.lifecycle;
    const ticks: SourceTick[] = [];
    for (const source of this.#config.sources) {
      const stored = (await lc.getSourceState(source.name)) ?? fresh(source.name, now);
      // What this watch expects of the source goes to the database: other judges read it.
      const state: SourceState = { ...stored, everySeconds: source.every,
        silentAfterSeconds: source.silentAfter, ephemeralClasses: this.#config.ephemeralClasses };
      if (state.nextAt && state.nextAt > now) {
        if (JSON.stringify(state) !== JSON.stringify(stored)) await lc.putSourceState(state);
        continue;
      }
      const t = await this.#read(source, state, now);
      ticks.push(t.tick);
      await lc.putSourceState(t.state);
    }
    const watched = new Set(this.#config.sources.map((s) => s.name));
    const states = (await lc.listSourceStates()).filter((s) => watched.has(s.name));
    const silent = silentSources(states, now);
    let findings: number | undefined;
    if (ticks.length > 0) findings = await this.#judge(now);
    const runIds = ticks.flatMap((t) => t.runIds);
    for (const hook of this.#app.afterIngest) await hook(this.#app, runIds, now);
    return { at: now, sources: ticks, silent, judged: findings !== undefined,
      ...(findings !== undefined ? { findings } : {}) };
  }

  /** Ticks until the signal aborts (SIGINT), sleeping `tick` seconds between passes. */
  async run(signal: AbortSignal, sleep = abortableSleep): Promise<void> {
    while (!signal.aborted) {
      const r = await this.tick();
      for (const s of r.sources) {
        this.#log(`${r.at} ${s.name}: ${s.outcome}${s.error ? ` (${s.error})` : ''}`);
      }
      for (const s of r.silent) {
        this.#log(`${r.at} ${s.name}: silent since ${s.lastFreshAt ?? 'start'}`);
      }
      await sleep(this.#config.tick * 1000, signal);
    }
  }

  async #judge(now: string): Promise<number> {
    const findings = await judgeInventory(this.#app, now);
    await this.#app.store.saveJudgement(findings, now);
    return findings.length;
  }

  async #read(source: WatchSource, state: SourceState, now: string) {
    const nextAt = new Date(Date.parse(now) + source.every * 1000).toISOString();
    const base: SourceState = { ...state, lastReadAt: now, nextAt };
    const tick = (outcome: SourceTick['outcome'], runIds: string[] = [], error?: string) =>
      ({ name: source.name, outcome, runIds, ...(error ? { error } : {}) });
    try {
      const got = source.command ? await runCommand(source) : readFolder(source.path!);
      try {
        if (got.fingerprint === state.fingerprint) {
          // A command that ran is reporting even when nothing changed; an untouched file is not.
          const lastFreshAt = source.command ? now : state.lastFreshAt;
          return { tick: tick('unchanged'), state: { ...base, lastFreshAt, failures: 0,
            lastError: null } };
        }
        const outcomes = await this.#ingest(source, got.files, now);
        const failed = outcomes.find((o) => o.error);
        if (failed) {
          // An error that names its file already (a refused as-of) is not prefixed twice.
          const named = failed.error!.startsWith(failed.file);
          throw new Error(named ? failed.error : `${failed.file}: ${failed.error}`);
        }
        const read = outcomes.flatMap((o) => o.format ?? []);
        const formats = [...new Set([...state.formats, ...read])];
        const runs = outcomes.flatMap((o) => (o.result ? [o.result.run] : []));
        const runIds = runs.map((r) => r.id);
        const lastRuns = runs.map((r) => ({ id: r.id, asOf: r.asOf }));
        return { tick: tick('ingested', runIds), state: { ...base, fingerprint: got.fingerprint,
          lastFreshAt: now, failures: 0, lastError: null, formats, lastRuns } };
      } finally {
        got.cleanup();
      }
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      const next = { ...base, failures: state.failures + 1, lastError: error };
      return { tick: tick('failed', [], error), state: next };
    }
  }

  #ingest(source: WatchSource, files: string[], now: string): Promise<FileOutcome[]> {
    const flags = {
      quiet: true,
      ...(source.format ? { format: source.format } : {}),
      ...(source.scope ? { scope: source.scope } : {}),
      ...(source.timezone ? { timezone: source.timezone } : {}),
      ...(source.mapping ? { mapping: source.mapping } : {}),
      ...(source.types ? { types: source.types } : {}),
      ...(source.complete !== undefined
        ? { complete: source.complete, partial: !source.complete }
        : {}),
    };
    // A command's output is named by its command (its temp file is gone after the read) and
    // is dated by the watch's clock: it was made at this tick.
    const origin = source.command
      ? { label: `command: ${source.command.join(' ')}`, ignoreMtime: true }
      : {};
    return ingestFiles(this.#app, files, flags, { now: () => now }, this.#log, origin);
  }
}

function fresh(name: string, now: string): SourceState {
  return { name, fingerprint: null, firstReadAt: now, lastReadAt: null, lastFreshAt: null,
    nextAt: null, failures: 0, lastError: null, formats: [] };
}

function readFolder(path: string) {
  return { files: expandPaths([path]), fingerprint: fingerprintOf(path), cleanup: () => undefined };
}

/** Size and modification time of every file: a new export changes one of them. */
function fingerprintOf(path: string): string {
  const h = createHash('sha256');
  for (const f of expandPaths([path])) {
    const st = statSync(f);
    h.update(`${f}\u0000${st.size}\u0000${st.mtimeMs}\n`);
  }
  return h.digest('hex');
}

/** Runs a source command (argv, no shell) and keeps its standard output as the export. */
function runCommand(source: WatchSource) {
  const dir = mkdtempSync(join(tmpdir(), 'roster-watch-'));
  const file = join(dir, `${source.name}.export`);
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  const [program, ...args] = source.command!;
  return new Promise<{ files: string[]; fingerprint: string; cleanup: () => void }>((ok, fail) => {
    const out = createWriteStream(file);
    const hash = createHash('sha256');
    const child = spawn(program!, args, { cwd: source.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => hash.update(c));
    child.stdout.pipe(out);
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 2000) stderr += c.toString('utf8');
    });
    child.on('error', (err) => {
      cleanup();
      fail(err);
    });
    child.on('close', (code) => {
      out.close(() => {
        if (code === 0) return ok({ files: [file], fingerprint: hash.digest('hex'), cleanup });
        cleanup();
        const tail = stderr.trim().split('\n').slice(-1)[0] ?? '';
        fail(new Error(`${program} exited with ${code}${tail ? `: ${tail.slice(0, 200)}` : ''}`));
      });
    });
  });
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    if (signal.aborted) return done();
    const timer = setTimeout(finish, ms);
    function finish(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      done();
    }
    signal.addEventListener('abort', finish);
  });
}
