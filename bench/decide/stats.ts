/** Latency figures over many timed calls. */

export interface LatencyStats {
  readonly count: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

/** Summarises per-call latencies (nanoseconds) and the wall time they took; figures in µs. */
export function latencyStats(samples: Float64Array, wallNs: number): LatencyStats {
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
  };
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
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    await fn(warmup + i);
    samples[i] = Number(process.hrtime.bigint() - t0);
  }
  return latencyStats(samples, Number(process.hrtime.bigint() - start));
}
