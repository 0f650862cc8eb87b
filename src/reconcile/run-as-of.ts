/** How a run's as-of is told and checked against the clock (DESIGN.md rule 1). */
import { RosterError } from '../model/errors.js';
import {
  DEFAULT_CLOCK_SKEW_SECONDS, EARLIEST_GIVEN_INSTANT, parseInstant, type Clock,
} from '../model/time.js';
import type { Warning } from '../model/types.js';
import type { RunRecord } from '../store/port.js';
import type { IngestOptions } from './ingest.js';

const ORIGIN_TEXT: Readonly<Record<RunRecord['asOfOrigin'], string>> = {
  file: 'the export\'s own generation time',
  flag: 'given as --as-of or the API\'s asOf',
  mtime: 'the file\'s modification time',
  clock: 'the clock',
};

const ORIGIN_HINT: Readonly<Record<RunRecord['asOfOrigin'], string>> = {
  file: 'check the clock of the system that made it, and --now',
  flag: 'check --as-of or asOf, and --now',
  mtime: 'check the file\'s time and --now',
  clock: 'check --now',
};

/**
 * The latest as-of a run may take: the clock plus the skew allowed. A later one is refused by
 * {@link checkNotFuture}.
 *
 * @example
 * latestAsOf(fixedClock('2026-12-01T00:00:00Z'), 900); // '2026-12-01T00:15:00.000Z'
 */
export function latestAsOf(clock: Clock, skewSeconds: number): string {
  return new Date(Date.parse(clock.now()) + skewSeconds * 1000).toISOString();
}

/**
 * Refuses a run whose as-of lies later than the clock by more than the skew allowed: an
 * export cannot have been made in the future, and a future as-of would outrank every real
 * export that follows it (an older fact never overwrites a newer one), freezing what it lists.
 */
export function checkNotFuture(
  file: string,
  asOf: string,
  origin: RunRecord['asOfOrigin'],
  clock: Clock,
  skewSeconds: number,
): void {
  const now = clock.now();
  if (Date.parse(asOf) - Date.parse(now) <= skewSeconds * 1000) return;
  const minutes = skewSeconds > 0 && skewSeconds % 60 === 0;
  const skew = minutes ? `${skewSeconds / 60} minutes` : `${skewSeconds} seconds`;
  throw new RosterError(
    'BAD_INPUT',
    `${file}: as of ${asOf} (${ORIGIN_TEXT[origin]}) is later than the clock ${now} by more ` +
      `than ${skew}: an export cannot have been made in the future; the run is refused and ` +
      `nothing of it was stored (${ORIGIN_HINT[origin]})`,
    { field: 'asOf', asOf, clock: now },
  );
}

type AsOfOptions = Pick<IngestOptions, 'asOf' | 'fallbackAsOf' | 'clock' | 'clockSkewSeconds'>;

/**
 * A run's as-of: the file's own, else --as-of, else the fallback (the file's modification
 * time, unless it is later than the clock), else the clock. Settled once, and refused when it
 * lies in the future (DESIGN.md rule 1).
 */
export class RunAsOf {
  #asOf: string | undefined;
  #origin: RunRecord['asOfOrigin'] = 'flag';

  constructor(
    private readonly file: string,
    private readonly formatName: string,
    private readonly options: AsOfOptions,
    private readonly warnings: Warning[],
  ) {}

  /** Where the as-of came from; `flag` until it is settled. */
  get origin(): RunRecord['asOfOrigin'] {
    return this.#origin;
  }

  /** The time the file says it was made: the run's as-of, unless records already took one. */
  fromFile(text: string): void {
    if (this.#asOf === undefined) {
      // Canonical ISO text, so that as-of times compare as strings (rule 1).
      const t = parseInstant(text);
      if (!t.ok || !t.value) return;
      if (t.value < EARLIEST_GIVEN_INSTANT) {
        // As for --as-of: no export was made before 1970 (a written 0026 for 2026).
        this.warnings.push({
          file: this.file,
          field: 'asOf',
          message: `the file says it was made at ${t.value}, before 1970: almost surely a ` +
            'typo (years are read as written); not used, the run takes its as-of as if the ' +
            'file gave none',
          code: 'INVALID_VALUE',
        });
        return;
      }
      this.#settle(t.value, 'file');
      this.#noteFlagUnused(t.value);
    } else if (this.#origin !== 'file') {
      // Records already stored took a default as-of that the file's own should have beaten:
      // a reader that gives its as-of after its first records (a fault of the reader).
      throw new Error(`${this.formatName} gave the file's as-of after records were stored ` +
        `as of ${this.#asOf}`);
    }
  }

  /** The as-of, settled by default at the first call if the file gave none. */
  value(): string {
    if (this.#asOf) return this.#asOf;
    const { asOf, origin } = this.byDefault();
    return this.#settle(asOf, origin);
  }

  /** The as-of the run takes should the file not give one (not settled, not checked). */
  byDefault(): { asOf: string; origin: RunRecord['asOfOrigin'] } {
    const { asOf, fallbackAsOf, clock } = this.options;
    if (asOf) return { asOf, origin: 'flag' };
    const now = clock.now();
    if (fallbackAsOf && Date.parse(fallbackAsOf) <= Date.parse(now)) {
      return { asOf: fallbackAsOf, origin: 'mtime' };
    }
    return { asOf: now, origin: 'clock' };
  }

  /** The latest as-of the run may take: the clock plus the skew allowed. */
  latest(): string {
    return latestAsOf(this.options.clock, this.#skew());
  }

  #skew(): number {
    return this.options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  }

  #settle(asOf: string, origin: RunRecord['asOfOrigin']): string {
    // Kept before the check, so that the failed run's record says what was refused.
    this.#asOf = asOf;
    this.#origin = origin;
    checkNotFuture(this.file, asOf, origin, this.options.clock, this.#skew());
    return asOf;
  }

  /** An --as-of given for a file that says its own: the file's wins (rule 1), said once. */
  #noteFlagUnused(fileAsOf: string): void {
    const given = this.options.asOf;
    if (given === undefined || given === fileAsOf) return;
    this.warnings.push({
      file: this.file,
      field: 'asOf',
      message: `the file says it was made at ${fileAsOf}: that is its as-of, and the as-of ` +
        `given (--as-of, or the API's asOf) ${given} is not used`,
      code: 'AS_OF_FROM_FILE',
    });
  }
}
