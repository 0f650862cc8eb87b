import { headText } from '../common.js';
import type { SourceInput } from '../format.js';

/** Columns (field names and labels, lower-cased) that only a CMDB or user export has. */
const CMDB_COLUMNS = new Set([
  'name', 'sys_class_name', 'class', 'serial_number', 'serial number', 'asset_tag',
  'asset tag', 'install_status', 'install status', 'status', 'operational_status',
  'operational status', 'owned_by', 'owned by', 'support_group', 'support group',
  'busines_criticality', 'business criticality', 'used_for', 'used for', 'ip_address',
  'ip address', 'fqdn', 'host_name', 'user_name', 'user id', 'email',
]);

/**
 * How sure we are that a file is a ServiceNow CMDB (or sys_user) export, from its head:
 * a CSV header with `sys_id` or `Sys ID` and a CMDB column, or JSON whose `result` holds
 * records with `sys_id` and a CMDB field. Wrapped records from integrations score lower.
 */
export function detectServicenow(input: Pick<SourceInput, 'path' | 'head'>): number {
  const text = headText(input.head);
  if (text.startsWith('{') || text.startsWith('[')) return detectJson(text);
  return detectCsv(text);
}

function detectCsv(text: string): number {
  const header = (text.split(/\r?\n/, 1)[0] ?? '')
    .split(',')
    .map((c) => c.trim().replace(/^"|"$/g, '').trim().toLowerCase());
  if (!header.includes('sys_id') && !header.includes('sys id')) return 0;
  return header.some((c) => CMDB_COLUMNS.has(c)) ? 0.9 : 0;
}

function detectJson(text: string): number {
  const has = (field: string): boolean => new RegExp(`"${field}"\\s*:`).test(text);
  if (!has('sys_id')) return 0;
  const cmdbish = ['sys_class_name', 'install_status', 'serial_number', 'user_name'].some(has);
  if (!cmdbish) return 0;
  if (/^\{\s*"(result|records)"\s*:/.test(text) || text.startsWith('[')) return 0.9;
  // A record inside another tool's wrapper: likely ours, but said with less certainty.
  return 0.6;
}
