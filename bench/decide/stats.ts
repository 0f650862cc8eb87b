/** Latency figures over many timed calls. */
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

export interface LatencyStats {
  readonly count: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  /** Share of the timed wall time the garbage collector took (V8's gc entries), 0 to 1. */
  readonly gcShare: number;
  /** Collections in the timed run, and how many of them were major (mark-compact). */
  readonly gcCount: number;
  readonly gcMajor: number;
}

/** Summarises per-call latencies (nanoseconds) and the wall time they took; figures in µs. */
export function latencyStats(
  samples: Float64Array,
  wallNs: number,
  gc: readonly PerformanceEntry[] = [],
): LatencyStats {
  const sorted = Float64Array.from(samples).sort();
  const last = sorted.length - 1;
  const at = (q: number): number => sorted[Math.min(last, Math.floor(q * sorted.length))]! / 1000;
  return {
    count: sorted.length,
    perSecond: sorted.length / (wallNs / 1e9),
    p50: at(0.5),
    p99: at(0.99),
    p999: at(0.999),
    max: sorted[sorted.length - 1]! / 1000,
    gcShare: gc.reduce((sum, e) => sum + e.duration, 0) / (wallNs / 1e6),
    gcCount: gc.length,
    gcMajor: gc.filter((e) => gcKind(e) === constants.NODE_PERFORMANCE_GC_MAJOR).length,
  };
}

function gcKind(e: PerformanceEntry): number | undefined {
  return (e as unknown as { detail?: { kind?: number } }).detail?.kind;
}

/**
 * Times `count` calls of `fn(i)` one by one with the high-resolution clock, after `warmup`
 * untimed calls (so that V8 has compiled the hot path, as it has in a server that runs).
 * Warm-up calls get i = 0 .. warmup - 1, timed calls i = warmup .. warmup + count - 1.
 */
export async function timeCalls(
  count: number,
  warmup: number,
  fn: (i: number) => unknown,
): Promise<LatencyStats> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const samples = new Float64Array(count);
  const gc: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => gc.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    await fn(warmup + i);
    samples[i] = Number(process.hrtime.bigint() - t0);
  }
  const wall = Number(process.hrtime.bigint() - start);
  // V8's gc entries reach the observer from the event loop, which the timed calls never leave.
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc.push(...observer.takeRecords());
  observer.disconnect();
  return latencyStats(samples, wall, gc);
}
