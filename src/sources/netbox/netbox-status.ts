import type { Admission, LifecycleStage } from '../../model/types.js';
import { asObject, asString } from '../streaming/values.js';

/** A status as NetBox writes it, reduced to its lower-case value. */
export function statusValue(raw: unknown): string | undefined {
  const plain = asString(raw);
  if (typeof raw === 'string' && plain) return plain.toLowerCase();
  const o = asObject(raw);
  if (!o) return undefined;
  // NetBox ≥ 2.6 writes {"value": "active", "label": "Active"}; older releases wrote integer
  // (or, in some fixtures, boolean) values, where only the label says what it is.
  if (typeof o.value === 'string' && o.value.trim() !== '') return o.value.trim().toLowerCase();
  return asString(o.label)?.toLowerCase();
}

/**
 * Device and VM statuses (NetBox DeviceStatusChoices / VirtualMachineStatusChoices). NetBox has
 * no "retired": a device that is gone is deleted, and a complete run then marks it missing. A
 * custom status named retired or decommissioned (FIELD_CHOICES) does retire it.
 */
const STATUSES: Readonly<Record<string, { lifecycle: LifecycleStage; admission: Admission }>> = {
  active: { lifecycle: 'in-service', admission: 'approved' },
  planned: { lifecycle: 'planned', admission: 'approved' },
  staged: { lifecycle: 'provisioning', admission: 'approved' },
  failed: { lifecycle: 'maintenance', admission: 'approved' },
  offline: { lifecycle: 'maintenance', admission: 'approved' },
  paused: { lifecycle: 'maintenance', admission: 'approved' },
  inventory: { lifecycle: 'planned', admission: 'approved' },
  decommissioning: { lifecycle: 'decommissioning', admission: 'approved' },
  retired: { lifecycle: 'retired', admission: 'retired' },
  decommissioned: { lifecycle: 'retired', admission: 'retired' },
};

/** Lifecycle and admission for a status value, or undefined for a status Roster does not know. */
export function statusMeaning(
  value: string,
): { lifecycle: LifecycleStage; admission: Admission } | undefined {
  return STATUSES[value];
}
