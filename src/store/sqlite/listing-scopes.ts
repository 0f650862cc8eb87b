import type Database from 'better-sqlite3';

/** How a format's stored observations find the listing their scope now names. */
export interface ListingSpec {
  readonly format: string;
  /** Source-id prefixes of the objects a listing is of, with that listing. */
  readonly objects: readonly (readonly [prefix: string, listing: string])[];
  /**
   * Source-id prefixes of rows a listing derives from its objects (owners, credentials), with
   * the listing they go to when the run that wrote them holds no object rows any more.
   */
  readonly derived: readonly (readonly [prefix: string, listing: string])[];
}

interface Row {
  readonly scope: string;
  readonly source_id: string;
  readonly run_id: string;
}

/**
 * Observations stored when a format's scope named only the instance (`netbox:<host>`) move to
 * the scope of their listing (`netbox:<host>/dcim.devices`), so that the next complete list of
 * each type refreshes or retires them (left in the old scope, no run would cover them again).
 * An object goes by its source id; a derived row goes with the objects of the run that wrote
 * it while that run's object rows are still its own, else to its default listing. Runs keep
 * the scopes they recorded.
 */
export function scopeByListing(db: Database.Database, spec: ListingSpec): void {
  const listings = [...new Set([...spec.objects, ...spec.derived].map(([, l]) => l))];
  const rows = (db.prepare('SELECT scope, source_id, run_id FROM observations WHERE format = ?')
    .all(spec.format) as Row[])
    .filter((r) => !listings.some((l) => r.scope.endsWith(`/${l}`)));
  const byPrefix = (prefix: string, r: Row): boolean => r.source_id.startsWith(prefix);
  // The runs that wrote object rows, per listing, in the order the spec gives them.
  const runsOf = spec.objects.map(([prefix, listing]) => ({
    listing,
    runs: new Set(rows.filter((r) => byPrefix(prefix, r)).map((r) => r.run_id)),
  }));
  const listingOf = (r: Row): string | undefined => {
    const object = spec.objects.find(([prefix]) => byPrefix(prefix, r));
    if (object) return object[1];
    const derived = spec.derived.find(([prefix]) => byPrefix(prefix, r));
    if (!derived) return undefined;
    return runsOf.find((x) => x.runs.has(r.run_id))?.listing ?? derived[1];
  };
  const move = scopeMover(db, spec.format);
  for (const r of rows) {
    const listing = listingOf(r);
    if (listing) move(r.scope, r.source_id, `${r.scope}/${listing}`);
  }
}

/** Moves one stored observation of a format, with its edges, from one scope to another. */
export function scopeMover(
  db: Database.Database,
  format: string,
): (from: string, sourceId: string, to: string) => void {
  const observation = db.prepare(
    'UPDATE observations SET scope = ? WHERE format = ? AND scope = ? AND source_id = ?',
  );
  const edges = db.prepare(
    'UPDATE edges SET scope = ? WHERE format = ? AND scope = ? AND source_id = ?',
  );
  return (from, sourceId, to) => {
    observation.run(to, format, from, sourceId);
    edges.run(to, format, from, sourceId);
  };
}

/** NetBox: devices, virtual machines, tenants (owners of a device list go with it). */
export const NETBOX_LISTINGS: ListingSpec = {
  format: 'netbox',
  objects: [
    ['dcim:', 'dcim.devices'],
    ['virtualization:', 'virtualization.virtual-machines'],
  ],
  derived: [
    ['tenant:', 'tenancy.tenants'],
    ['contact:', 'dcim.devices'],
  ],
};

/** Entra: applications and service principals, with their credentials and owners. */
export const ENTRA_LISTINGS: ListingSpec = {
  format: 'entra',
  objects: [
    ['application:', 'applications'],
    ['servicePrincipal:', 'servicePrincipals'],
  ],
  derived: [
    ['credential:', 'servicePrincipals'],
    ['owner:', 'servicePrincipals'],
  ],
};
