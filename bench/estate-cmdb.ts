/**
 * ServiceNow CMDB rows of the synthetic estate: servers (cloud ones carry the EC2 instance id in
 * object_id, as the ServiceNow AWS discovery writes it) and service accounts (object_id = the
 * IAM user's ARN). Columns under field names, choices as display values, local times without a
 * zone: the shape of a CSV export of cmdb_ci_server / cmdb_ci_service_account.
 */
import {
  cmdbTime,
  dice,
  hasCmdbRow,
  hasServiceAccountRow,
  hexOf,
  instanceId,
  instanceName,
  ipOf,
  macOf,
  personOf,
  placeOf,
  TEAMS,
  type EstatePlan,
} from './estate-plan.js';
import { cmdbEnvironment, isRetiredServer, userArn, userName } from './estate-links.js';

export const CMDB_COLUMNS = [
  'sys_id', 'name', 'sys_class_name', 'serial_number', 'asset_tag', 'fqdn', 'host_name',
  'ip_address', 'mac_address', 'object_id', 'owned_by', 'managed_by', 'support_group',
  'install_status', 'operational_status', 'used_for', 'busines_criticality', 'last_discovered',
  'short_description', 'os', 'u_cost_center', 'sys_updated_on',
] as const;

export type CmdbRow = Record<(typeof CMDB_COLUMNS)[number], string>;

const CRITICALITY = ['1 - most critical', '2 - somewhat critical', '3 - less critical',
  '4 - not critical'];
const LINUX = ['Linux Red Hat 9', 'Linux Ubuntu 22.04', 'Linux Ubuntu 24.04', 'Amazon Linux 2023'];

function status(retired: boolean): Pick<CmdbRow, 'install_status' | 'operational_status'> {
  return retired
    ? { install_status: 'Retired', operational_status: 'Retired' }
    : { install_status: 'Installed', operational_status: 'Operational' };
}

function ownership(plan: EstatePlan, i: number, salt: number) {
  // 2% name nobody at all: no owner, no support group (unowned-asset).
  if (dice(i, salt + 200) < 0.02) return { owned_by: '', managed_by: '', support_group: '' };
  return {
    owned_by: personOf(plan, i, salt + 201).name,
    managed_by: personOf(plan, i, salt + 202).name,
    support_group: TEAMS[Math.floor(dice(i, salt + 203) * TEAMS.length)]!,
  };
}

/** The CMDB row of cloud instance `i` (only for instances with hasCmdbRow). */
export function cloudServerRow(plan: EstatePlan, i: number): CmdbRow {
  const name = instanceName(i);
  const linux = dice(i, 301) < 0.8;
  const { local } = placeOf(plan, i);
  return {
    sys_id: hexOf(i, 11, 32),
    name,
    sys_class_name: linux ? 'cmdb_ci_linux_server' : 'cmdb_ci_win_server',
    serial_number: '',
    asset_tag: `AT-${String(i).padStart(8, '0')}`,
    fqdn: `${name}.corp.example`,
    host_name: name,
    ip_address: ipOf(local, 20 + (i % plan.accounts) % 200),
    mac_address: macOf(i, '02:1a'),
    object_id: instanceId(i),
    ...ownership(plan, i, 1),
    ...status(isRetiredServer(i, 1)),
    used_for: cmdbEnvironment(i, 1),
    busines_criticality: CRITICALITY[Math.floor(dice(i, 302) * CRITICALITY.length)]!,
    last_discovered: cmdbTime(dice(i, 303)),
    short_description: `Application server ${name}, ${linux ? 'Linux' : 'Windows'} fleet`,
    os: linux ? LINUX[i % LINUX.length]! : 'Windows Server 2022',
    u_cost_center: `CC-${4400 + (i % 40)}`,
    sys_updated_on: cmdbTime(1 + dice(i, 304) * 300),
  };
}

/** A server the CMDB knows on premises: serial number, no cloud id. 3% went stale. */
export function onPremServerRow(plan: EstatePlan, j: number): CmdbRow {
  const name = `dc-${String(j).padStart(6, '0')}`;
  const linux = dice(j, 401) < 0.7;
  const stale = dice(j, 402) < 0.03;
  return {
    sys_id: hexOf(j, 12, 32),
    name,
    sys_class_name: linux ? 'cmdb_ci_linux_server' : 'cmdb_ci_win_server',
    serial_number: `CZ${hexOf(j, 13, 8).toUpperCase()}`,
    asset_tag: `DC-${String(j).padStart(8, '0')}`,
    fqdn: `${name}.dc.corp.example`,
    host_name: name,
    ip_address: ipOf(j, 10),
    mac_address: macOf(j, '3c:52'),
    object_id: '',
    ...ownership(plan, j, 2),
    ...status(isRetiredServer(j, 2)),
    used_for: cmdbEnvironment(j, 2),
    busines_criticality: CRITICALITY[Math.floor(dice(j, 403) * CRITICALITY.length)]!,
    last_discovered: cmdbTime(stale ? 30 + dice(j, 404) * 60 : dice(j, 404)),
    short_description: `Data centre server ${name}`,
    os: linux ? LINUX[j % LINUX.length]! : 'Windows Server 2019',
    u_cost_center: `CC-${4400 + (j % 40)}`,
    sys_updated_on: cmdbTime(1 + dice(j, 405) * 600),
  };
}

/** The CMDB row of service user `u` (only for users with hasServiceAccountRow). */
export function serviceAccountRow(plan: EstatePlan, u: number): CmdbRow {
  const name = userName(plan, u);
  return {
    sys_id: hexOf(u, 14, 32),
    name,
    sys_class_name: 'cmdb_ci_service_account',
    serial_number: '',
    asset_tag: '',
    fqdn: '',
    host_name: '',
    ip_address: '',
    mac_address: '',
    object_id: userArn(plan, u),
    ...ownership(plan, u, 3),
    // 4% retired: their keys still active are orphaned credentials.
    ...status(dice(u, 501) < 0.04),
    used_for: 'Production',
    busines_criticality: CRITICALITY[Math.floor(dice(u, 502) * CRITICALITY.length)]!,
    last_discovered: '',
    short_description: `Service account ${name}`,
    os: '',
    u_cost_center: `CC-${4400 + (u % 40)}`,
    sys_updated_on: cmdbTime(1 + dice(u, 503) * 300),
  };
}

export function* cmdbServerRows(plan: EstatePlan): Generator<CmdbRow> {
  for (let i = 0; i < plan.instances; i++) if (hasCmdbRow(i)) yield cloudServerRow(plan, i);
  for (let j = 0; j < plan.onPremServers; j++) yield onPremServerRow(plan, j);
}

export function* serviceAccountRows(plan: EstatePlan): Generator<CmdbRow> {
  for (let u = 0; u < plan.iamUsers; u++) {
    if (hasServiceAccountRow(u)) yield serviceAccountRow(plan, u);
  }
}
