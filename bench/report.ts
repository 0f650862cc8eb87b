/** The benchmark's printed table, and its verdict against the issue-2 targets. */
import { loadavg } from 'node:os';
import type { BaselineResult } from './baseline-phase.js';
import type { EstatePlan } from './estate-plan.js';
import type { ParseTime } from './parse-phase.js';
import type { RosterResult } from './roster-phase.js';

export interface Report {
  readonly plan: EstatePlan;
  readonly files: number;
  readonly bytes: number;
  readonly generate: number;
  readonly roster: RosterResult;
  readonly baseline: BaselineResult;
  readonly parsers: ParseTime[] | undefined;
  readonly cpus: number;
  /** 1-minute load average when the run started (other work on the machine). */
  readonly loadBefore: number;
}

/** Issue 2, point 10: 1,000,000 records in under 60 s and 1.5 GiB, within 5× a raw insert. */
const TARGET = { seconds: 60, bytes: 1.5 * 2 ** 30, ratio: 5, records: 1_000_000 };

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const secs = (s: number): string => s.toFixed(2);
const mib = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`;
const W = [36, 10, 9, 9, 11, 10, 11];

function row(cells: readonly string[], widths: readonly number[] = W): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
}

function timeRow(
  name: string,
  records: number,
  wall: number,
  cpu: number,
  rss?: { sampled: number; highWater: number },
): string {
  const cells = [name, int(records), secs(wall), secs(cpu), int(records / wall)];
  return row(rss === undefined ? cells : [...cells, mib(rss.sampled), mib(rss.highWater)]);
}

export function printReport(r: Report): void {
  const { plan, roster, baseline } = r;
  const total = roster.phases.reduce((s, p) => s + p.seconds, 0);
  const cpu = roster.phases.reduce((s, p) => s + p.cpu, 0);
  const ratio = total / baseline.seconds;
  const out: string[] = [];
  const loadAfter = loadavg()[0]!;
  out.push(`Roster ingest benchmark: ${int(plan.records)} records in ${r.files} files ` +
    `(${plan.accounts} AWS account(s), ${mib(r.bytes)}), ` +
    `Node ${process.version}, ${r.cpus} CPU(s)`);
  out.push(`load average ${r.loadBefore.toFixed(2)} at start, ${loadAfter.toFixed(2)} at end; ` +
    `exports generated in ${secs(r.generate)} s (not counted below)`, '');
  // Sampled: the phase's highest RSS seen every 20 ms. Kernel: the process's peak so far; the
  // phase where it rises holds the peak, even one the samples missed.
  out.push(row(['phase', 'records', 'wall s', 'cpu s', 'records/s', 'RSS sampled', 'kernel peak']));
  for (const p of roster.phases) {
    out.push(timeRow(p.name, p.records, p.seconds, p.cpu,
      { sampled: p.rss, highWater: p.highWater }));
  }
  out.push(timeRow('Roster: ingest + judge', plan.records, total, cpu));
  out.push(timeRow('baseline: raw better-sqlite3 insert', baseline.records, baseline.seconds,
    baseline.cpu));
  out.push(`Roster / baseline: ${ratio.toFixed(2)}× wall time, ` +
    `${(cpu / baseline.cpu).toFixed(2)}× CPU time`, '');
  if (r.parsers) {
    out.push(row(['parser alone (diagnostic)', 'observ.', 'wall s', 'cpu s', 'records/s']));
    for (const p of r.parsers) {
      const records = roster.phases.find((x) => x.name === `ingest ${p.format}`)?.records ?? 0;
      out.push(row([p.format, int(p.observations), secs(p.seconds), secs(p.cpu),
        int(records / p.seconds)]));
    }
    out.push('');
  }
  const m = [36, 10, 10];
  out.push(row(['memory', 'max RSS', 'peak heap'], m));
  out.push(row(['Roster', mib(roster.memory.maxRss), mib(roster.memory.peakHeap)], m));
  out.push(row(['baseline', mib(baseline.memory.maxRss), mib(baseline.memory.peakHeap)], m), '');
  const inv = Object.entries(roster.inventory).map(([k, n]) => `${k} ${int(n)}`).join(', ');
  out.push(`inventory: ${inv}`);
  out.push(`runs: ${int(roster.counts.added)} observations added, ${int(roster.counts.rejected)} ` +
    `rejected, ${int(roster.counts.warnings)} warnings`);
  const findings = Object.entries(roster.findings).sort().map(([k, n]) => `${k} ${int(n)}`);
  out.push(`findings: ${findings.join(', ')}`);
  for (const e of roster.errors.slice(0, 10)) out.push(`  problem: ${e}`);
  out.push('', verdict(plan.records, total, roster.memory.maxRss, ratio));
  console.log(out.join('\n'));
}

function verdict(records: number, total: number, rss: number, ratio: number): string {
  const checks = [
    `${secs(total)} s ${total < TARGET.seconds ? '<' : '>='} ${TARGET.seconds} s`,
    `${mib(rss)} ${rss < TARGET.bytes ? '<' : '>='} 1.5 GiB`,
    `${ratio.toFixed(2)}× ${ratio < TARGET.ratio ? '<' : '>='} ${TARGET.ratio}×`,
  ];
  const met = total < TARGET.seconds && rss < TARGET.bytes && ratio < TARGET.ratio;
  const scope = records === TARGET.records
    ? ''
    : ` (the targets are set for ${int(TARGET.records)} records)`;
  return `targets: ${checks.join(', ')}: ${met ? 'MET' : 'NOT MET'}${scope}`;
}
