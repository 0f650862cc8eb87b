import type { JudgeConfig } from '../judge/config.js';
import { freshnessWindow } from '../judge/config.js';
import type { InventoryRecord, MergedAttribute } from '../model/record.js';
import type { EntityKind } from '../model/types.js';

/** One fact with where it came from: the source, the field, and the source's as-of time. */
export interface Fact<T = string> {
  readonly value: T;
  readonly source: string;
  readonly field: string;
  readonly asOf: string | null;
}

/** An owner record that a record is `owned-by`, with what the directory says of it. */
export interface OwnerLink {
  readonly ownerId: string;
  readonly name: string;
  readonly active: Fact<boolean> | null;
}

export interface OpenFinding {
  readonly id: string;
  readonly kind: string;
  readonly severity: string;
}

/** What the store hands the decision index for one record. */
export interface FactInput {
  readonly record: InventoryRecord;
  readonly owners: readonly OwnerLink[];
  readonly findings: readonly OpenFinding[];
}

export type OwnerStatus = 'active' | 'inactive' | 'unknown' | 'none';

/**
 * The decision facts of one record, computed once when the record changes. Facts that depend
 * on the clock (freshness, trust tier) are finished at decision time from these.
 */
export interface RecordFacts {
  readonly recordId: string;
  readonly kind: EntityKind;
  readonly name: string;
  /** AuthZEN types the record answers to in searches: its kind, identity type, class. */
  readonly types: readonly string[];
  readonly admission: Fact;
  readonly lifecycle: Fact | undefined;
  readonly owner: Fact | undefined;
  readonly ownerStatus: Fact<OwnerStatus>;
  readonly criticality: Fact | undefined;
  readonly environment: Fact | undefined;
  /** Newest sighting by a discovery source that still lists the record. */
  readonly newestSighting: (Fact & { readonly ms: number }) | undefined;
  /** Whether some discovery source saw it at all (else freshness is `unseen`). */
  readonly discovered: boolean;
  readonly freshnessWindowDays: number;
  readonly findings: readonly OpenFinding[];
  readonly spiffeIds: readonly string[];
  /** Key values a PEP would name it by, best first (search results use the first unique). */
  readonly names: readonly string[];
}

/** Builds a record's decision facts; pure. */
export function recordFacts(input: FactInput, config: JudgeConfig): RecordFacts {
  const r = input.record;
  const cls = textValue(r.attributes['class']);
  const discovered = r.sightings.filter((s) => s.discovered);
  const present = discovered.filter((s) => s.status === 'present');
  const newest = present.reduce<(typeof present)[number] | undefined>(
    (a, b) => (!a || b.lastSeen > a.lastSeen ? b : a),
    undefined,
  );
  return {
    recordId: r.id,
    kind: r.kind,
    name: r.name,
    types: typesOf(r, cls),
    admission: fromAttr(r.attributes['admission'], 'admission') ?? {
      value: r.admission,
      source: 'roster',
      field: 'admission',
      asOf: null,
    },
    lifecycle: r.lifecycle ? fromAttr(r.attributes['lifecycle'], 'lifecycle') : undefined,
    owner: r.owner ? fromAttr(r.attributes['owner'], 'owner') : undefined,
    ownerStatus: ownerStatusOf(r, input.owners),
    criticality: r.criticality ? fromAttr(r.attributes['criticality'], 'criticality') : undefined,
    environment: r.environment ? fromAttr(r.attributes['environment'], 'environment') : undefined,
    newestSighting: newest && {
      value: newest.lastSeen,
      source: newest.source,
      field: `sighting in ${newest.scope} (${newest.format})`,
      asOf: newest.lastSeen,
      ms: Date.parse(newest.lastSeen),
    },
    discovered: discovered.length > 0,
    freshnessWindowDays: freshnessWindow(config, cls),
    findings: input.findings,
    spiffeIds: r.keys.filter((k) => k.type === 'spiffe-id').map((k) => k.value),
    names: namesOf(r),
  };
}

const NAME_ORDER = ['spiffe-id', 'aws-arn', 'aws-instance-id', 'email', 'fqdn', 'hostname',
  'serial-number', 'k8s-ref', 'gcp-resource', 'entra-object-id', 'cmdb-sys-id'];

function namesOf(r: InventoryRecord): string[] {
  const ranked = r.keys
    .filter((k) => NAME_ORDER.includes(k.type))
    .sort((a, b) => NAME_ORDER.indexOf(a.type) - NAME_ORDER.indexOf(b.type))
    .map((k) => k.value);
  return [...ranked, r.id];
}

function textValue(a: MergedAttribute | undefined): string | undefined {
  return typeof a?.value === 'string' ? a.value : undefined;
}

function fromAttr(a: MergedAttribute | undefined, name: string): Fact | undefined {
  if (!a || a.value === null) return undefined;
  const value = Array.isArray(a.value) ? a.value.join(',') : String(a.value);
  return { value, source: a.source, field: a.field ?? name, asOf: a.asOf };
}

function typesOf(r: InventoryRecord, cls: string | undefined): string[] {
  const out = new Set<string>([r.kind]);
  const identityType = textValue(r.attributes['identityType']);
  if (identityType) out.add(identityType);
  if (identityType === 'human') out.add('user');
  if (cls) out.add(cls);
  if (r.keys.some((k) => k.type === 'spiffe-id')) out.add('workload');
  return [...out];
}

/** Owned, and is the owner still active? Only an explicit `active: false` is inactive. */
function ownerStatusOf(r: InventoryRecord, owners: readonly OwnerLink[]): Fact<OwnerStatus> {
  const inactive = owners.find((o) => o.active?.value === false);
  if (inactive) return statusFact('inactive', inactive);
  const active = owners.find((o) => o.active?.value === true);
  if (active) return statusFact('active', active);
  const named = r.attributes['owner'];
  if (owners.length > 0 || named) {
    return {
      value: 'unknown',
      source: named?.source ?? 'roster',
      field: 'owner',
      asOf: named?.asOf ?? null,
    };
  }
  return { value: 'none', source: 'roster', field: 'owner', asOf: null };
}

function statusFact(value: OwnerStatus, o: OwnerLink): Fact<OwnerStatus> {
  return { value, source: o.active!.source, field: `${o.name}.active`, asOf: o.active!.asOf };
}
