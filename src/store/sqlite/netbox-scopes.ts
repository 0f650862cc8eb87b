import type Database from 'better-sqlite3';

/** The listings a NetBox scope names since it says the object type: `netbox:<host>/<listing>`. */
const DEVICES = 'dcim.devices';
const VMS = 'virtualization.virtual-machines';
const TENANTS = 'tenancy.tenants';

interface Row {
  readonly scope: string;
  readonly source_id: string;
  readonly run_id: string;
}

/**
 * NetBox observations stored when a scope named only the instance (`netbox:<host>`) move to the
 * scope of their listing, so that the next complete list of each type refreshes or retires
 * them (left in the old scope, no run would ever cover them again). Devices and VMs go by their
 * source id; an owner (a tenant or a contact) goes with the devices or VMs of the run that
 * wrote it when that run's device or VM rows are still its own, else a tenant goes to the
 * tenants list and a contact to the devices. Runs keep the scopes they recorded.
 */
export function scopeNetboxByListing(db: Database.Database): void {
  const rows = db
    .prepare(
      `SELECT scope, source_id, run_id FROM observations WHERE format = 'netbox'
       AND scope NOT LIKE '%/${DEVICES}' AND scope NOT LIKE '%/${VMS}'
       AND scope NOT LIKE '%/${TENANTS}'`,
    )
    .all() as Row[];
  const runsWriting = (prefix: string): Set<string> => new Set(
    (db.prepare(
      `SELECT DISTINCT run_id FROM observations WHERE format = 'netbox' AND source_id LIKE ?`,
    ).all(`${prefix}:%`) as { run_id: string }[]).map((r) => r.run_id),
  );
  const wrote = { dcim: runsWriting('dcim'), virtualization: runsWriting('virtualization') };
  const runWrote = (runId: string, app: keyof typeof wrote): boolean => wrote[app].has(runId);
  const listingOf = (r: Row): string | undefined => {
    if (r.source_id.startsWith('dcim:')) return DEVICES;
    if (r.source_id.startsWith('virtualization:')) return VMS;
    const owner = r.source_id.startsWith('tenant:') || r.source_id.startsWith('contact:');
    if (!owner) return undefined;
    if (runWrote(r.run_id, 'dcim')) return DEVICES;
    if (runWrote(r.run_id, 'virtualization')) return VMS;
    return r.source_id.startsWith('tenant:') ? TENANTS : DEVICES;
  };
  const moves = rows.flatMap((r) => {
    const listing = listingOf(r);
    return listing ? [{ r, scope: `${r.scope}/${listing}` }] : [];
  });
  const moveObservation = db.prepare(
    `UPDATE observations SET scope = ? WHERE format = 'netbox' AND scope = ? AND source_id = ?`,
  );
  const moveEdges = db.prepare(
    `UPDATE edges SET scope = ? WHERE format = 'netbox' AND scope = ? AND source_id = ?`,
  );
  for (const { r, scope } of moves) {
    moveObservation.run(scope, r.scope, r.source_id);
    moveEdges.run(scope, r.scope, r.source_id);
  }
}
