import type { AttrValue } from '../../model/types.js';
import { compact } from '../common.js';
import type { ParseEvent } from '../format.js';
import { observation, reject } from '../streaming/events.js';
import { asBoolean, asObject, asString, type Json } from '../streaming/values.js';
import { seconds, vaultTime, type VaultContext } from './vault-values.js';

/**
 * The key of a lease: `vault-lease:<last segment of its id>`. Lease lists
 * (`sys/leases/lookup/<prefix>`) give only that segment, which Vault draws at random, so a
 * read and a list entry meet on it.
 */
export function leaseKey(id: string): { type: 'key-id'; value: string } {
  return { type: 'key-id', value: `vault-lease:${leaseSuffix(id)}` };
}

export function leaseSuffix(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}

/** `sys/leases/lookup` (read): a lease as a credential with its issue and expiry times. */
export function* readLease(doc: Json, ctx: VaultContext): Generator<ParseEvent> {
  const d = asObject(doc.data)!;
  const id = asString(d.id);
  if (!id || id.endsWith('/')) {
    yield reject(ctx.file, ctx.line, 'data.id', 'MISSING_KEY', 'lease without an id');
    return;
  }
  const issued = vaultTime(d.issue_time);
  const expires = vaultTime(d.expire_time);
  const renewed = vaultTime(d.last_renewal);
  for (const [name, read] of [['issue_time', issued], ['expire_time', expires],
    ['last_renewal', renewed]] as const) {
    if (read.error) {
      yield reject(ctx.file, ctx.line, `data.${name}`, 'BAD_TIME', read.error);
      return;
    }
  }
  const path = asString(d.path) ?? id.slice(0, id.lastIndexOf('/'));
  yield observation({
    kind: 'credential',
    sourceId: `lease:${leaseSuffix(id)}`,
    scope: ctx.scope,
    keys: [leaseKey(id)],
    attributes: compact({
      class: 'vault-lease',
      credentialType: 'vault-lease',
      name: `vault lease ${path}`,
      active: true,
      createdAt: issued.value,
      expiresAt: expires.value,
      rotatedAt: renewed.value,
      neverExpires: !expires.value && seconds(d.ttl) === 0 ? true : undefined,
      'vault.leaseId': id,
      'vault.path': path,
      'vault.renewable': asBoolean(d.renewable),
      'vault.ttl': seconds(d.ttl),
    }) as Record<string, AttrValue>,
    line: ctx.line,
  });
}
