import { normalizeKey } from '../../model/keys.js';
import type { AttrValue, Rejection } from '../../model/types.js';
import { compact } from '../common.js';
import { environmentOf } from './choices.js';
import { ciKeys } from './ci-keys.js';
import { classNameOf, isServiceAccountClass, platformOf } from './classes.js';
import type { FileContext } from './context.js';
import type { Draft } from './draft.js';
import { extraAttributes } from './extras.js';
import { ownedBy, type OwnerSink } from './owners.js';
import { columnOf, referenceOf, textOf, valueOf, type Reference, type Row } from './row.js';
import { readStatuses } from './statuses.js';
import { readTimes } from './times.js';

export type Outcome = { readonly draft: Draft } | { readonly rejection: Rejection };

/** Fields that become well-known attributes or keys rather than `cmdb.<field>` ones. */
const CONSUMED = new Set([
  'sys_id', 'name', 'sys_class_name', 'serial_number', 'asset_tag', 'fqdn', 'host_name',
  'ip_address', 'mac_address', 'owned_by', 'managed_by', 'support_group', 'install_status',
  'operational_status', 'used_for', 'environment', 'busines_criticality', 'last_discovered',
  'sys_updated_on', 'sys_created_on', 'short_description', 'os', 'location',
]);

const TIME_FIELDS = [
  ['lastSeenAt', 'last_discovered'],
  ['createdAt', 'sys_created_on'],
  ['updatedAt', 'sys_updated_on'],
] as const;

/**
 * One `cmdb_ci` record → an `asset` observation, or an `identity` one when its class holds
 * service accounts. Its owner and support group go to the file's owner book.
 */
export function ciDraft(row: Row, ctx: FileContext, owners: OwnerSink): Outcome {
  const sysId = valueOf(row, 'sys_id');
  const name = textOf(row, 'name');
  const nameKey = normalizeKey('name', name);
  if (!sysId && !nameKey) {
    const message = 'record has neither a sys_id nor a name';
    return { rejection: ctx.reject('MISSING_ID', message, row.line, columnOf(row, 'sys_id')) };
  }
  const read = readTimes(row, TIME_FIELDS, ctx);
  if (!read.ok) return { rejection: read.rejection };
  const rawClass = valueOf(row, 'sys_class_name');
  const className = rawClass ? classNameOf(rawClass) : undefined;
  const identity = className !== undefined && isServiceAccountClass(className);
  // One object filled in place: spreading five records per row costs more than the parsing.
  const attributes = Object.assign(
    extraAttributes(row, CONSUMED),
    describe(row, className, name),
    statusAttributes(row, ctx),
    ownership(row, owners),
    read.times,
    identity ? { identityType: 'service' } : {},
  );
  const owner = ownerRef(row);
  const relation = owner ? ownedBy(owner) : undefined;
  return {
    draft: {
      kind: identity ? 'identity' : 'asset',
      sourceId: sysId ? sysId.toLowerCase() : `name:${nameKey!.value}`,
      keys: ciKeys(row, className, ctx),
      attributes,
      ...(relation ? { relations: [relation] } : {}),
      line: row.line,
    },
  };
}

function describe(
  row: Row,
  className: string | undefined,
  name: string | undefined,
): Record<string, AttrValue> {
  const os = textOf(row, 'os');
  const env = textOf(row, 'environment') ?? textOf(row, 'used_for');
  return compact({
    name,
    class: className,
    platform: platformOf(className, os),
    os,
    environment: env === undefined ? undefined : environmentOf(env),
    purpose: textOf(row, 'short_description') ?? textOf(row, 'u_purpose'),
    location: textOf(row, 'location'),
    hostname: textOf(row, 'host_name'),
    fqdn: textOf(row, 'fqdn'),
    ip: textOf(row, 'ip_address'),
    serialNumber: textOf(row, 'serial_number'),
  });
}

function statusAttributes(row: Row, ctx: FileContext): Record<string, AttrValue> {
  const s = readStatuses(row, ctx);
  return compact({
    admission: s.admission,
    lifecycle: s.lifecycle,
    criticality: s.criticality,
    'cmdb.install_status': s.installLabel,
    'cmdb.operational_status': s.operationalLabel,
  });
}

/** The accountable owner: `owned_by`, else the support group (a team). */
function ownerRef(row: Row): Reference | undefined {
  return referenceOf(row, 'owned_by') ?? referenceOf(row, 'support_group');
}

function ownership(row: Row, owners: OwnerSink): Record<string, AttrValue> {
  const person = referenceOf(row, 'owned_by');
  const group = referenceOf(row, 'support_group');
  const managed = referenceOf(row, 'managed_by');
  if (person) owners.add(person, 'person', row.line);
  if (group) owners.add(group, 'team', row.line);
  return compact({
    owner: person ? person.name : group?.name,
    managedBy: managed?.name ?? managed?.sysId,
    supportGroup: group?.name ?? group?.sysId,
  });
}
