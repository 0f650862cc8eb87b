import type { Finding } from '../judge/finding.js';

/**
 * The fields of a finding that the CLI's and the API's JSON views share, copied so that a
 * caller may hand them on without exposing the judged finding itself.
 */
export function findingFields(f: Finding) {
  return {
    id: f.id,
    kind: f.kind,
    severity: f.severity,
    subject: { ...f.subject },
    message: f.message,
    references: [...f.references],
    evidence: f.evidence.map((e) => ({ ...e })),
  };
}
