/**
 * Finds hardware UUIDs that several machines report: imaged or cloned VMs and boards with a
 * vendor default UUID share one, so it must not merge them (DESIGN.md rule 2). Keeps one small
 * entry per UUID: the first host that reported it and what told that host apart.
 */
export class ClonedUuids {
  readonly #first = new Map<string, { host: string; serial?: string; hostname?: string }>();
  readonly #cloned = new Set<string>();

  /** Notes that `host` reports `uuid`; returns true once the uuid is known to be cloned. */
  note(uuid: string, host: string, serial?: string, hostname?: string): boolean {
    const first = this.#first.get(uuid);
    if (!first) {
      this.#first.set(uuid, { host, serial, hostname });
      return false;
    }
    if (first.host !== host && differ(first, { serial, hostname })) this.#cloned.add(uuid);
    return this.#cloned.has(uuid);
  }

  isCloned(uuid: string): boolean {
    return this.#cloned.has(uuid);
  }

  /** How many hosts share a cloned uuid is not kept; the first host's id is. */
  firstHost(uuid: string): string | undefined {
    return this.#first.get(uuid)?.host;
  }
}

/** Two reports are of different machines when their serials, or else hostnames, differ. */
function differ(
  a: { serial?: string; hostname?: string },
  b: { serial?: string; hostname?: string },
): boolean {
  if (a.serial && b.serial) return a.serial !== b.serial;
  return a.hostname !== b.hostname;
}
