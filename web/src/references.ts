/**
 * The framework references that findings cite (docs/findings.md), written out for reviewers:
 * `OWASP-NHI1:2025` → OWASP Non-Human Identity Top 10 (2025), NHI1, Improper Offboarding.
 */
export interface Reference {
  readonly code: string;
  readonly framework: string;
  readonly control: string;
  readonly title: string;
}

const OWASP_NHI: Record<string, string> = {
  NHI1: 'Improper Offboarding',
  NHI2: 'Secret Leakage',
  NHI3: 'Vulnerable Third-Party NHI',
  NHI4: 'Insecure Authentication',
  NHI5: 'Overprivileged NHI',
  NHI6: 'Insecure Cloud Deployment Configurations',
  NHI7: 'Long-Lived Secrets',
  NHI8: 'Environment Isolation',
  NHI9: 'NHI Reuse',
  NHI10: 'Human Use of NHI',
};

const CSF_ID_AM: Record<string, string> = {
  'ID.AM-01': 'Hardware inventory',
  'ID.AM-02': 'Software, services and systems inventory',
  'ID.AM-03': 'Network communication and data flows',
  'ID.AM-04': 'Supplier services inventory',
  'ID.AM-05': 'Assets prioritised by classification, criticality and impact',
  'ID.AM-07': 'Data inventory',
  'ID.AM-08': 'Assets managed through their life cycles',
};

const ZTA_TENETS: Record<string, string> = {
  'tenet-1': 'Every data source and computing service is a resource',
  'tenet-2': 'Communication is secured wherever it happens',
  'tenet-3': 'Access is granted per session',
  'tenet-4': 'Access is decided by dynamic policy',
  'tenet-5': 'The posture of every asset is monitored; unmanaged assets may be denied',
  'tenet-6': 'Authentication and authorisation are dynamic and enforced before access',
  'tenet-7': 'The state of assets is collected to improve security posture',
};

export function describeReference(code: string): Reference {
  const owasp = /^OWASP-(NHI\d+):(\d{4})$/.exec(code);
  if (owasp) {
    const control = owasp[1]!;
    const framework = `OWASP Non-Human Identity Top 10 (${owasp[2]!})`;
    return { code, framework, control, title: OWASP_NHI[control] ?? '' };
  }
  const csf = /^NIST-CSF-2\.0:(ID\.AM-\d+)$/.exec(code);
  if (csf) {
    const control = csf[1]!;
    return { code, framework: 'NIST CSF 2.0', control, title: CSF_ID_AM[control] ?? '' };
  }
  const zta = /^NIST-SP-800-207:(tenet-\d)$/.exec(code);
  if (zta) {
    const control = zta[1]!;
    return { code, framework: 'NIST SP 800-207', control, title: ZTA_TENETS[control] ?? '' };
  }
  return { code, framework: '', control: code, title: '' };
}
