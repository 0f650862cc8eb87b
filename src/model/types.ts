/**
 * Roster's domain vocabulary. See docs/design.md for the words and the rules.
 * This module imports nothing of Roster: every other part builds on it.
 */

export type EntityKind = 'asset' | 'identity' | 'credential' | 'owner';
export const ENTITY_KINDS: readonly EntityKind[] = ['asset', 'identity', 'credential', 'owner'];

/** Whether a system of record admitted a thing. */
export type Admission = 'approved' | 'unknown' | 'retired';
export const ADMISSIONS: readonly Admission[] = ['approved', 'unknown', 'retired'];

export type LifecycleStage =
  | 'planned'
  | 'provisioning'
  | 'in-service'
  | 'maintenance'
  | 'decommissioning'
  | 'retired';
export const LIFECYCLE_STAGES: readonly LifecycleStage[] = [
  'planned',
  'provisioning',
  'in-service',
  'maintenance',
  'decommissioning',
  'retired',
];

/** Business criticality, highest first. */
export type Criticality = 'critical' | 'high' | 'medium' | 'low';
export const CRITICALITIES: readonly Criticality[] = ['critical', 'high', 'medium', 'low'];

/** Normalised environment; anything else is kept as a plain attribute. */
export type Environment = 'production' | 'staging' | 'test' | 'development' | 'dr';
export const ENVIRONMENTS: readonly Environment[] = [
  'production',
  'staging',
  'test',
  'development',
  'dr',
];

/** Whether the thing is running / usable right now, as the control plane says. */
export type RunState = 'running' | 'stopped' | 'pending' | 'terminated' | 'unknown';

/** For identities: who is behind it. */
export type IdentityType = 'human' | 'service' | 'workload' | 'role' | 'root';

/**
 * Key types. Strong keys identify a thing on their own; weak keys only suggest a match.
 * Each key type has its own normalisation (see keys.ts).
 */
export type KeyType =
  // strong
  | 'aws-instance-id'
  | 'aws-arn'
  | 'aws-unique-id' // AIDA…/AROA… ids from IAM
  | 'aws-access-key-id'
  | 'aws-credential-slot' // credential report slot: <user arn>#access-key-1@<rotated>
  | 'aws-account-id'
  | 'serial-number'
  | 'hardware-uuid'
  | 'cmdb-sys-id'
  | 'asset-tag'
  | 'spiffe-id'
  | 'x509-sha256'
  | 'k8s-uid'
  | 'k8s-ref' // <cluster>/<namespace>/<kind>/<name>
  | 'gcp-resource' // //compute.googleapis.com/projects/…
  | 'entra-object-id'
  | 'entra-app-id'
  | 'netbox-id'
  // any other credential key id (Entra keyId, GCP key name, SPIRE entry id, Vault accessor)
  | 'key-id'
  | 'external-id' // <system>:<id> from a mapped CSV/JSON source
  | 'owner' // an accountable person or team, by its normalised name or login
  | 'email'
  // weak
  | 'hostname'
  | 'fqdn'
  | 'ip'
  | 'mac'
  | 'name';

/** Every key type, in the order declared above. */
export const KEY_TYPES = [
  'aws-instance-id', 'aws-arn', 'aws-unique-id', 'aws-access-key-id', 'aws-credential-slot',
  'aws-account-id', 'serial-number', 'hardware-uuid', 'cmdb-sys-id', 'asset-tag', 'spiffe-id',
  'x509-sha256', 'k8s-uid', 'k8s-ref', 'gcp-resource', 'entra-object-id', 'entra-app-id',
  'netbox-id', 'key-id', 'external-id', 'owner', 'email', 'hostname', 'fqdn', 'ip', 'mac',
  'name',
] as const satisfies readonly KeyType[];
// Fails to compile when KeyType gains a member this list lacks.
type MissingKeyType = Exclude<KeyType, (typeof KEY_TYPES)[number]>;
const _allKeyTypes: MissingKeyType extends never ? true : never = true;

export type KeyStrength = 'strong' | 'weak';

export interface Key {
  readonly type: KeyType;
  /** Normalised value (see normalizeKey). */
  readonly value: string;
}

/** How two things relate. The direction is always from → to as written here. */
export type RelationType =
  | 'runs-on' // identity → asset: the identity acts from this asset
  | 'belongs-to' // credential → identity
  | 'owned-by' // asset | identity | credential → owner
  | 'hosted-on' // asset → asset (pod → node, VM → host, instance → account)
  | 'issued-by' // credential → credential (certificate → issuing CA)
  | 'names' // credential → asset | identity (a certificate's SAN names it)
  | 'instance-of'; // asset → asset (app instance → application)

