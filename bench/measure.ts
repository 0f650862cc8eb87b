/** Wall time and memory of one benchmark phase, measured inside the process that does it. */

export interface MemoryPeak {
  /** Peak resident set size of the whole process (getrusage), in bytes. */
  readonly maxRss: number;
  /** Highest V8 heap in use seen by the sampler or at phase ends, in bytes. */
  readonly peakHeap: number;
  /** Highest resident set size seen by the sampler, in bytes (also a lower bound). */
  readonly peakRss: number;
}

/**
 * Samples the V8 heap every 20 ms. Long synchronous stretches delay samples, so the figure is
 * a lower bound; maxRSS from the kernel is the authoritative peak.
 */
export class MemorySampler {
  #peakHeap = 0;
  #peakRss = 0;
  readonly #timer: NodeJS.Timeout;

  constructor() {
    this.#timer = setInterval(() => this.sample(), 20);
    this.#timer.unref();
  }

  sample(): void {
    const { heapUsed, rss } = process.memoryUsage();
    if (heapUsed > this.#peakHeap) this.#peakHeap = heapUsed;
    if (rss > this.#peakRss) this.#peakRss = rss;
    if (rss > this.#phaseRss) this.#phaseRss = rss;
  }

  /**
   * The kernel's high-water mark of this process's RSS so far (getrusage maxrss): it only
   * rises, so the phase at whose end it rose is the phase the peak fell in, which the 20 ms
   * samples can miss inside a long synchronous stretch.
   */
  highWater(): number {
    return process.resourceUsage().maxRSS * 1024;
  }

  /** The highest RSS sampled since the last call (a phase's own peak), then starts again. */
  takePhaseRss(): number {
    this.sample();
    const peak = this.#phaseRss;
    this.#phaseRss = 0;
    return peak;
  }

  #phaseRss = 0;

  stop(): MemoryPeak {
    this.sample();
    clearInterval(this.#timer);
    return { maxRss: process.resourceUsage().maxRSS * 1024, peakHeap: this.#peakHeap,
      peakRss: this.#peakRss };
  }
}

export function seconds(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1e9;
}

export const now = (): bigint => process.hrtime.bigint();

/** A wall clock and this process's CPU time (user + system), started together. */
export class Stopwatch {
  readonly #wall = process.hrtime.bigint();
  readonly #cpu = process.cpuUsage();

  /** Seconds of wall time and of CPU time since the start. */
  read(): { seconds: number; cpu: number } {
    const cpu = process.cpuUsage(this.#cpu);
    return { seconds: seconds(this.#wall), cpu: (cpu.user + cpu.system) / 1e6 };
  }
}
