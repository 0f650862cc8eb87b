/**
 * CMDB classes (`sys_class_name`). Field-name exports and the Table API write the table name
 * (`cmdb_ci_linux_server`); label exports write the class label (`Linux Server`).
 */

const CLASS_LABELS: Readonly<Record<string, string>> = {
  'configuration item': 'cmdb_ci',
  hardware: 'cmdb_ci_hardware',
  computer: 'cmdb_ci_computer',
  server: 'cmdb_ci_server',
  'linux server': 'cmdb_ci_linux_server',
  'windows server': 'cmdb_ci_win_server',
  'unix server': 'cmdb_ci_unix_server',
  'aix server': 'cmdb_ci_aix_server',
  'solaris server': 'cmdb_ci_solaris_server',
  'hp-ux server': 'cmdb_ci_hpux_server',
  'esx server': 'cmdb_ci_esx_server',
  'virtual machine instance': 'cmdb_ci_vm_instance',
  'vmware virtual machine instance': 'cmdb_ci_vmware_instance',
  'cloud service account': 'cmdb_ci_cloud_service_account',
  'network gear': 'cmdb_ci_netgear',
  'ip router': 'cmdb_ci_ip_router',
  'ip switch': 'cmdb_ci_ip_switch',
  'application server': 'cmdb_ci_app_server',
  application: 'cmdb_ci_appl',
  'database instance': 'cmdb_ci_db_instance',
  'kubernetes cluster': 'cmdb_ci_kubernetes_cluster',
  user: 'sys_user',
};

/** The table name of a class as written (table names pass through, known labels map). */
export function classNameOf(raw: string): string {
  const v = raw.trim();
  if (/^[a-z][a-z0-9_]*$/.test(v)) return v;
  return CLASS_LABELS[v.toLowerCase().replace(/\s+/g, ' ')] ?? v;
}

/**
 * Whether a class holds service accounts (identities). `cmdb_ci_cloud_service_account` is
 * not one: in ServiceNow's cloud model it is a provider account (an AWS account, an Azure
 * subscription), an asset.
 */
export function isServiceAccountClass(className: string): boolean {
  if (isCloudAccountClass(className)) return false;
  return /service[\s_-]?account/i.test(className);
}

export function isCloudAccountClass(className: string): boolean {
  return /cloud[\s_-]?service[\s_-]?account/i.test(className);
}

const OS_FAMILIES: readonly [RegExp, string][] = [
  [/windows/i, 'windows'],
  [/linux|red ?hat|rhel|ubuntu|centos|debian|suse|fedora|rocky|alma/i, 'linux'],
  [/\baix\b/i, 'aix'],
  [/solaris|sunos/i, 'solaris'],
  [/hp-?ux/i, 'hp-ux'],
  [/mac ?os|os x|darwin/i, 'macos'],
  [/esxi?\b|vmware/i, 'vmware'],
];

const CLASS_PLATFORMS: readonly [RegExp, string][] = [
  [/_(win|windows)_/, 'windows'],
  [/_linux_/, 'linux'],
  [/_aix_/, 'aix'],
  [/_solaris_/, 'solaris'],
  [/_hpux_/, 'hp-ux'],
  [/_(esx|vmware)_?/, 'vmware'],
  [/_(ec2|aws)_?/, 'aws'],
  [/_azure_?/, 'azure'],
  [/_(gcp|google)_?/, 'gcp'],
  [/_(k8s|kubernetes)_?/, 'kubernetes'],
];

/**
 * A platform word from the operating system, else from the class; the operating system as
 * written when it names no family we know.
 */
export function platformOf(
  className: string | undefined,
  os: string | undefined,
): string | undefined {
  const fromOs = os ? OS_FAMILIES.find(([re]) => re.test(os))?.[1] : undefined;
  if (fromOs) return fromOs;
  const cls = className ? `${className}_` : '';
  return CLASS_PLATFORMS.find(([re]) => re.test(cls))?.[1] ?? os;
}
