import type { Key, Observation, Relation } from '../../model/types.js';
import { normalizeKey } from '../../model/keys.js';
import { compact } from '../common.js';
import { asBoolean, asObject, asString } from '../streaming/values.js';

/** An owner read from an expanded `owners` list: its observation and the relation to it. */
export interface OwnerRead {
  readonly observation: Observation;
  readonly relation: Relation;
}

/**
 * Reads one entry of `owners` (Graph `$expand=owners`: users, service principals or groups as
 * directoryObjects). The relation points at the owner's e-mail when it has one (mail, else a
 * UPN), so that a directory feed keyed by e-mail finds it; else at its object id.
 */
export function readOwner(raw: unknown, scope: string, line: number): OwnerRead | undefined {
  const o = asObject(raw);
  const id = asString(o?.id ?? o?.objectId);
  if (!o || !id) return undefined;
  const upn = asString(o.userPrincipalName);
  const email = normalizeKey('email', asString(o.mail) ?? upn);
  const keys: Key[] = [{ type: 'entra-object-id', value: id.toLowerCase() }];
  if (email) keys.push(email);
  const login = normalizeKey('owner', upn ?? asString(o.displayName));
  if (login) keys.push(login);
  const type = String(o['@odata.type'] ?? o.objectType ?? '').toLowerCase();
  const observation: Observation = {
    kind: 'owner',
    sourceId: `owner:${id}`,
    scope,
    keys,
    attributes: compact({
      name: asString(o.displayName) ?? upn,
      email: email?.value,
      ownerType: ownerType(type),
      active: asBoolean(o.accountEnabled),
      'entra.objectType': type.replace(/^#microsoft\.graph\./, '') || undefined,
    }),
    line,
  };
  return { observation, relation: { type: 'owned-by', target: email ?? keys[0]! } };
}

/** Users are people and groups are teams; a service principal owner is neither. */
function ownerType(odataType: string): string | undefined {
  if (odataType.endsWith('group')) return 'team';
  if (odataType === '' || odataType.endsWith('user')) return 'person';
  return undefined;
}
