import type { AttrValue, KeyType, Observation, RunState } from '../../model/types.js';
import {
  commonAttributes,
  keys,
  objectKeys,
  observation,
  type K8sMeta,
  type MapContext,
} from './k8s-object.js';
import { arr, environmentFromLabels, obj, str, type Obj } from './k8s-values.js';

/**
 * A Node (core/v1) as an asset of class `k8s-node`. Its cloud provider id gives the strong key
 * that merges it with the VM the cloud reports (an EC2 instance id, a GCE instance resource),
 * and its SMBIOS system UUID the hardware key.
 */
export function nodeObservation(item: Obj, meta: K8sMeta, ctx: MapContext): Observation {
  const spec = obj(item['spec']);
  const status = obj(item['status']);
  const info = obj(status?.['nodeInfo']);
  const addresses = readAddresses(status);
  const providerId = str(spec?.['providerID']);
  const pairs: [KeyType, unknown][] = [
    ...providerKeys(providerId),
    ['hardware-uuid', info?.['systemUUID']],
    ['hostname', meta.name],
    ...addresses.map((a) => [a.type, a.value] as [KeyType, string]),
  ];
  const attributes: Record<string, AttrValue> = {
    ...commonAttributes(meta, ctx, 'k8s-node'),
    hostname: addresses.find((a) => a.type === 'hostname')?.value ?? meta.name,
    ...nodeInfo(info),
    ...readiness(status),
  };
  const ip = addresses.find((a) => a.type === 'ip')?.value;
  if (ip !== undefined) attributes['ip'] = ip;
  if (providerId !== undefined) attributes['k8s.providerID'] = providerId;
  if (spec?.['unschedulable'] === true) attributes['k8s.unschedulable'] = true;
  const environment = environmentFromLabels(meta.labels);
  if (environment !== undefined) attributes['environment'] = environment;
  const zone = str(meta.labels?.['topology.kubernetes.io/zone']);
  if (zone !== undefined) attributes['location'] = zone;
  const roles = Object.keys(meta.labels ?? {})
    .filter((l) => l.startsWith('node-role.kubernetes.io/'))
    .map((l) => l.slice('node-role.kubernetes.io/'.length));
  if (roles.length > 0) attributes['k8s.roles'] = roles;
  return observation('asset', meta, ctx, {
    keys: [...objectKeys(meta, ctx), ...keys(pairs)],
    attributes,
  });
}

/**
 * `spec.providerID` as each cloud's kubelet writes it:
 * - AWS: `aws:///<zone>/<instance-id>` (older clusters: `aws:///<instance-id>`)
 * - GCE: `gce://<project>/<zone>/<instance-name>`, the Cloud Asset Inventory resource name
 *   `//compute.googleapis.com/projects/<project>/zones/<zone>/instances/<name>`.
 */
export function providerKeys(providerId: string | undefined): [KeyType, string][] {
  if (providerId === undefined) return [];
  const aws = /^aws:\/\/\/(?:[^/]+\/)?(i-[0-9a-f]+)$/i.exec(providerId);
  if (aws) return [['aws-instance-id', aws[1]!]];
  const gce = /^gce:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(providerId);
  if (gce) {
    const [, project, zone, name] = gce;
    const resource = `//compute.googleapis.com/projects/${project}/zones/${zone}/instances/${name}`;
    return [['gcp-resource', resource]];
  }
  return [];
}

interface Address {
  readonly type: 'ip' | 'hostname' | 'fqdn';
  readonly value: string;
}

const ADDRESS_TYPES: Readonly<Record<string, Address['type']>> = {
  InternalIP: 'ip',
  ExternalIP: 'ip',
  Hostname: 'hostname',
  InternalDNS: 'fqdn',
  ExternalDNS: 'fqdn',
};

function readAddresses(status: Obj | undefined): Address[] {
  const out: Address[] = [];
  for (const a of arr(status?.['addresses'])) {
    const type = ADDRESS_TYPES[str(obj(a)?.['type']) ?? ''];
    const value = str(obj(a)?.['address']);
    if (type !== undefined && value !== undefined) out.push({ type, value });
  }
  return out;
}

function nodeInfo(info: Obj | undefined): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  const fields: [string, string][] = [
    ['osImage', 'os'],
    ['operatingSystem', 'platform'],
    ['architecture', 'k8s.architecture'],
    ['kubeletVersion', 'k8s.kubeletVersion'],
    ['containerRuntimeVersion', 'k8s.containerRuntime'],
    ['kernelVersion', 'k8s.kernelVersion'],
    ['machineID', 'k8s.machineID'],
  ];
  for (const [from, to] of fields) {
    const v = str(info?.[from]);
    if (v !== undefined) out[to] = v;
  }
  return out;
}

/** The `Ready` condition: True is running; False or Unknown says nothing firmer than unknown. */
function readiness(status: Obj | undefined): { runState?: RunState } {
  const ready = arr(status?.['conditions'])
    .map(obj)
    .find((c) => str(c?.['type']) === 'Ready');
  if (!ready) return {};
  return { runState: str(ready['status']) === 'True' ? 'running' : 'unknown' };
}
