import type { Admission, Criticality, Environment, LifecycleStage } from '../../model/types.js';

/**
 * ServiceNow's choice lists, by stored code and by display value. Codes and labels are those
 * of a base instance's `sys_choice` rows for `cmdb_ci`.
 */
export interface Choice {
  readonly code: string;
  readonly label: string;
}

/** `cmdb_ci.install_status`. */
const INSTALL_STATUS: readonly Choice[] = [
  { code: '1', label: 'Installed' },
  { code: '2', label: 'On Order' },
  { code: '3', label: 'In Maintenance' },
  { code: '4', label: 'Pending Install' },
  { code: '5', label: 'Pending Repair' },
  { code: '6', label: 'In Stock' },
  { code: '7', label: 'Retired' },
  { code: '8', label: 'Stolen' },
  { code: '100', label: 'Absent' },
];

/** `cmdb_ci.operational_status`. */
const OPERATIONAL_STATUS: readonly Choice[] = [
  { code: '1', label: 'Operational' },
  { code: '2', label: 'Non-Operational' },
  { code: '3', label: 'Repair in Progress' },
  { code: '4', label: 'DR Standby' },
  { code: '5', label: 'Ready' },
  { code: '6', label: 'Retired' },
  { code: '7', label: 'Pipeline' },
  { code: '8', label: 'Catalog' },
];

/** Finds a choice by its code or its label (case- and space-insensitive). */
function lookup(list: readonly Choice[], raw: string): Choice | undefined {
  const v = raw.trim().replace(/\s+/g, ' ').toLowerCase();
  return list.find((c) => c.code === v || c.label.toLowerCase() === v);
}

export const installStatus = (raw: string): Choice | undefined => lookup(INSTALL_STATUS, raw);
export const operationalStatus = (raw: string): Choice | undefined =>
  lookup(OPERATIONAL_STATUS, raw);

const GONE_INSTALL = new Set(['7', '8', '100']);

/** Install statuses Retired, Stolen and Absent, or operational status Retired: gone. */
export function admissionOf(install?: Choice, operational?: Choice): Admission {
  if (install && GONE_INSTALL.has(install.code)) return 'retired';
  if (operational?.code === '6') return 'retired';
  return 'approved';
}

const STAGE_BY_INSTALL: Readonly<Record<string, LifecycleStage>> = {
  '1': 'in-service',
  '2': 'planned',
  '3': 'maintenance',
  '4': 'provisioning',
  '5': 'maintenance',
  '6': 'planned',
  '7': 'retired',
  '8': 'retired',
  '100': 'retired',
};

/** True for statuses that say a CI is on its way out ("Pending Retirement", "Decommissioning"). */
export function saysDecommissioning(text: string): boolean {
  return /pending[\s_-]*(retire|decom)|decommissioning|being decommissioned/i.test(text);
}

export function saysRetired(text: string): boolean {
  return /^(decommissioned|disposed|retired|end of life)$/i.test(text.trim());
}

/**
 * The lifecycle stage a CI's statuses say. Any status saying it is being retired wins; then a
 * CI that is gone by its install or operational status is retired; then the install status.
 */
export function lifecycleOf(
  statusTexts: readonly string[],
  install?: Choice,
  operational?: Choice,
): LifecycleStage | undefined {
  if (statusTexts.some(saysDecommissioning)) return 'decommissioning';
  if (admissionOf(install, operational) === 'retired') return 'retired';
  if (install) return STAGE_BY_INSTALL[install.code];
  if (statusTexts.some(saysRetired)) return 'retired';
  return undefined;
}

/** Whether a status text we have no code for still says something we understand. */
export function isUnderstoodStatus(text: string): boolean {
  return saysDecommissioning(text) || saysRetired(text);
}

/**
 * `busines_criticality`: `1 - most critical` … `4 - not critical`, the bare codes, or words.
 */
export function criticalityOf(raw: string): Criticality | undefined {
  const v = raw.trim().toLowerCase();
  const code = /^([1-4])(\s*-.*)?$/.exec(v)?.[1];
  if (code) return (['critical', 'high', 'medium', 'low'] as const)[Number(code) - 1];
  if (/^(most critical|critical|very high)$/.test(v)) return 'critical';
  if (/^(somewhat critical|high)$/.test(v)) return 'high';
  if (/^(less critical|medium|moderate)$/.test(v)) return 'medium';
  if (/^(not critical|low|none)$/.test(v)) return 'low';
  return undefined;
}

const ENVIRONMENTS: Readonly<Record<string, Environment>> = {
  production: 'production',
  prod: 'production',
  staging: 'staging',
  stage: 'staging',
  qa: 'test',
  test: 'test',
  testing: 'test',
  uat: 'test',
  development: 'development',
  dev: 'development',
  'disaster recovery': 'dr',
  dr: 'dr',
};

/** `used_for` / `environment`: the known words normalised, anything else kept as written. */
export function environmentOf(raw: string): string {
  const v = raw.trim();
  return ENVIRONMENTS[v.toLowerCase().replace(/\s+/g, ' ')] ?? v;
}

/** `true`/`false`/`1`/`0` (and yes/no) as a boolean; undefined when it is none of those. */
export function booleanOf(raw: string): boolean | undefined {
  const v = raw.trim().toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  return undefined;
}
