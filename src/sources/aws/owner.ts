import { normalizeKey } from '../../model/keys.js';
import type { Key, Observation } from '../../model/types.js';

/** An accountable owner named by a tag: an e-mail address (a person) or a team / login. */
export interface OwnerRef {
  /** As written in the tag, trimmed. */
  readonly display: string;
  /** `email` key for an address, `owner` key otherwise: the target of `owned-by`. */
  readonly key: Key;
  readonly ownerType?: 'person' | 'team';
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Reads an owner tag value. `fromTeamTag` marks values of a `Team` tag as teams.
 *
 * @example ownerRef('Alice@Example.com')?.key // { type: 'email', value: 'alice@example.com' }
 */
export function ownerRef(value: string, fromTeamTag = false): OwnerRef | undefined {
  const display = value.trim();
  if (EMAIL.test(display)) {
    const key = normalizeKey('email', display);
    return key ? { display, key, ownerType: 'person' } : undefined;
  }
  const key = normalizeKey('owner', display);
  if (!key) return undefined;
  return fromTeamTag ? { display, key, ownerType: 'team' } : { display, key };
}

/** The `owner` observation for an owner named in a scope (one per distinct owner and scope). */
export function ownerObservation(owner: OwnerRef, scope: string, line?: number): Observation {
  const attributes: Record<string, string> = { name: owner.display };
  if (owner.key.type === 'email') attributes['email'] = owner.key.value;
  if (owner.ownerType) attributes['ownerType'] = owner.ownerType;
  const obs: Observation = {
    kind: 'owner',
    sourceId: `${owner.key.type}:${owner.key.value}`,
    scope,
    keys: [owner.key],
    attributes,
  };
  return line === undefined ? obs : { ...obs, line };
}

/**
 * Emits each owner observation once per scope: the same owner tagged on many instances is one
 * thing, and one run must not list a sourceId twice.
 */
export class OwnerSet {
  readonly #seen = new Set<string>();

  /** The owner's observation the first time it is met in a scope, else undefined. */
  firstSighting(owner: OwnerRef, scope: string, line?: number): Observation | undefined {
    const id = `${scope}\u0000${owner.key.type}:${owner.key.value}`;
    if (this.#seen.has(id)) return undefined;
    this.#seen.add(id);
    return ownerObservation(owner, scope, line);
  }
}
