import type { Evidence, Finding } from '../judge/finding.js';
import { findingId } from '../judge/make.js';
import { REFERENCES } from '../judge/references.js';
import { severityFor } from '../judge/severity.js';
import type { SourceState } from './port.js';

/** A watched source that has given nothing new for longer than its silence window. */
export interface SilentSource {
  readonly name: string;
  readonly formats: readonly string[];
  readonly lastFreshAt: string | null;
  readonly silentAfterSeconds: number;
  readonly lastError: string | null;
}

/** The watched sources silent at `now` (issue #5, point 8). */
export function silentSources(
  states: readonly SourceState[],
  windows: ReadonlyMap<string, number>,
  now: string,
): SilentSource[] {
  const out: SilentSource[] = [];
  for (const s of states) {
    const window = windows.get(s.name);
    if (window === undefined) continue;
    const since = s.lastFreshAt ?? s.firstReadAt;
    if (Date.parse(now) - Date.parse(since) <= window * 1000) continue;
    out.push({ name: s.name, formats: s.formats, lastFreshAt: s.lastFreshAt,
      silentAfterSeconds: window, lastError: s.lastError });
  }
  return out;
}

/**
 * Adjusts a judgement for source health: a silent source's records are not all reported
 * stale at once (one broken connector must not flood the inventory with false alarms); one
 * `source-silent` finding stands for them instead. Records of ephemeral classes that a
 * complete run no longer lists have simply ended: no `missing-from-source` for them.
 */
export function adjustForSourceHealth(
  findings: readonly Finding[],
  silent: readonly SilentSource[],
  isEphemeral: (subjectId: string) => boolean = () => false,
): Finding[] {
  const silentFormats = new Set(silent.flatMap((s) => s.formats));
  const held = new Map<string, number>();
  const kept = findings.filter((f) => {
    if (f.kind === 'missing-from-source' && isEphemeral(f.subject.id)) return false;
    if (f.kind !== 'stale-asset' || silentFormats.size === 0) return true;
    // The record would be fresh had its newest sighting's source reported: hold it back.
    const format = newestEvidence(f)?.format;
    const by = format === undefined ? undefined : silent.find((s) => s.formats.includes(format));
    if (!by) return true;
    held.set(by.name, (held.get(by.name) ?? 0) + 1);
    return false;
  });
  return [...kept, ...silent.map((s) => silentFinding(s, held.get(s.name) ?? 0))];
}

function newestEvidence(f: Finding): Evidence | undefined {
  return [...f.evidence].sort((a, b) => String(b.asOf).localeCompare(String(a.asOf)))[0];
}

function silentFinding(s: SilentSource, held: number): Finding {
  const id = `source:${s.name}`;
  const since = s.lastFreshAt ? `since ${s.lastFreshAt}` : 'since watching began';
  const hours = Math.round(s.silentAfterSeconds / 360) / 10;
  const error = s.lastError ? `; last error: ${s.lastError}` : '';
  return {
    id: findingId('source-silent', id),
    kind: 'source-silent',
    severity: severityFor('source-silent', null, null),
    // A source is not an inventory record; the subject names it under the `source:` prefix.
    subject: { type: 'asset', id, name: `source ${s.name}` },
    message: `source ${s.name} has given no new export ${since} (expected within ${hours} h)` +
      `${error}; ${held} record(s) not reported stale because of it`,
    references: REFERENCES['source-silent'],
    evidence: [{ source: s.name, field: 'lastFreshAt', value: s.lastFreshAt ?? null,
      ...(s.lastFreshAt ? { asOf: s.lastFreshAt } : {}) }],
  };
}
