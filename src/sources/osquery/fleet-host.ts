import type { AttrValue, Observation, Relation } from '../../model/types.js';
import { normalizeKey } from '../../model/keys.js';
import { compact } from '../common.js';
import type { ParseEvent } from '../format.js';
import { asObject, asString, readTime, type Json } from '../streaming/values.js';
import { endpointKeys } from './endpoint-keys.js';

/**
 * The host inside a record: `fleetctl get hosts --json` writes `{"kind":"host","apiVersion":
 * "v1","spec":{...}}` per host, `GET /api/v1/fleet/hosts/:id` `{"host":{...}}`, and the hosts
 * list's elements are hosts themselves.
 */
export function hostOf(value: unknown): Json | undefined {
  const o = asObject(value);
  if (!o) return undefined;
  if (o.kind === 'host' && asObject(o.spec)) return asObject(o.spec);
  if (asObject(o.host)) return asObject(o.host);
  return 'hostname' in o || 'uuid' in o || 'hardware_serial' in o ? o : undefined;
}

export interface HostRead {
  readonly observation?: Observation;
  readonly owner?: Observation;
  readonly events: ParseEvent[];
}

/** Maps one Fleet host (REST API `Host` object) to an endpoint asset. */
export function readFleetHost(
  h: Json,
  at: { file: string; line: number; scope: string },
): HostRead {
  const events: ParseEvent[] = [];
  const sourceId = `host:${asString(h.id) ?? asString(h.uuid) ?? asString(h.hostname) ?? ''}`;
  if (sourceId === 'host:') return { events: [missing(at)] };
  const ids = {
    serial: h.hardware_serial,
    uuid: h.uuid,
    hostname: h.hostname,
    ips: [h.primary_ip],
    mac: h.primary_mac,
  };
  const keys = endpointKeys(ids, { serial: 'hardware_serial', uuid: 'uuid' }, at);
  events.push(...keys.warnings);
  const seen = readTime(h.seen_time);
  const enrolled = readTime(h.last_enrolled_at);
  if (seen.error || enrolled.error) {
    const field = seen.error ? 'seen_time' : 'last_enrolled_at';
    return { events: [...events, bad(at, field, (seen.error ?? enrolled.error)!)] };
  }
  const team = asString(h.team_name);
  const ownerKey = normalizeKey('owner', team);
  const relations: Relation[] = ownerKey ? [{ type: 'owned-by', target: ownerKey }] : [];
  const attributes = hostAttributes(h, seen.value, enrolled.value);
  const observation = { kind: 'asset' as const, sourceId, scope: at.scope, line: at.line };
  return {
    observation: { ...observation, keys: keys.keys, attributes, relations },
    owner: ownerKey && team ? teamOwner(ownerKey.value, team, at) : undefined,
    events,
  };
}

function hostAttributes(
  h: Json,
  lastSeenAt: string | undefined,
  enrolledAt: string | undefined,
): Record<string, AttrValue> {
  const status = asString(h.status);
  return compact({
    class: 'endpoint',
    name: asString(h.display_name) ?? asString(h.computer_name) ?? asString(h.hostname),
    hostname: asString(h.hostname),
    platform: asString(h.platform),
    os: asString(h.os_version),
    ip: asString(h.primary_ip),
    serialNumber: asString(h.hardware_serial),
    lastSeenAt,
    // Fleet's status is whether the agent checked in lately (online, offline, mia, new).
    runState: status === 'online' ? 'running' : undefined,
    owner: asString(h.team_name),
    'fleet.status': status,
    'fleet.id': asString(h.id),
    'fleet.lastEnrolledAt': enrolledAt,
    'fleet.osqueryVersion': asString(h.osquery_version),
    'fleet.hardwareVendor': asString(h.hardware_vendor),
    'fleet.hardwareModel': asString(h.hardware_model),
    'fleet.cpuBrand': asString(h.cpu_brand),
    'fleet.publicIp': asString(h.public_ip),
  });
}

function teamOwner(key: string, team: string, at: { scope: string; line: number }): Observation {
  return {
    kind: 'owner',
    sourceId: `team:${key}`,
    scope: at.scope,
    keys: [{ type: 'owner', value: key }],
    attributes: { name: team, ownerType: 'team' },
    line: at.line,
  };
}

function missing(at: { file: string; line: number }): ParseEvent {
  const rejection = {
    file: at.file,
    line: at.line,
    field: 'id',
    code: 'MISSING_KEY',
    message: 'host without id, uuid or hostname',
  };
  return { type: 'reject', rejection };
}

function bad(at: { file: string; line: number }, field: string, message: string): ParseEvent {
  const rejection = { file: at.file, line: at.line, field, code: 'BAD_TIME', message };
  return { type: 'reject', rejection };
}
