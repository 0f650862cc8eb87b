/**
 * The Roster side of the benchmark, run in a process of its own so that its peak memory is its
 * own: each export goes through `ingestFiles` (one run per file, as `roster ingest` does), then
 * `judgeAndSave` judges the whole inventory, then the steps `roster ingest` runs after every
 * ingest (lifecycle tracking, offboarding plans, event delivery), on a fresh SQLite file.
 */
import { join } from 'node:path';
import { openApp } from '../src/app.js';
import { ingestFiles, judgeAndSave, runAfterIngest } from '../src/cli/ingest-command.js';
import { fixedClock } from '../src/model/time.js';
import { estateExports, FORMAT_ORDER } from './estate-files.js';
import { AS_OF, JUDGE_AT, planEstate } from './estate-plan.js';
import { MemorySampler, Stopwatch, type MemoryPeak } from './measure.js';

export interface PhaseTime {
  readonly name: string;
  readonly seconds: number;
  readonly cpu: number;
  readonly records: number;
  /** Highest RSS sampled during the phase, in bytes. */
  readonly rss: number;
  /** The kernel's peak RSS of the process at the phase's end (it only rises), in bytes. */
  readonly highWater: number;
}

export interface RosterResult {
  readonly phases: PhaseTime[];
  readonly memory: MemoryPeak;
  readonly inventory: Record<string, number>;
  readonly findings: Record<string, number>;
  readonly counts: { added: number; changed: number; rejected: number; warnings: number };
  readonly errors: string[];
}

export async function runRoster(dir: string, records: number): Promise<RosterResult> {
  const plan = planEstate(records);
  const exports = estateExports(plan);
  const sampler = new MemorySampler();
  const app = await openApp({ db: join(dir, 'roster.db') });
  const clock = fixedClock(JUDGE_AT);
  const phases: PhaseTime[] = [];
  const errors: string[] = [];
  const counts = { added: 0, changed: 0, rejected: 0, warnings: 0 };
  const runIds: string[] = [];
  for (const format of FORMAT_ORDER) {
    const files = exports.filter((e) => e.format === format);
    const watch = new Stopwatch();
    for (const e of files) {
      // CMDB exports write local times; this estate's are UTC, as a user would configure.
      const timezone = format === 'servicenow-cmdb' ? 'UTC' : undefined;
      const flags = { asOf: AS_OF, quiet: true, format, judge: false, timezone };
      const [outcome] = await ingestFiles(app, [join(dir, e.file)], flags, clock, () => {});
      if (outcome?.error || !outcome?.result) errors.push(`${e.file}: ${outcome?.error}`);
      if (outcome?.result) runIds.push(outcome.result.run.id);
      const c = outcome?.result?.counts;
      counts.added += c?.added ?? 0;
      counts.changed += c?.changed ?? 0;
      counts.rejected += c?.rejected ?? 0;
      counts.warnings += c?.warnings ?? 0;
      for (const r of outcome?.result?.rejections.slice(0, 3) ?? []) {
        errors.push(`${r.file}:${r.line ?? ''} ${r.field ?? ''} ${r.message}`);
      }
    }
    const time = watch.read();
    phases.push({ name: `ingest ${format}`, ...time, records: countOf(plan, format),
      rss: sampler.takePhaseRss(), highWater: sampler.highWater() });
  }
  const watch = new Stopwatch();
  const judged = await judgeAndSave(app, JUDGE_AT);
  phases.push({ name: 'judge', ...watch.read(), records: plan.records,
    rss: sampler.takePhaseRss(), highWater: sampler.highWater() });
  const after = new Stopwatch();
  const io = { err: (line: string) => errors.push(line), color: false };
  if (!(await runAfterIngest(app, runIds, JUDGE_AT, io))) errors.push('after-ingest steps failed');
  phases.push({ name: 'after ingest (lifecycle)', ...after.read(), records: plan.records,
    rss: sampler.takePhaseRss(), highWater: sampler.highWater() });
  const inventory = await app.store.countRecords();
  await app.close();
  const findings: Record<string, number> = { ...judged.byKind };
  return { phases, memory: sampler.stop(), inventory, findings, counts, errors };
}

/** Records (rows, objects) that the exports of a format carry. */
function countOf(plan: ReturnType<typeof planEstate>, format: string): number {
  return {
    'servicenow-cmdb': plan.cloudServers + plan.onPremServers + plan.serviceAccounts,
    'aws-ec2-instances': plan.instances,
    'aws-iam-authorization-details': plan.iamUsers + plan.iamRoles,
    'aws-credential-report': plan.reportRows,
  }[format] ?? 0;
}
