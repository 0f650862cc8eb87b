/** How a run's as-of is told and checked against the clock (DESIGN.md rule 1). */
import { RosterError } from '../model/errors.js';
import type { Clock } from '../model/time.js';
import type { RunRecord } from '../store/port.js';

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
