import type { ParseEvent } from '../format.js';
import { warning } from '../streaming/events.js';
import type { OsqueryResult } from './osquery-results.js';

/**
 * Result times later than the clock allows (`ParseOptions.latestAsOf`: the clock plus the
 * skew). osquery stamps each result with its endpoint's own clock, and a wrong one is
 * common (a hostile host can set it too): such a result is still read, since its host is real,
 * but its time neither dates the run (a future as-of refuses the whole file) nor gives the host
 * a last-seen time in the future. Warned once per host; memory is one entry per such host.
 *
 * @example
 * const ahead = new ClockAhead('results.log', '2026-12-01T00:15:00.000Z');
 * const { time, warnings } = ahead.check('ws-9', result, 51); // time undefined, one warning
 */
export class ClockAhead {
  readonly #file: string;
  readonly #latest: number | undefined;
  readonly #hosts = new Set<string>();

  constructor(file: string, latestAsOf: string | undefined) {
    this.#file = file;
    this.#latest = latestAsOf === undefined ? undefined : Date.parse(latestAsOf);
  }

  /** The result's time when the clock allows it, else undefined with its host's warning. */
  check(host: string, r: OsqueryResult, line: number): { time?: number; warnings: ParseEvent[] } {
    if (r.time === undefined || this.#latest === undefined || r.time <= this.#latest) {
      return r.time === undefined ? { warnings: [] } : { time: r.time, warnings: [] };
    }
    if (this.#hosts.has(host)) return { warnings: [] };
    this.#hosts.add(host);
    const why = `host ${host} reports a result at ${iso(r.time)}, later than the clock allows ` +
      `(${iso(this.#latest)}, the clock plus the skew): its clock is ahead; its results are ` +
      'read, but their times neither date the run nor set its lastSeenAt (warned once per host)';
    return { warnings: [warning(this.#file, line, r.timeField, 'FUTURE_TIME', why)] };
  }

  /** When results were ahead and no other result dated the run: says what dates it instead. */
  *fallback(newest: number | undefined): Generator<ParseEvent> {
    if (newest !== undefined || this.#hosts.size === 0 || this.#latest === undefined) return;
    const why = `every result time lies later than the clock allows (${iso(this.#latest)}): ` +
      'the run takes --as-of, else the file\'s modification time, else the clock';
    yield warning(this.#file, undefined, 'unixTime', 'FUTURE_TIME', why);
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
