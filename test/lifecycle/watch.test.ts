import { spawn } from 'node:child_process';
import { copyFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../src/app.js';
import { parseWatchConfig } from '../../src/cli/watch-config.js';
import { Watcher } from '../../src/cli/watch-loop.js';
import type { Finding } from '../../src/judge/finding.js';
import { judgeStore } from '../../src/judge/judge-store.js';
import { lifecycleOf } from '../../src/lifecycle-app.js';
import type { Clock } from '../../src/model/time.js';
import { REPORT_HEADER, reportRow } from '../helpers/credential-report.js';
import { cli, cmdbWith, ESTATE, type Cli } from './estate.js';

const T0 = Date.parse('2026-12-01T06:00:00Z');
const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

/** A clock the test moves by hand. */
class FakeClock implements Clock {
  ms = T0;
  now(): string {
    return new Date(this.ms).toISOString();
  }
  advance(minutes: number): void {
    this.ms += minutes * 60_000;
  }
}

/** Copies an example export into the test folder with its modification time set. */
function place(c: Cli, name: string, mtime: string, text?: string): string {
  const path = join(c.dir, name);
  if (text === undefined) copyFileSync(join(ESTATE, name), path);
  else writeFileSync(path, text);
  const t = new Date(mtime);
  utimesSync(path, t, t);
  return path;
}

/** A node -e program that prints a file: a command source's export. */
const cmdText = (path: string): string =>
  `process.stdout.write(require('node:fs').readFileSync(${JSON.stringify(path)}))`;

let c: Cli;
let app: App;
const log: string[] = [];
beforeEach(async () => {
  c = cli();
  app = await openApp({ db: c.db, config: c.config });
});
afterEach(async () => {
  await app.close();
  log.splice(0);
});

function watcher(clock: Clock, sources: unknown[]): Watcher {
  const config = parseWatchConfig({ tick: '1m', sources }, join(c.dir, 'watch.yaml'));
  return new Watcher(app, config, clock, (l) => log.push(l));
}

const files = () => [
  { name: 'cmdb', path: 'cmdb-servers.csv', every: '1h', silentAfter: '1d',
    timezone: 'Europe/Stockholm' },
  { name: 'ec2', path: 'aws-ec2-instances-2026-11-30.json', every: '1h', silentAfter: '3h' },
  { name: 'iam', path: 'aws-iam-authorization-details.json', every: '1h', silentAfter: '1d' },
];

describe('roster watch', () => {
  it('reads each source on its interval and only when its export changed', async () => {
    for (const f of files()) place(c, f.path, at(0));
    const clock = new FakeClock();
    const w = watcher(clock, files());
    const first = await w.tick();
    expect(first.sources.map((s) => [s.name, s.outcome])).toEqual([
      ['cmdb', 'ingested'], ['ec2', 'ingested'], ['iam', 'ingested']]);
    expect(first.judged).toBe(true);
    clock.advance(10);
    expect((await w.tick()).sources).toEqual([]);
    clock.advance(50);
    const third = await w.tick();
    expect(third.sources.map((s) => s.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    // One run per export read; Roster's own runs (it holds retired servers retired) aside.
    const runs = (await app.store.listRuns()).filter((r) => r.source !== 'roster');
    expect(runs.length).toBe(3);
  });

  it('moves offboarding on: a retired server in a new export gets its plan', async () => {
    for (const f of files()) place(c, f.path, at(0));
    const clock = new FakeClock();
    const w = watcher(clock, files());
    await w.tick();
    clock.advance(60);
    place(c, 'cmdb-servers.csv', at(55),
      cmdbWith('backup-01', ',Installed,Operational,', ',Retired,Retired,'));
    const r = await w.tick();
    expect(r.sources.find((s) => s.name === 'cmdb')?.outcome).toBe('ingested');
    const plans = await lifecycleOf(app).ctx.lifecycle.listPlans();
    expect(plans.map((p) => p.subject.name)).toContain('backup-01');
  });

  it('reports a source that stopped sending as silent instead of its records as stale',
    async () => {
      const daily = [
        { name: 'cmdb', path: 'cmdb-servers.csv', every: '1d', timezone: 'Europe/Stockholm' },
        { name: 'ec2', path: 'aws-ec2-instances-2026-11-30.json', every: '1d', silentAfter: '1d' },
      ];
      for (const f of daily) place(c, f.path, at(0));
      const clock = new FakeClock();
      const w = watcher(clock, daily);
      await w.tick();
      for (let d = 1; d <= 3; d++) {
        clock.advance(24 * 60);
        place(c, 'cmdb-servers.csv', at(24 * 60 * d - 1),
          cmdbWith('print-srv-01', 'Office print server', `Office print server, rev ${d}`));
        await w.tick();
      }
      const open = await app.store.listFindings({});
      const silent = open.filter((f) => f.kind === 'source-silent');
      expect(silent.map((f) => f.subject.id)).toEqual(['source:ec2']);
      expect(silent[0]!.message)
        .toMatch(/^source ec2 has given no new export since 2026-12-01T06:00:00.000Z/);
      const lastSeenByEc2 = (f: Finding) => f.kind === 'stale-asset' &&
        [...f.evidence].sort((a, b) => String(b.asOf).localeCompare(String(a.asOf)))[0]?.format ===
          'aws-ec2-instances';
      expect(open.filter(lastSeenByEc2)).toEqual([]);
      // Judged without source health, the same inventory calls them stale: the finding counts them.
      const judged = await judgeStore(app.store, app.config.judge, clock.now());
      const raw = judged.filter(lastSeenByEc2);
      expect(raw.map((f) => f.subject.name)).toContain('bi-scratch-01');
      expect(silent[0]!.message)
        .toContain(`; ${raw.length} record(s) not reported stale because of it`);
    });

  it('reads a command whose output is an export, and counts a failing one as not reporting',
    async () => {
      const report = place(c, 'aws-credential-report.csv', at(0));
      const clock = new FakeClock();
      const w = watcher(clock, [
        { name: 'creds', command: [process.execPath, '-e', cmdText(report)],
        format: 'aws-credential-report', every: '30m' },
        { name: 'broken',
          command: [process.execPath, '-e', 'console.error("token expired");process.exit(2)'],
          every: '30m', silentAfter: '1h' },
      ]);
      const r = await w.tick();
      expect(r.sources.map((s) => [s.name, s.outcome]))
        .toEqual([['creds', 'ingested'], ['broken', 'failed']]);
      expect(r.sources[1]!.error).toContain('exited with 2: token expired');
      // The run names the command (its temp output file is gone) and is dated by the clock.
      const [run] = await app.store.listRuns();
      expect(run!.file).toBe(`command: ${process.execPath} -e ${cmdText(report)}`);
      expect([run!.asOf, run!.asOfOrigin]).toEqual([at(0), 'clock']);
      clock.advance(30);
      expect((await w.tick()).sources.map((s) => s.outcome)).toEqual(['unchanged', 'failed']);
      clock.advance(31);
      const late = await w.tick();
      expect(late.silent.map((s) => [s.name, s.lastError])).toEqual([
        ['broken', expect.stringContaining('token expired')]]);
    });

  it('dates a file by its mtime, but never later than the clock', async () => {
    place(c, 'cmdb-servers.csv', at(-120));
    place(c, 'aws-ec2-instances-2026-11-30.json', at(90)); // touched after the judgement
    await watcher(new FakeClock(), files().slice(0, 2)).tick();
    const runs = (await app.store.listRuns()).filter((r) => r.source !== 'roster');
    const dated = runs.map((r) => [r.file.split('/').pop(), r.asOf, r.asOfOrigin]).sort();
    expect(dated).toEqual([
      ['aws-ec2-instances-2026-11-30.json', at(0), 'clock'],
      ['cmdb-servers.csv', at(-120), 'mtime'],
    ]);
  });

  it('refuses an export dated after the clock: the tick fails, naming the file once',
    async () => {
      const csv = [REPORT_HEADER, reportRow('mallory', '2024-02-01T00:00:00+00:00')].join('\n');
      const doc = { Content: csv, ReportFormat: 'text/csv', GeneratedTime: '2999-01-01T00:00:00Z' };
      const file = place(c, 'report.json', at(0), JSON.stringify(doc));
      const r = await watcher(new FakeClock(),
        [{ name: 'creds', path: 'report.json', every: '1h' }]).tick();
      expect(r.sources.map((s) => s.outcome)).toEqual(['failed']);
      expect(r.sources[0]!.error).toBe(`${file}: as of 2999-01-01T00:00:00.000Z (the export's ` +
        `own generation time) is later than the clock ${at(0)} by more than 15 minutes: an ` +
        'export cannot have been made in the future; the run is refused and nothing of it was ' +
        'stored (check the clock of the system that made it, and --now)');
      const runs = await app.store.listRuns();
      expect(runs.map((run) => run.status)).toEqual(['failed']);
    });

  it('stops when its signal aborts', async () => {
    place(c, 'cmdb-servers.csv', at(0));
    const w = watcher(new FakeClock(), [files()[0]]);
    const stop = new AbortController();
    let ticks = 0;
    await w.run(stop.signal, async () => {
      if (++ticks === 2) stop.abort();
    });
    expect(ticks).toBe(2);
  });
});

describe('roster watch from the command line', () => {
  const CMDB_HOURLY = '  - { name: cmdb, path: cmdb-servers.csv, every: 1h }\n';

  it('does one pass with --once at a fixed instant', async () => {
    place(c, 'cmdb-servers.csv', '2026-12-01T06:00:00Z');
    const cfg = c.file('watch.yaml', `sources:\n${CMDB_HOURLY}`);
    const r = await c.run('watch', cfg, '--once', '--now', '2026-12-01T07:00:00Z');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('cmdb: ingested');
    expect(r.out).toMatch(/judged at 2026-12-01T07:00:00.000Z: \d+ open finding\(s\)/);
  });

  it('refuses a bad configuration naming the field', async () => {
    const cfg = c.file('watch.yaml', 'sources:\n  - { name: x, path: a.csv, every: soon }\n');
    const r = await c.run('watch', cfg, '--once');
    expect(r.code).toBe(2);
    expect(r.err).toContain("sources.0.every: 'soon' is not a duration");
  });

  it('refuses types its source format cannot read, and a scope naming a family', async () => {
    const cfg = c.file('watch.yaml', 'sources:\n' +
      "  - { name: g, path: a.jsonl, every: 1h, format: gcp-asset-inventory, types: ['.*VM'] }\n" +
      "  - { name: f, path: b.json, every: 1h, scope: 'fleet:corp/*' }\n" +
      '  - { name: k, path: c.json, every: 1h, format: k8z }\n');
    const r = await c.run('watch', cfg, '--once');
    expect(r.code).toBe(2);
    expect(r.err).toContain("sources.0.types: '.*VM' is not a Cloud Asset Inventory asset type");
    expect(r.err).toContain("sources.1.scope: scope 'fleet:corp/*' ends in /*");
    expect(r.err).toContain("sources.2.format: unknown format 'k8z'; known formats: ");
  });

  it('stops cleanly on SIGINT', async () => {
    place(c, 'cmdb-servers.csv', '2026-12-01T06:00:00Z');
    const cfg = c.file('watch.yaml', `tick: 1h\nsources:\n${CMDB_HOURLY}`);
    const entry = c.file('run.mjs', [
      `import { main } from ${JSON.stringify(join(process.cwd(), 'src/cli/main.ts'))};`,
      'process.exitCode = await main(process.argv);',
    ].join('\n'));
    const child = spawn(process.execPath, ['--import', 'tsx', entry, '--db', c.db, 'watch', cfg],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let sent = false;
    const code = await new Promise<number | null>((done) => {
      child.stderr.on('data', (b: Buffer) => {
        stderr += b.toString();
        if (!sent && stderr.includes('cmdb: ingested')) sent = child.kill('SIGINT');
      });
      child.on('close', (n) => done(n));
    });
    expect(stderr).toContain('watching 1 source(s)');
    expect(stderr).toContain('stopped');
    expect(code).toBe(0);
  }, 60_000);
});