export interface Relation {
  readonly type: RelationType;
  /** The other end, found by any of its keys (resolved at query time, in any ingest order). */
  readonly target: Key;
  /**
   * When true the relation points from the target to this observation's thing
   * (e.g. an EC2 instance says "the identity with this instance-profile ARN runs on me").
   */
  readonly reverse?: boolean;
}

/** A JSON value an attribute may hold. */
export type AttrValue = string | number | boolean | null | readonly string[];

/**
 * What one run says about one thing. Parsers produce these; reconcile folds them into records.
 *
 * Well-known attribute names (all optional):
 * - every kind: `name`, `class` (e.g. `aws-ec2-instance`, `cmdb_ci_linux_server`), `platform`,
 *   `environment` (Environment or raw), `criticality` (Criticality), `purpose`, `description`,
 *   `admission` (Admission, only from systems of record), `lifecycle` (LifecycleStage),
 *   `owner` (display name of the accountable owner; also give an `owned-by` relation),
 *   `createdAt` (ISO instant), `updatedAt`, `location`, `tags` (string list `k=v`).
 * - assets: `runState` (RunState), `os`, `ip`, `hostname`, `fqdn`, `serialNumber`, `account`.
 * - identities: `identityType` (IdentityType), `active` (boolean), `passwordEnabled`,
 *   `passwordLastUsedAt`, `lastUsedAt`, `mfaActive`.
 * - credentials: `credentialType` (`access-key`, `signing-certificate`, `x509-certificate`,
 *   `client-secret`, `service-account-key`, `token`, `ssh-key`), `active` (boolean),
 *   `createdAt`, `rotatedAt`, `lastUsedAt`, `expiresAt`, `notBefore`, `fingerprint`.
 * - owners: `active` (boolean: still active in the directory), `email`, `ownerType`
 *   (`person` | `team`).
 * Source-specific fields are kept under their own names prefixed by the format's short name,
 * e.g. `cmdb.u_cost_center`, `aws.tag.Team`.
 */
export interface Observation {
  readonly kind: EntityKind;
  /**
   * The source's own id for this thing within the run's scope (e.g. the instance id, the
   * CMDB sys_id, the user ARN). Together with format and scope it identifies the observation,
   * so that a later run replaces it.
   */
  readonly sourceId: string;
  /** Scope this observation belongs to (e.g. `aws:123456789012:eu-west-1`). */
  readonly scope: string;
  readonly keys: readonly Key[];
  readonly attributes: Readonly<Record<string, AttrValue>>;
  readonly relations?: readonly Relation[];
  /** 1-based line in the input, for messages. */
  readonly line?: number;
  /** 1-based record number in a JSON document, whose lines its reader cannot know. */
  readonly item?: number;
}

/** A row or record of an input that could not be read. Good rows of the same file still land. */
export interface Rejection {
  readonly file: string;
  readonly line?: number;
  /** Instead of `line`: the record's number in a JSON document (`item 3`). */
  readonly item?: number;
  readonly field?: string;
  readonly message: string;
  readonly code: string;
  /**
   * How many rows the rejection stands for, when more than one: the lines a badly quoted CSV
   * record took, each of which may have been a row. A run's `rejected` count adds them up.
   */
  readonly rows?: number;
}

/** The rows rejections stand for: one each, or as many as a rejection says. */
export function rejectedRows(rejections: readonly Rejection[]): number {
  let n = 0;
  for (const r of rejections) n += r.rows ?? 1;
  return n;
}

/** A non-fatal note about an input (unknown column, time without a zone, placeholder key). */
export interface Warning {
  readonly file: string;
  readonly line?: number;
  /** Instead of `line`: the record's number in a JSON document (`item 3`). */
  readonly item?: number;
  readonly field?: string;
  readonly message: string;
  readonly code: string;
}

/** What a parser learns about the run from the input itself. */
export interface RunMeta {
  /** Generation time of the export, when the file carries it (ISO instant). */
  readonly asOf?: string;
  /** Scopes the input covers (an AWS account, a cluster, a CMDB table). */
  readonly scopes?: readonly string[];
  /** Whether the input is a complete listing of those scopes (parsers give their default). */
  readonly complete?: boolean;
}
