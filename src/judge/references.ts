import type { FindingKind } from './finding.js';

/**
 * Framework references of each finding kind: OWASP Non-Human Identity Top 10 (2025), NIST CSF
 * 2.0 ID.AM subcategories, and the tenets of NIST SP 800-207 (tenet 5: the enterprise monitors
 * the posture of all owned and associated assets; tenet 7: it collects as much as it can about
 * their current state).
 */
export const REFERENCES: Readonly<Record<FindingKind, readonly string[]>> = {
  'unknown-asset': ['NIST-CSF-2.0:ID.AM-01', 'NIST-CSF-2.0:ID.AM-02', 'NIST-SP-800-207:tenet-5'],
  'unowned-asset': ['NIST-CSF-2.0:ID.AM-01', 'NIST-CSF-2.0:ID.AM-08', 'NIST-SP-800-207:tenet-5'],
  'inactive-owner': ['OWASP-NHI1:2025', 'NIST-CSF-2.0:ID.AM-08'],
  'retired-asset-active': ['OWASP-NHI1:2025', 'NIST-CSF-2.0:ID.AM-08', 'NIST-SP-800-207:tenet-5'],
  'stale-asset': ['NIST-CSF-2.0:ID.AM-01', 'NIST-SP-800-207:tenet-7'],
  'missing-from-source': ['NIST-CSF-2.0:ID.AM-01', 'NIST-CSF-2.0:ID.AM-08'],
  'orphaned-credential': ['OWASP-NHI1:2025', 'NIST-CSF-2.0:ID.AM-08'],
  'unused-credential': ['OWASP-NHI1:2025', 'OWASP-NHI7:2025', 'NIST-CSF-2.0:ID.AM-08'],
  'unrotated-credential': ['OWASP-NHI7:2025', 'NIST-CSF-2.0:ID.AM-08'],
  'root-access-key': ['OWASP-NHI5:2025', 'OWASP-NHI7:2025'],
  'human-use-of-nhi': ['OWASP-NHI10:2025'],
  'conflicting-attributes': ['NIST-CSF-2.0:ID.AM-01', 'NIST-SP-800-207:tenet-7'],
  'expired-credential': ['OWASP-NHI1:2025', 'NIST-CSF-2.0:ID.AM-08'],
  'expiring-credential': ['OWASP-NHI7:2025', 'NIST-CSF-2.0:ID.AM-08'],
  'weak-credential': ['OWASP-NHI4:2025'],
  'self-signed-outside-trust': ['OWASP-NHI4:2025', 'NIST-SP-800-207:tenet-6'],
  'nhi-reuse': ['OWASP-NHI9:2025'],
  'environment-crossing': ['OWASP-NHI8:2025'],
  'unregistered-workload': ['NIST-CSF-2.0:ID.AM-02', 'NIST-SP-800-207:tenet-5'],
  'long-lived-credential': ['OWASP-NHI7:2025'],
  'attestation-overdue': ['NIST-CSF-2.0:ID.AM-08', 'OWASP-NHI1:2025'],
  'source-silent': ['NIST-CSF-2.0:ID.AM-01', 'NIST-SP-800-207:tenet-7'],
};
