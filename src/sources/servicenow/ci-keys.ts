import { isPlaceholder, keyString, normalizeKey } from '../../model/keys.js';
import type { Key, KeyType } from '../../model/types.js';
import { isCloudAccountClass } from './classes.js';
import type { FileContext } from './context.js';
import { columnOf, textOf, valueOf, type Row } from './row.js';

/** Fields that give a key of one type each, in the order the keys are listed. */
const DIRECT_KEYS: readonly [string, KeyType][] = [
  ['serial_number', 'serial-number'],
  ['asset_tag', 'asset-tag'],
  ['host_name', 'hostname'],
  ['fqdn', 'fqdn'],
  ['ip_address', 'ip'],
  ['mac_address', 'mac'],
  ['name', 'name'],
];

/** Identifier fields where a filler value is worth telling the user about. */
const REPORT_PLACEHOLDER = new Set(['serial_number', 'asset_tag']);

const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/i;
const INSTANCE_ARN = /^arn:aws[a-z-]*:ec2:[^:]*:\d{12}:instance\/(i-[0-9a-f]{8,17})$/i;

/**
 * The keys of a CI: its sys_id, serial number and asset tag (strong), cloud ids found in
 * `object_id` / `correlation_id`, then host names, addresses and its name (weak).
 */
export function ciKeys(row: Row, className: string | undefined, ctx: FileContext): Key[] {
  const keys: (Key | undefined)[] = [normalizeKey('cmdb-sys-id', valueOf(row, 'sys_id'))];
  keys.push(...cloudKeys(textOf(row, 'object_id')), ...cloudKeys(textOf(row, 'correlation_id')));
  if (className && isCloudAccountClass(className)) {
    const account = textOf(row, 'account_id') ?? textOf(row, 'object_id');
    keys.push(normalizeKey('aws-account-id', account));
  }
  for (const [field, type] of DIRECT_KEYS) keys.push(directKey(row, field, type, ctx));
  return uniqueKeys(keys);
}

/**
 * An EC2 instance id or an ARN (and the instance id inside an EC2 instance ARN), or the
 * SPIFFE ID of a workload identity (a service account CI registering a SPIRE workload).
 */
export function cloudKeys(raw: string | undefined): (Key | undefined)[] {
  if (!raw) return [];
  if (INSTANCE_ID.test(raw)) return [normalizeKey('aws-instance-id', raw)];
  if (/^spiffe:\/\//i.test(raw)) return [normalizeKey('spiffe-id', raw)];
  if (!raw.startsWith('arn:')) return [];
  const instance = INSTANCE_ARN.exec(raw)?.[1];
  return [normalizeKey('aws-arn', raw), normalizeKey('aws-instance-id', instance)];
}

function directKey(row: Row, field: string, type: KeyType, ctx: FileContext): Key | undefined {
  const raw = textOf(row, field);
  if (raw === undefined) return undefined;
  const key = normalizeKey(type, raw);
  if (key) return key;
  const column = columnOf(row, field);
  if (isPlaceholder(raw)) {
    // DESIGN.md rule 2: a filler such as "To Be Filled By O.E.M." never identifies anything.
    if (REPORT_PLACEHOLDER.has(field)) {
      const message = `'${column}' holds the placeholder '${clip(raw)}'; not used as a key`;
      ctx.warn('PLACEHOLDER_KEY', message, row.line, column);
    }
    return undefined;
  }
  const message = `'${column}' value '${clip(raw)}' is not a valid ${type}; not used as a key`;
  ctx.warn('BAD_KEY', message, row.line, column);
  return undefined;
}

/** Drops missing keys and repeats, keeping the first of each. */
export function uniqueKeys(keys: readonly (Key | undefined)[]): Key[] {
  const seen = new Map<string, Key>();
  for (const k of keys) if (k && !seen.has(keyString(k))) seen.set(keyString(k), k);
  return [...seen.values()];
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
