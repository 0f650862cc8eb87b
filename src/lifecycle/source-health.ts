import type { Evidence, Finding } from '../judge/finding.js';
import { findingId } from '../judge/make.js';
import { REFERENCES } from '../judge/references.js';
import { severityFor } from '../judge/severity.js';
import { daysBetween } from '../model/time.js';
import type { SourceRun, SourceState } from './port.js';

/** A watched source that has given nothing new for longer than its silence window. */
export interface SilentSource {
  readonly name: string;
  readonly formats: readonly string[];
  readonly lastFreshAt: string | null;
  /** How often it is read (absent in states written before it was kept). */
  readonly everySeconds?: number;
  readonly silentAfterSeconds: number;
  readonly lastError: string | null;
  /** The runs of its last new export: only their records can be stale for lack of news. */
  readonly lastRuns: readonly SourceRun[];
}

/**
 * The watched sources silent at `now` (issue #5, point 8), from the health `roster watch`
 * keeps in the database: every judge (ingest, findings, serve, watch) reads the same.
 * A source whose expected interval was never recorded is not judged.
 */
export function silentSources(states: readonly SourceState[], now: string): SilentSource[] {
  const out: SilentSource[] = [];
  for (const s of states) {
    const window = s.silentAfterSeconds;
    if (window === undefined) continue;
    const since = s.lastFreshAt ?? s.firstReadAt;
    if (Date.parse(now) - Date.parse(since) <= window * 1000) continue;
    out.push({ name: s.name, formats: s.formats, lastFreshAt: s.lastFreshAt,
      ...(s.everySeconds !== undefined ? { everySeconds: s.everySeconds } : {}),
      silentAfterSeconds: window, lastError: s.lastError, lastRuns: s.lastRuns ?? [] });
  }
  return out;
}

/** The newest sighting a stale-asset finding cites. */
export function newestEvidence(f: Finding): Evidence | undefined {
  return [...f.evidence].sort((a, b) => String(b.asOf).localeCompare(String(a.asOf)))[0];
}

/**
 * The silent source whose silence explains a stale-asset finding, if any: the record's newest
 * sighting comes from that source's last export, and the record was fresh as of that export
 * (`windowDays`, its class's freshness window). A record the source itself last saw long
 * before (print-srv-01, last discovered 76 days earlier) was stale before the silence: it is
 * never held back.
 */
export function silenceExplaining(
  f: Finding,
  silent: readonly SilentSource[],
  windowDays: number,
): SilentSource | undefined {
  if (f.kind !== 'stale-asset') return undefined;
  const newest = newestEvidence(f);
  if (!newest?.format || typeof newest.value !== 'string') return undefined;
  const lastSeen = newest.value;
  for (const s of silent) {
    if (!s.formats.includes(newest.format)) continue;
    const run = s.lastRuns.find((r) => r.id === newest.runId);
    if (run && daysBetween(lastSeen, run.asOf) <= windowDays) return s;
  }
  return undefined;
}

/** Seconds in words a reader takes in at a glance: `45 min`, `4 h`, `1 d 12 h`. */
export function durationWords(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 90) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  const restMin = min % 60;
  if (h < 48) return restMin > 0 ? `${h} h ${restMin} min` : `${h} h`;
  const d = Math.floor(h / 24);
  const restH = h % 24;
  return restH > 0 ? `${d} d ${restH} h` : `${d} d`;
}

/**
 * The finding that stands for a silent source (its records are not reported stale at once:
 * one broken connector must not flood the inventory with false alarms). Its subject is the
 * source itself, by name.
 */
export function silentFinding(s: SilentSource, held: number): Finding {
  const id = `source:${s.name}`;
  const since = s.lastFreshAt ? `since ${s.lastFreshAt}` : 'since watching began';
  const every = s.everySeconds !== undefined
    ? `it is read every ${durationWords(s.everySeconds)} and ` : '';
  const error = s.lastError ? `; last error: ${s.lastError}` : '';
  return {
    id: findingId('source-silent', id),
    kind: 'source-silent',
    severity: severityFor('source-silent', null, null),
    subject: { type: 'source', id, name: s.name },
    message: `source ${s.name} has given no new export ${since} (${every}counts as silent ` +
      `after ${durationWords(s.silentAfterSeconds)})${error}; ${held} record(s) not reported ` +
      'stale because of it',
    references: REFERENCES['source-silent'],
    evidence: [{ source: s.name, field: 'lastFreshAt', value: s.lastFreshAt ?? null,
      ...(s.lastFreshAt ? { asOf: s.lastFreshAt } : {}) }],
  };
}
