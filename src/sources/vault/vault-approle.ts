import type { AttrValue } from '../../model/types.js';
import { compact } from '../common.js';
import type { ParseEvent } from '../format.js';
import { observation, reject, warning } from '../streaming/events.js';
import { asObject, asString, stringList, type Json } from '../streaming/values.js';
import {
  bindingsOf,
  metaAttributes,
  seconds,
  vaultTime,
  type VaultContext,
} from './vault-values.js';

/**
 * A secret-id response: `generate`/`custom-secret-id` (which carry `data.secret_id`, the
 * secret: refused and dropped) or a `secret-id/lookup` / `secret-id-accessor/lookup` read.
 * A credential keyed by `secret_id_accessor`; the response does not name its AppRole, so it
 * belongs to one only when its metadata carries `role_name`.
 */
export function* readSecretId(doc: Json, ctx: VaultContext): Generator<ParseEvent> {
  const d = asObject(doc.data)!;
  if (asString(d.secret_id)) {
    yield reject(ctx.file, ctx.line, 'data.secret_id', 'SECRET_REFUSED',
      'secret_id refused and dropped; the record is kept by its accessor');
  }
  const accessor = asString(d.secret_id_accessor);
  if (!accessor) {
    const why = 'secret-id without an accessor';
    yield reject(ctx.file, ctx.line, 'data.secret_id_accessor', 'MISSING_KEY', why);
    return;
  }
  const created = vaultTime(d.creation_time);
  const expires = vaultTime(d.expiration_time);
  const updated = vaultTime(d.last_updated_time);
  for (const [name, read] of [['creation_time', created], ['expiration_time', expires],
    ['last_updated_time', updated]] as const) {
    if (read.error) {
      yield reject(ctx.file, ctx.line, `data.${name}`, 'BAD_TIME', read.error);
      return;
    }
  }
  const meta = asObject(d.metadata);
  const ttl = seconds(d.secret_id_ttl);
  const cidrs = stringList(d.cidr_list);
  yield observation({
    kind: 'credential',
    sourceId: `secret-id:${accessor}`,
    scope: ctx.scope,
    keys: [{ type: 'key-id', value: `vault-secret-id:${accessor}` }],
    attributes: compact({
      class: 'vault-approle-secret-id',
      credentialType: 'secret-id',
      name: `approle secret-id ${accessor}`,
      active: true,
      createdAt: created.value,
      updatedAt: updated.value,
      expiresAt: expires.value,
      // `expiration_time` 0001-01-01 with `secret_id_ttl` 0: valid until destroyed.
      neverExpires: !expires.value && ttl === 0 ? true : undefined,
      'vault.accessor': accessor,
      'vault.secretIdTtl': ttl,
      'vault.numUses': seconds(d.secret_id_num_uses),
      'vault.cidrList': cidrs.length > 0 ? cidrs : undefined,
      ...metaAttributes(meta),
    }) as Record<string, AttrValue>,
    relations: bindingsOf(meta, ctx.scope, 'approle'),
    line: ctx.line,
  });
}

/** `auth/approle/role/<name>/role-id`: the role's RoleID, an identifier (not the secret). */
export function* readRoleId(doc: Json, ctx: VaultContext): Generator<ParseEvent> {
  const roleId = asString(asObject(doc.data)!.role_id);
  if (!roleId) {
    yield reject(ctx.file, ctx.line, 'data.role_id', 'MISSING_KEY', 'empty role_id');
    return;
  }
  yield observation({
    kind: 'identity',
    sourceId: `role-id:${roleId}`,
    scope: ctx.scope,
    keys: [{ type: 'external-id', value: `vault-approle-role-id:${roleId}` }],
    attributes: {
      class: 'vault-approle',
      identityType: 'service',
      name: `approle ${roleId}`,
      'vault.roleId': roleId,
    },
    line: ctx.line,
  });
}

/**
 * `auth/approle/role/<name>` returns the role's settings without its name or RoleID, so there
 * is nothing to key it by: reported, not kept. Role lists (`vault-approle-roles`) give names.
 */
export function* readRoleSettings(_doc: Json, ctx: VaultContext): Generator<ParseEvent> {
  yield warning(ctx.file, ctx.line, 'data', 'UNKEYED_ROLE',
    'AppRole role settings name neither the role nor its role_id; not kept ' +
      '(ingest the role list with --format vault-approle-roles)');
}
