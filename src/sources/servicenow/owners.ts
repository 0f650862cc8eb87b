import { normalizeKey } from '../../model/keys.js';
import type { Key, Relation } from '../../model/types.js';
import type { Draft } from './draft.js';
import type { Reference } from './row.js';

export type OwnerType = 'person' | 'team';

interface OwnerEntry {
  readonly type: OwnerType;
  name?: string;
  readonly sysIds: Set<string>;
  readonly line: number;
}

/** Where a CI's owner and support group go as its row is read. */
export interface OwnerSink {
  add(ref: Reference, type: OwnerType, line: number): void;
}

/**
 * The owners one row names, held until the row is known to be stored: a row the field guard
 * refuses names no owner into the file's book.
 */
export class OwnerClaims implements OwnerSink {
  readonly #claims: [Reference, OwnerType, number][] = [];

  add(ref: Reference, type: OwnerType, line: number): void {
    this.#claims.push([ref, type, line]);
  }

  /** Adds the row's owners to the file's book. */
  into(book: OwnerBook): void {
    for (const [ref, type, line] of this.#claims) book.add(ref, type, line);
  }
}

/**
 * The owners (`owned_by`, people) and support groups (teams) a CMDB file names, one entry per
 * distinct owner however many CIs name it, found again by display name or by sys_id.
 */
export class OwnerBook implements OwnerSink {
  readonly #entries = new Set<OwnerEntry>();
  readonly #byName = new Map<string, OwnerEntry>();
  readonly #byId = new Map<string, OwnerEntry>();

  add(ref: Reference, type: OwnerType, line: number): void {
    const nameKey = ownerNameKey(ref.name);
    if (!nameKey && !ref.sysId) return;
    const byName = nameKey ? this.#byName.get(`${type}:${nameKey}`) : undefined;
    const byId = ref.sysId ? this.#byId.get(ref.sysId) : undefined;
    // The usual case, an owner seen before with nothing new to learn.
    if (byName && (!ref.sysId || byName === byId)) return;
    if (byId && (!nameKey || byId.name)) return;
    const entry = byName ?? byId ?? { type, sysIds: new Set<string>(), line };
    if (byName && byId && byName !== byId) this.#absorb(byName, byId);
    if (nameKey && !entry.name) entry.name = ref.name;
    if (ref.sysId) entry.sysIds.add(ref.sysId);
    this.#index(entry);
  }

  /** One `owner` observation per distinct owner, in the order first seen. */
  drafts(): Draft[] {
    return [...this.#entries].map(ownerDraft);
  }

  #index(entry: OwnerEntry): void {
    this.#entries.add(entry);
    const nameKey = ownerNameKey(entry.name);
    if (nameKey) this.#byName.set(`${entry.type}:${nameKey}`, entry);
    for (const id of entry.sysIds) this.#byId.set(id, entry);
  }

  /** A sys_id-only entry later seen with a name merges into the named one. */
  #absorb(into: OwnerEntry, from: OwnerEntry): void {
    for (const id of from.sysIds) into.sysIds.add(id);
    this.#entries.delete(from);
  }
}

function ownerNameKey(name: string | undefined): string | undefined {
  return normalizeKey('owner', name)?.value;
}

function ownerDraft(entry: OwnerEntry): Draft {
  const nameKey = normalizeKey('owner', entry.name);
  const ids = [...entry.sysIds].map((id): Key => ({ type: 'cmdb-sys-id', value: id }));
  const keys = nameKey ? [nameKey, ...ids] : ids;
  return {
    kind: 'owner',
    sourceId: nameKey ? `owner:${nameKey.value}` : `cmdb-sys-id:${ids[0]!.value}`,
    keys,
    attributes: { ...(entry.name ? { name: entry.name } : {}), ownerType: entry.type },
    line: entry.line,
  };
}

/** `owned-by` to the owner by display name when known, else by its sys_user sys_id. */
export function ownedBy(ref: Reference): Relation | undefined {
  const byName = normalizeKey('owner', ref.name);
  if (byName) return { type: 'owned-by', target: byName };
  const byId = normalizeKey('cmdb-sys-id', ref.sysId);
  return byId ? { type: 'owned-by', target: byId } : undefined;
}
