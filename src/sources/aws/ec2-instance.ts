import { normalizeKey } from '../../model/keys.js';
import type {
  AttrValue,
  Key,
  Observation,
  Rejection,
  Relation,
  RunState,
} from '../../model/types.js';
import { compact } from '../common.js';
import { parseAwsTime } from './aws-time.js';
import { secretMessage } from './credential-report-row.js';
import { addressKeys } from './ec2-addresses.js';
import { isObject, type JsonObject } from './json-document.js';
import type { OwnerRef } from './owner.js';
import type { RecordIssues } from './record-issues.js';
import { findSecretFields } from './secret-scan.js';
import { tagFacts } from './tag-facts.js';
import { isNoneTagValue, readTags, tagAttributes, type TagList } from './tags.js';

/** An instance read: its asset observation and the owner its tags name. */
export interface InstanceResult {
  readonly asset: Observation;
  readonly owner?: OwnerRef;
}

/** EC2 instance states (EC2 API reference, `InstanceState`) as Roster's run states. */
const RUN_STATES: Readonly<Record<string, RunState>> = {
  pending: 'pending',
  running: 'running',
  stopping: 'stopped',
  stopped: 'stopped',
  'shutting-down': 'terminated',
  terminated: 'terminated',
};

/**
 * Turns one `Reservations[].Instances[]` element into an asset observation, or a rejection.
 * `ownerId` is the reservation's account: instances do not carry it themselves.
 */
export function convertInstance(
  raw: unknown,
  ownerId: unknown,
  issues: RecordIssues,
  line: number,
): InstanceResult | Rejection {
  if (!isObject(raw)) return issues.reject('BAD_INPUT', undefined, 'the instance is not an object');
  const secret = findSecretFields(raw)[0];
  if (secret) return issues.reject('SECRET_REFUSED', secret, secretMessage(secret));
  const id = normalizeKey('aws-instance-id', raw['InstanceId']);
  if (!id) return issues.reject('BAD_INPUT', 'InstanceId', 'no valid instance id (i-…)');
  if (typeof ownerId !== 'string' || !/^\d{12}$/.test(ownerId)) {
    return issues.reject('BAD_INPUT', 'OwnerId', 'the reservation has no 12-digit OwnerId');
  }
  const launched = parseAwsTime(raw['LaunchTime']);
  if (!launched.ok) return issues.reject('BAD_INPUT', 'LaunchTime', launched.error);

  const { tags, skipped } = readTags(raw['Tags']);
  if (skipped > 0) issues.warn('INVALID_VALUE', 'Tags', `${skipped} tag(s) without Key/Value`);
  const facts = tagFacts(tags, issues);
  const region = regionOf(raw, issues);
  const scope = region ? `aws:${ownerId}:${region}` : `aws:${ownerId}`;
  const keys = [id, ...addressKeys(raw, issues), ...nameKey(tags)];
  const attributes = compact({
    ...baseAttributes(raw, tags, issues),
    createdAt: launched.value,
    account: ownerId,
    region,
    ...facts.attributes,
    ...tagAttributes(tags),
  });
  const relations = [...facts.relations, ...profileRelation(raw)];
  const asset: Observation = { kind: 'asset', sourceId: id.value, scope, keys, attributes, line };
  return { asset: relations.length > 0 ? { ...asset, relations } : asset, owner: facts.owner };
}

function baseAttributes(
  inst: JsonObject,
  tags: TagList,
  issues: RecordIssues,
): Record<string, AttrValue | undefined> {
  const firstIp =
    normalizeKey('ip', inst['PrivateIpAddress']) ?? normalizeKey('ip', inst['PublicIpAddress']);
  const placement = isObject(inst['Placement']) ? inst['Placement'] : {};
  return {
    name: nameOf(tags),
    class: 'aws-ec2-instance',
    platform: 'aws',
    runState: runStateOf(inst, issues),
    hostname: text(inst['PrivateDnsName']) ?? text(inst['PublicDnsName']),
    ip: firstIp?.value,
    os: text(inst['PlatformDetails']) ?? text(inst['Platform']),
    'aws.instanceType': text(inst['InstanceType']),
    'aws.imageId': text(inst['ImageId']),
    'aws.availabilityZone': text(placement['AvailabilityZone']),
    'aws.vpcId': text(inst['VpcId']),
    'aws.subnetId': text(inst['SubnetId']),
    'aws.keyName': text(inst['KeyName']),
    'aws.instanceProfileArn': profileArn(inst),
  };
}

function runStateOf(inst: JsonObject, issues: RecordIssues): RunState {
  const state = isObject(inst['State']) ? inst['State']['Name'] : undefined;
  const mapped = typeof state === 'string' ? RUN_STATES[state] : undefined;
  if (mapped) return mapped;
  issues.warn('UNKNOWN_VALUE', 'State.Name', `unknown instance state '${String(state)}'`);
  return 'unknown';
}

/**
 * The region is the availability zone without its zone letter: `us-east-2a` → `us-east-2`;
 * Local and Wavelength Zones (`us-west-2-lax-1a`) belong to the region they start with.
 */
function regionOf(inst: JsonObject, issues: RecordIssues): string | undefined {
  const az = isObject(inst['Placement']) ? inst['Placement']['AvailabilityZone'] : undefined;
  const m = typeof az === 'string' ? /^([a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d+)/.exec(az) : null;
  if (m) return m[1];
  issues.warn('INVALID_VALUE', 'Placement.AvailabilityZone', 'no region: scoped to the account');
  return undefined;
}

function nameOf(tags: TagList): string | undefined {
  const tag = tags.find(([k, v]) => k.trim().toLowerCase() === 'name' && !isNoneTagValue(v));
  return tag?.[1].trim();
}

function nameKey(tags: TagList): Key[] {
  const key = normalizeKey('name', nameOf(tags));
  return key ? [key] : [];
}

function profileArn(inst: JsonObject): string | undefined {
  const profile = inst['IamInstanceProfile'];
  return isObject(profile) ? text(profile['Arn']) : undefined;
}

/** The role behind the instance profile runs on this instance: a relation from that role. */
function profileRelation(inst: JsonObject): Relation[] {
  const arn = profileArn(inst);
  return arn ? [{ type: 'runs-on', target: { type: 'aws-arn', value: arn }, reverse: true }] : [];
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}
