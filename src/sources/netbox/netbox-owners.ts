import type { Key, Observation, Relation } from '../../model/types.js';
import { normalizeKey } from '../../model/keys.js';
import { compact } from '../common.js';
import { asArray, asObject, asString, type Json } from '../streaming/values.js';

/** An owner of a device: its observation and the relation that points at it. */
export interface OwnerRead {
  readonly observation: Observation;
  readonly relation: Relation;
}

/** A tenant (nested on a device, or a record of a tenants list) as an owning team. */
export function tenantOwner(raw: unknown, scope: string, line: number): OwnerRead | undefined {
  const t = asObject(raw);
  const name = asString(t?.name) ?? asString(t?.display);
  const key = normalizeKey('owner', name);
  if (!t || !name || !key) return undefined;
  const observation: Observation = {
    kind: 'owner',
    sourceId: `tenant:${asString(t.id) ?? key.value}`,
    scope,
    keys: [key],
    attributes: compact({
      name,
      ownerType: 'team',
      'netbox.slug': asString(t.slug),
      'netbox.tenantGroup': asString(asObject(t.group)?.name),
      description: asString(t.description),
    }),
    line,
  };
  return { observation, relation: { type: 'owned-by', target: key } };
}

/**
 * Contacts, when an export embeds them: contact assignments (`{"contact": {...}, "role": ...}`,
 * NetBox ≥ 3.1) or plain contacts (`{"name", "email"}`). The relation points at the e-mail
 * when there is one.
 */
export function contactOwners(o: Json, scope: string, line: number): OwnerRead[] {
  const out: OwnerRead[] = [];
  for (const raw of asArray(o.contacts)) {
    const entry = asObject(raw);
    const c = asObject(entry?.contact) ?? entry;
    const name = asString(c?.name) ?? asString(c?.display);
    const email = normalizeKey('email', c?.email);
    const byName = normalizeKey('owner', name);
    if (!c || !name || !byName) continue;
    const keys: Key[] = email ? [byName, email] : [byName];
    const observation: Observation = {
      kind: 'owner',
      sourceId: `contact:${asString(c.id) ?? byName.value}`,
      scope,
      keys,
      attributes: compact({
        name,
        email: email?.value,
        ownerType: 'person',
        'netbox.contactRole': asString(asObject(entry?.role)?.name),
      }),
      line,
    };
    out.push({ observation, relation: { type: 'owned-by', target: email ?? byName } });
  }
  return out;
}
