import type { AttrValue, Key, Observation, RunState } from '../../model/types.js';
import { normalizeKey } from '../../model/keys.js';
import { compact } from '../common.js';
import { asArray, asObject, asString, KeyList, stringList } from '../streaming/values.js';
import { lastSegment, type CaiAsset } from './gcp-line.js';

/** What every mapper gets: the asset, where it goes, and its already-read common parts. */
export interface AssetInput {
  readonly asset: CaiAsset;
  readonly scope: string;
  readonly line: number;
  readonly updatedAt: string | undefined;
  readonly createdAt: string | undefined;
}

/**
 * Compute Engine instance `status` (compute/v1 Instance): TERMINATED is a stopped instance
 * that still exists, not a deleted one.
 */
const RUN_STATES: Readonly<Record<string, RunState>> = {
  PROVISIONING: 'pending',
  STAGING: 'pending',
  RUNNING: 'running',
  STOPPING: 'stopped',
  STOPPED: 'stopped',
  SUSPENDING: 'stopped',
  SUSPENDED: 'stopped',
  TERMINATED: 'stopped',
  REPAIRING: 'unknown',
};

function resourceKey(asset: CaiAsset): Key {
  return { type: 'gcp-resource', value: asset.name };
}

/** compute.googleapis.com/Instance → asset `gcp-compute-instance`. */
export function readInstance(input: AssetInput): Observation {
  const { asset } = input;
  const d = asset.data ?? {};
  const keys = new KeyList();
  keys.keys.push(resourceKey(asset));
  const name = asString(d.name) ?? lastSegment(asset.name);
  keys.add('name', name);
  // The guest's hostname is the instance name unless a custom `hostname` was set.
  keys.add('hostname', asString(d.hostname) ?? name);
  const ips = instanceIps(d);
  for (const ip of ips) keys.add('ip', ip);
  const status = asString(d.status);
  const attributes: Record<string, AttrValue> = compact({
    class: 'gcp-compute-instance',
    name,
    platform: 'gcp',
    runState: status ? (RUN_STATES[status] ?? 'unknown') : undefined,
    hostname: asString(d.hostname) ?? name,
    ip: ips[0],
    createdAt: input.createdAt,
    updatedAt: input.updatedAt,
    location: lastSegment(asString(d.zone)),
    description: asString(d.description),
    tags: listOrUndefined(stringList(asObject(d.tags)?.items)),
    'gcp.id': asString(d.id),
    'gcp.status': status,
    'gcp.machineType': lastSegment(asString(d.machineType)),
    'gcp.serviceAccounts': listOrUndefined(serviceAccountEmails(d)),
  });
  // The instance's service accounts act from it: identity runs-on instance, said by the instance.
  const relations = serviceAccountEmails(d).flatMap((e) => {
    const target = normalizeKey('email', e);
    return target ? [{ type: 'runs-on' as const, target, reverse: true }] : [];
  });
  const sourceId = asset.name;
  return { kind: 'asset', sourceId, scope: input.scope, keys: keys.keys, attributes, relations };
}

/** Internal (`networkIP`, `networkIPv6`) then external (`accessConfigs[].natIP`) addresses. */
function instanceIps(d: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const nic of asArray(d.networkInterfaces).map(asObject)) {
    if (!nic) continue;
    for (const ip of [nic.networkIP, nic.ipv6Address]) if (asString(ip)) out.push(asString(ip)!);
    for (const ac of asArray(nic.accessConfigs).map(asObject)) {
      const nat = asString(ac?.natIP);
      if (nat) out.push(nat);
    }
  }
  return out;
}

export function serviceAccountEmails(d: Readonly<Record<string, unknown>>): string[] {
  return asArray(d.serviceAccounts)
    .map((sa) => asString(asObject(sa)?.email))
    .filter((e): e is string => e !== undefined);
}

/** Resource Manager `lifecycleState` of projects and folders. */
const PROJECT_LIFECYCLE: Readonly<Record<string, string>> = {
  ACTIVE: 'in-service',
  DELETE_REQUESTED: 'decommissioning',
  DELETE_IN_PROGRESS: 'decommissioning',
};

/** cloudresourcemanager.googleapis.com/Project → asset `gcp-project`. */
export function readProject(input: AssetInput): Observation {
  const { asset } = input;
  const d = asset.data ?? {};
  const state = asString(d.lifecycleState ?? d.state);
  const attributes = compact({
    class: 'gcp-project',
    name: asString(d.name ?? d.displayName) ?? asString(d.projectId),
    platform: 'gcp',
    createdAt: input.createdAt,
    updatedAt: input.updatedAt,
    lifecycle: state ? PROJECT_LIFECYCLE[state] : undefined,
    'gcp.projectId': asString(d.projectId),
    'gcp.projectNumber': asString(d.projectNumber),
    'gcp.state': state,
  });
  return {
    kind: 'asset',
    sourceId: asset.name,
    scope: input.scope,
    keys: [resourceKey(asset)],
    attributes,
  };
}

/** Any other asset type: a generic asset whose class is the asset type, never dropped. */
export function readGeneric(input: AssetInput): Observation {
  const { asset } = input;
  const d = asset.data ?? {};
  const attributes = compact({
    class: asset.assetType,
    name: asString(d.displayName) ?? lastSegment(asString(d.name)) ?? lastSegment(asset.name),
    platform: 'gcp',
    createdAt: input.createdAt,
    updatedAt: input.updatedAt,
    location: asset.location ?? asString(d.location) ?? lastSegment(asString(d.zone ?? d.region)),
    description: typeof d.description === 'string' ? asString(d.description) : undefined,
    'gcp.state': asString(d.status ?? d.state ?? d.lifecycleState),
  });
  return {
    kind: 'asset',
    sourceId: asset.name,
    scope: input.scope,
    keys: [resourceKey(asset)],
    attributes,
  };
}

function listOrUndefined(list: string[]): readonly string[] | undefined {
  return list.length > 0 ? list : undefined;
}
