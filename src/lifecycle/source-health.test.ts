import { describe, expect, it } from 'vitest';
import type { Finding } from '../judge/finding.js';
import type { SourceState } from './port.js';
import {
  durationWords,
  silenceExplaining,
  silentFinding,
  silentSources,
} from './source-health.js';

const RUN = { id: 'run_ec2', asOf: '2026-12-01T00:00:00.000Z' };
const state = (name: string, lastFreshAt: string | null, formats: string[],
  extra: Partial<SourceState> = {}): SourceState => ({
  name, fingerprint: 'f', firstReadAt: '2026-12-01T00:00:00.000Z', lastReadAt: null, lastFreshAt,
  nextAt: null, failures: 0, lastError: null, formats, everySeconds: 900,
  silentAfterSeconds: 2700, lastRuns: [RUN], ...extra,
});
const stale = (id: string, format: string, lastSeen: string, runId = RUN.id): Finding => ({
  id: `fnd_${id}`, kind: 'stale-asset', severity: 'low', subject: { type: 'asset', id, name: id },
  message: 'stale', references: [],
  evidence: [{ source: 'x', format, field: 'lastSeen', value: lastSeen, asOf: lastSeen, runId }],
});

describe('source health', () => {
  it('finds the sources with nothing new for longer than the window kept for them', () => {
    const silent = silentSources([
      state('cmdb', '2026-12-01T00:00:00.000Z', ['servicenow-cmdb']),
      state('ec2', '2026-12-01T01:30:00.000Z', ['aws-ec2-instances']),
      // Never watched with an interval: nothing says when it should have reported.
      state('old', '2026-11-01T00:00:00.000Z', ['x'], { silentAfterSeconds: undefined }),
    ], '2026-12-01T02:00:00.000Z');
    expect(silent.map((s) => s.name)).toEqual(['cmdb']);
  });

  it('holds back only staleness the silence explains', () => {
    const [ec2] = silentSources([state('ec2', RUN.asOf, ['aws-ec2-instances'])],
      '2026-12-20T00:00:00.000Z');
    // Seen in the source's last export, fresh then: stale only because no export came since.
    expect(silenceExplaining(stale('a', 'aws-ec2-instances', RUN.asOf), [ec2!], 7)?.name)
      .toBe('ec2');
    // Last seen 76 days before that export: stale before the silence began.
    expect(silenceExplaining(stale('b', 'aws-ec2-instances', '2026-09-16T00:00:00.000Z'),
      [ec2!], 7)).toBeUndefined();
    // From an older run of that source, or from another source: not explained either.
    expect(silenceExplaining(stale('c', 'aws-ec2-instances', RUN.asOf, 'run_old'), [ec2!], 7))
      .toBeUndefined();
    expect(silenceExplaining(stale('d', 'k8s-pods', RUN.asOf), [ec2!], 7)).toBeUndefined();
  });

  it('names the source and says its interval in words', () => {
    const [ec2] = silentSources([state('ec2', RUN.asOf, ['aws-ec2-instances'])],
      '2026-12-02T00:00:00.000Z');
    const f = silentFinding(ec2!, 2);
    expect(f.subject).toEqual({ type: 'source', id: 'source:ec2', name: 'ec2' });
    expect(f.message).toBe('source ec2 has given no new export since 2026-12-01T00:00:00.000Z ' +
      '(it is read every 15 min and counts as silent after 45 min); ' +
      '2 record(s) not reported stale because of it');
    expect(f.references).toEqual(['NIST-CSF-2.0:ID.AM-01', 'NIST-SP-800-207:tenet-7']);
  });

  it('writes durations as a reader says them', () => {
    expect([30, 2700, 2880, 3600, 16_200, 86_400, 259_200, 129_600].map(durationWords))
      .toEqual(['30 s', '45 min', '48 min', '1 h', '4 h 30 min', '24 h', '3 d', '36 h']);
  });
});
