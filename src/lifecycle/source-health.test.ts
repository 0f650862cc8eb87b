import { describe, expect, it } from 'vitest';
import type { Finding } from '../judge/finding.js';
import type { SourceState } from './port.js';
import { adjustForSourceHealth, silentSources } from './source-health.js';

const state = (name: string, lastFreshAt: string | null, formats: string[]): SourceState => ({
  name, fingerprint: 'f', firstReadAt: '2026-12-01T00:00:00.000Z', lastReadAt: null, lastFreshAt,
  nextAt: null, failures: 0, lastError: null, formats,
});
const stale = (id: string, format: string): Finding => ({
  id: `fnd_${id}`, kind: 'stale-asset', severity: 'low', subject: { type: 'asset', id, name: id },
  message: 'stale', references: [],
  evidence: [{ source: 'x', format, field: 'lastSeen', value: 1 }],
});

describe('source health', () => {
  const windows = new Map([['cmdb', 3600], ['ec2', 3600]]);

  it('finds the sources with nothing new for longer than their window', () => {
    const silent = silentSources([state('cmdb', '2026-12-01T00:00:00.000Z', ['servicenow-cmdb']),
      state('ec2', '2026-12-01T01:30:00.000Z', ['aws-ec2-instances'])], windows,
    '2026-12-01T02:00:00.000Z');
    expect(silent.map((s) => s.name)).toEqual(['cmdb']);
  });

  it("replaces a silent source's stale records by one source-silent finding", () => {
    const silent = silentSources([state('ec2', '2026-12-01T00:00:00.000Z', ['aws-ec2-instances'])],
      windows, '2026-12-02T00:00:00.000Z');
    const findings = [stale('a', 'aws-ec2-instances'), stale('b', 'aws-ec2-instances'),
      stale('c', 'k8s-pods')];
    const out = adjustForSourceHealth(findings, silent);
    expect(out.map((f) => [f.kind, f.subject.id])).toEqual([
      ['stale-asset', 'c'], ['source-silent', 'source:ec2']]);
    expect(out[1]!.message).toBe('source ec2 has given no new export since ' +
      '2026-12-01T00:00:00.000Z (expected within 1 h); ' +
      '2 record(s) not reported stale because of it');
    expect(out[1]!.references).toEqual(['NIST-CSF-2.0:ID.AM-01', 'NIST-SP-800-207:tenet-7']);
  });

  it('drops missing-from-source for ephemeral things, whose end is their lifecycle', () => {
    const missing = { ...stale('pod', 'k8s-pods'), kind: 'missing-from-source' as const };
    expect(adjustForSourceHealth([missing], [], (id) => id === 'pod')).toEqual([]);
    expect(adjustForSourceHealth([missing], [])).toEqual([missing]);
  });
});
