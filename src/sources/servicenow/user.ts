import { normalizeKey } from '../../model/keys.js';
import { compact } from '../common.js';
import { booleanOf } from './choices.js';
import { uniqueKeys } from './ci-keys.js';
import type { Outcome } from './ci.js';
import type { FileContext } from './context.js';
import { extraAttributes } from './extras.js';
import { columnOf, textOf, valueOf, type Row } from './row.js';
import { readTimes } from './times.js';

const CONSUMED = new Set([
  'sys_id', 'name', 'first_name', 'last_name', 'user_name', 'email', 'active',
  'sys_class_name', 'sys_created_on', 'sys_updated_on',
]);

const TIME_FIELDS = [
  ['createdAt', 'sys_created_on'],
  ['updatedAt', 'sys_updated_on'],
] as const;

/**
 * Whether a record is a `sys_user` row: its class says so, or it has no class and carries
 * the user table's own columns.
 */
export function isUserRow(row: Row, className: string | undefined): boolean {
  if (className) return className === 'sys_user';
  if (row.cells.has('user_name')) return true;
  return row.cells.has('email') && row.cells.has('active') && !row.cells.has('install_status');
}

/**
 * One `sys_user` record → an `owner` observation: how Roster learns that an owner named on
 * CIs has left (`active` false).
 */
export function userDraft(row: Row, ctx: FileContext): Outcome {
  const sysId = valueOf(row, 'sys_id');
  const login = textOf(row, 'user_name');
  const name = fullName(row) ?? login;
  const nameKey = normalizeKey('owner', name);
  if (!sysId && !nameKey) {
    const message = 'user has neither a sys_id nor a name';
    return { rejection: ctx.reject('MISSING_ID', message, row.line, columnOf(row, 'sys_id')) };
  }
  const read = readTimes(row, TIME_FIELDS, ctx);
  if (!read.ok) return { rejection: read.rejection };
  const email = textOf(row, 'email');
  const attributes = compact({
    ...extraAttributes(row, CONSUMED),
    name,
    email,
    active: activeOf(row, ctx),
    ownerType: 'person',
    ...read.times,
  });
  const keys = uniqueKeys([
    nameKey,
    normalizeKey('owner', login),
    normalizeKey('email', email),
    normalizeKey('cmdb-sys-id', sysId),
  ]);
  const sourceId = sysId ? sysId.toLowerCase() : `owner:${nameKey!.value}`;
  return { draft: { kind: 'owner', sourceId, keys, attributes, line: row.line } };
}

function fullName(row: Row): string | undefined {
  const name = textOf(row, 'name');
  if (name) return name;
  const parts = [textOf(row, 'first_name'), textOf(row, 'last_name')].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function activeOf(row: Row, ctx: FileContext): boolean | undefined {
  const raw = valueOf(row, 'active');
  if (raw === undefined) return undefined;
  const active = booleanOf(raw);
  if (active === undefined) {
    const column = columnOf(row, 'active');
    const message = `'${column}' has value '${raw.slice(0, 60)}', not true or false`;
    ctx.warn('UNKNOWN_ENUM', message, row.line, column);
  }
  return active;
}
