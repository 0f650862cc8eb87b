/** The table bench:decide prints, with PASS/MISS against the targets of issue 3. */
import type { HttpLeg } from './http.js';
import type { InProcessResult } from './inprocess.js';
import type { LatencyStats } from './stats.js';

export interface DecideReport {
  readonly assets: number;
  readonly records: number;
  readonly findings: number;
  readonly estateSeconds: number;
  readonly inProcess: InProcessResult;
  readonly http: readonly HttpLeg[];
  readonly connections: number;
  readonly seconds: number;
  readonly cpus: number;
  readonly load: readonly number[];
  readonly loadAfter: readonly number[];
  readonly node: string;
}

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
}

function latencyRow(name: string, s: LatencyStats): string[] {
  return [name, fmt(s.count), fmt(s.perSecond), fmt(s.p50, 1), fmt(s.p99, 1), fmt(s.p999, 1)];
}

const verdict = (ok: boolean): string => (ok ? 'PASS' : 'MISS');

export function printReport(r: DecideReport): void {
  const out: string[] = [];
  const ip = r.inProcess;
  const avg = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(' ');
  out.push(`bench:decide on ${r.cpus} CPUs, Node ${r.node}, load average ${avg(r.load)} ` +
    `before, ${avg(r.loadAfter)} after (other processes share these cores)`);
  out.push(`estate: ${fmt(r.assets)} assets, ${fmt(r.records)} records in all, ` +
    `${fmt(r.findings)} ` +
    `open findings (ingested and judged in ${r.estateSeconds.toFixed(1)} s); facts index of ` +
    `${fmt(ip.indexed)} records loaded in ${ip.loadSeconds.toFixed(2)} s`);
  out.push('');
  out.push('a) in process, mixed requests over the whole estate (latency in µs)');
  const w = [58, 9, 12, 8, 8, 9];
  out.push(row(['', 'calls', 'decisions/s', 'p50', 'p99', 'p99.9'], w));
  out.push(row(latencyRow('Roster DecisionService.decide (compiled policies)', ip.roster), w));
  const viaWasm = 'Roster DecisionService.decide, cedar-wasm as evaluator';
  out.push(row(latencyRow(viaWasm, ip.rosterWasm), w));
  out.push(row(latencyRow('cedar-wasm isAuthorized per request (3 entities)', ip.wasm), w));
  out.push(`garbage collector during the Roster row: ${(ip.roster.gcShare * 100).toFixed(1)} % ` +
    `of its wall time, ${fmt(ip.roster.gcCount)} collections (${fmt(ip.roster.gcMajor)} major)`);
  out.push(`ratio Roster / cedar-wasm isAuthorized: ${(ip.roster.perSecond / ip.wasm.perSecond)
    .toFixed(1)} x the decisions per second`);
  const reasons = Object.entries(ip.reasons).sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`).join(', ');
  out.push(`decisions of the first ${fmt(ip.compared)} requests: ${reasons}`);
  out.push(`compiled evaluator vs cedar-wasm on those ${fmt(ip.compared)}: ${ip.mismatches} ` +
    'differences in decision or determining policies');
  out.push('');
  if (r.http.length > 0) {
    out.push(`b) HTTP, POST /access/v1/evaluation on 127.0.0.1, autocannon ${r.connections} ` +
      `connections for ${r.seconds} s each (latency in ms)`);
    out.push(`the answer: Roster's is ${fmt(Buffer.byteLength(ip.httpAnswer))} bytes (decision, ` +
      'reasons, policies, facts); the bare server sends the same bytes, Cerbos {"decision":true}');
    out.push('Roster: the same request each time (a PEP asking again: decisions are reused while ' +
      'nothing they used changed); "all distinct": never the same request twice (mixed as in a)');
    const hw = [20, 10, 10, 7, 7, 8];
    out.push(row(['', 'requests', 'req/s', 'p50', 'p99', 'errors'], hw));
    for (const l of r.http) {
      out.push(row([l.name, fmt(l.requests), fmt(l.perSecond), fmt(l.p50, 1), fmt(l.p99, 1),
        fmt(l.errors + l.non2xx)], hw));
    }
  }
  out.push('');
  out.push('targets');
  out.push(`  ${verdict(ip.roster.p99 < 50)}  in-process p99 under 50 µs with ${fmt(r.assets)} ` +
    `assets: ${fmt(ip.roster.p99, 1)} µs`);
  const roster = r.http.find((l) => l.name === 'Roster');
  const bare = r.http.find((l) => l.name.startsWith('bare'));
  const cerbos = r.http.find((l) => l.name.startsWith('Cerbos'));
  if (roster && bare) {
    const x = roster.perSecond / bare.perSecond;
    out.push(`  ${verdict(x >= 0.5)}  HTTP at least 0.5 x the bare server: ` +
      `Roster/bare = ${x.toFixed(2)}`);
  }
  if (roster && cerbos) {
    const x = roster.perSecond / cerbos.perSecond;
    out.push(`  ${verdict(x >= 3)}  HTTP at least 3 x Cerbos: Roster/Cerbos = ${x.toFixed(2)}`);
  }
  if (!roster) out.push('  (Roster HTTP leg not run)');
  console.log(out.join('\n'));
}
