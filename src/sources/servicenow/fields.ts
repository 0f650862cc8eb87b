import { findSecret, safeName } from '../../model/secret-shapes.js';
import type { FileContext } from './context.js';
import type { CmdbMapping } from './mapping.js';

/**
 * Field names of the ServiceNow tables Roster reads: `cmdb_ci` and the usual hardware,
 * computer and server extensions, and `sys_user`. A column under one of these names, under its
 * label, or named `u_*` (an instance's custom field) is expected; anything else is reported
 * once per file as an unknown column and still kept as a `cmdb.<field>` attribute.
 */
const CMDB_CI_FIELDS = `
  asset asset_tag assigned assigned_to assignment_group attestation_score attested attested_by
  attested_date attributes busines_criticality business_unit can_print category change_control
  checked_in checked_out comments company correlation_id cost cost_cc cost_center delivery_date
  department discovery_source dns_domain due due_in duplicate_of environment fault_count
  first_discovered fqdn gl_account install_date install_status invoice_number ip_address
  justification last_discovered lease_id life_cycle_stage life_cycle_stage_status location
  mac_address maintenance_schedule managed_by managed_by_group manufacturer model_id
  model_number monitor name object_id operational_status order_date owned_by po_number
  product_instance_id purchase_date schedule serial_number short_description skip_sync sla
  start_date subcategory support_group supported_by sys_class_name sys_class_path
  sys_created_by sys_created_on sys_domain sys_domain_path sys_id sys_mod_count sys_tags
  sys_updated_by sys_updated_on unverified used_for vendor version warranty_expiration`;

const COMPUTER_FIELDS = `
  account_id cd_rom cd_speed chassis_type classification cluster_name cpu_core_count
  cpu_core_thread cpu_count cpu_manufacturer cpu_name cpu_speed cpu_type default_gateway
  disk_space dr_backup firewall_status floppy form_factor hardware_status hardware_substatus
  host_name internet_facing is_clustered kernel_release os os_address_width os_domain
  os_service_pack os_version ram virtual vm_inst_id`;

const SYS_USER_FIELDS = `
  active building city country email employee_number first_name gender home_phone
  internal_integration_user last_login last_login_time last_name locked_out manager
  middle_name mobile_phone phone source state street time_zone title user_name vip
  web_service_access_only zip`;

const KNOWN = new Set(
  [CMDB_CI_FIELDS, COMPUTER_FIELDS, SYS_USER_FIELDS].join(' ').trim().split(/\s+/),
);

/** Labels that do not turn into their field name by lower-casing and underscoring. */
const LABELS: Readonly<Record<string, string>> = {
  'sys id': 'sys_id',
  class: 'sys_class_name',
  status: 'install_status',
  'business criticality': 'busines_criticality',
  'fully qualified domain name': 'fqdn',
  'most recent discovery': 'last_discovered',
  created: 'sys_created_on',
  'created by': 'sys_created_by',
  updated: 'sys_updated_on',
  'updated by': 'sys_updated_by',
  updates: 'sys_mod_count',
  description: 'short_description',
  'operating system': 'os',
  'os version': 'os_version',
  'user id': 'user_name',
  'e-mail': 'email',
  domain: 'sys_domain',
  tags: 'sys_tags',
  'model id': 'model_id',
  'disk space (gb)': 'disk_space',
  'ram (mb)': 'ram',
  'cpu speed (mhz)': 'cpu_speed',
  'approval group': 'change_control',
  'dns domain': 'dns_domain',
};

/** Other spellings of the same field. ServiceNow itself spells it `busines_criticality`. */
const ALIASES: Readonly<Record<string, string>> = {
  business_criticality: 'busines_criticality',
  hostname: 'host_name',
  mac: 'mac_address',
  ip: 'ip_address',
};

/** `Serial number` → `serial_number`; `sys_id` stays `sys_id`. */
export function slug(column: string): string {
  return column
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_.]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** Whether a field is one ServiceNow defines or an instance's custom (`u_`) field. */
export function isExpectedField(field: string): boolean {
  return KNOWN.has(field) || field.startsWith('u_');
}

/**
 * Turns columns (or JSON keys) into canonical field names for one file, and reports each
 * unknown column once.
 */
export class FieldNames {
  readonly #ctx: FileContext;
  readonly #mapping: CmdbMapping | undefined;
  readonly #cache = new Map<string, string>();

  constructor(ctx: FileContext, mapping: CmdbMapping | undefined) {
    this.#ctx = ctx;
    this.#mapping = mapping;
  }

  /** The field a column holds; warns (once) when it is not one ServiceNow defines. */
  resolve(column: string, line: number): string {
    const cached = this.#cache.get(column);
    if (cached !== undefined) return cached;
    const mapped = this.#mapping?.column(column);
    // A header holding a secret stays as written, so the field guard refuses its rows: the
    // slug (`db_password_hunter2pass99`) would carry the secret past it.
    const field = !mapped && findSecret(column) ? column.trim() : canonical(mapped ?? column);
    this.#cache.set(column, field);
    if (!mapped && !isExpectedField(field)) {
      // A header may hold a secret (`db_password=…`): the row is refused, the warning masks it.
      const [shown, as] = [safeName(column), safeName(field)];
      this.#ctx.warnOnce(
        `column:${field}`,
        'UNKNOWN_COLUMN',
        `column '${shown}' is not a known ServiceNow field; kept as attribute 'cmdb.${as}'`,
        line,
        shown,
      );
    }
    return field;
  }
}

function canonical(column: string): string {
  const lower = column.trim().toLowerCase();
  const field = LABELS[lower] ?? slug(lower);
  return ALIASES[field] ?? field;
}
