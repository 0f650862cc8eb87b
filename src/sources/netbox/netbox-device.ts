import type { AttrValue, Key, Observation, Relation } from '../../model/types.js';
import { CRITICALITIES } from '../../model/types.js';
import { compact } from '../common.js';
import { asArray, asObject, asString, KeyList, readTime, type Json } from '../streaming/values.js';
import { statusMeaning, statusValue } from './netbox-status.js';

/** NetBox app of an object: dcim devices or virtualization virtual machines. */
export type NetboxApp = 'dcim' | 'virtualization';

/** A device or VM read, with what the caller reports about it. */
export interface DeviceRead {
  readonly observation?: Observation;
  readonly unknownStatus?: string;
  readonly badTime?: { field: string; error: string };
  /** Identifier fields that held a placeholder (`0000000000`, `N/A`) and so identify nothing. */
  readonly placeholders?: readonly { field: string; value: string }[];
}

/** `10.0.255.1/32` → `10.0.255.1`: NetBox writes addresses with their prefix length. */
function address(raw: unknown): string | undefined {
  const a = asString(asObject(raw)?.address ?? raw);
  return a?.replace(/\/\d+$/, '');
}

export function netboxKey(app: NetboxApp, id: unknown): Key | undefined {
  const v = asString(id);
  return v ? { type: 'netbox-id', value: `netbox:${app}:${v}` } : undefined;
}

function nameOf(v: unknown): string | undefined {
  const o = asObject(v);
  return o ? (asString(o.name) ?? asString(o.display) ?? asString(o.label)) : asString(v);
}

/** Maps a NetBox device (`/api/dcim/devices/`) or VM (`/api/virtualization/virtual-machines/`). */
export function readDevice(o: Json, app: NetboxApp, scope: string, line: number): DeviceRead {
  const id = netboxKey(app, o.id);
  if (!id) return {};
  const created = readTime(o.created);
  const updated = readTime(o.last_updated);
  if (created.error) return { badTime: { field: 'created', error: created.error } };
  if (updated.error) return { badTime: { field: 'last_updated', error: updated.error } };
  const keys = new KeyList();
  keys.keys.push(id);
  keys.add('serial-number', o.serial, 'serial');
  keys.add('asset-tag', o.asset_tag, 'asset_tag');
  keys.add('name', o.name);
  const ips = [o.primary_ip4, o.primary_ip6].map(address).filter((a) => a !== undefined);
  if (ips.length === 0 && address(o.primary_ip)) ips.push(address(o.primary_ip)!);
  for (const ip of ips) keys.add('ip', ip);
  const status = statusValue(o.status);
  const meaning = status ? statusMeaning(status) : undefined;
  const attributes: Record<string, AttrValue> = compact({
    class: app === 'dcim' ? 'netbox-device' : 'netbox-virtual-machine',
    name: asString(o.name) ?? asString(o.display) ?? asString(o.display_name),
    // NetBox lists what the organisation admitted; a status says where it is in its life.
    admission: meaning?.admission ?? 'approved',
    lifecycle: meaning?.lifecycle,
    serialNumber: asString(o.serial),
    ip: ips[0],
    platform: nameOf(o.platform),
    location: nameOf(o.site),
    description: asString(o.description),
    owner: nameOf(o.tenant),
    createdAt: created.value,
    updatedAt: updated.value,
    tags: tagList(o.tags),
    'netbox.status': status,
    'netbox.role': nameOf(o.role ?? o.device_role),
    'netbox.site': nameOf(o.site),
    'netbox.rack': nameOf(o.rack),
    'netbox.tenant': nameOf(o.tenant),
    'netbox.cluster': nameOf(o.cluster),
    'netbox.deviceType': asString(asObject(o.device_type)?.model),
    'netbox.manufacturer': nameOf(asObject(o.device_type)?.manufacturer),
    ...customFields(o.custom_fields),
  });
  const observation: Observation = {
    kind: 'asset',
    sourceId: `${app}:${asString(o.id)}`,
    scope,
    keys: keys.keys,
    attributes,
    relations: hostedOn(o, app),
    line,
  };
  const unknownStatus = status && !meaning ? status : undefined;
  return { observation, unknownStatus, placeholders: keys.placeholders };
}

/** A VM pinned to a device, or a device in a parent's bay, is hosted on it. */
function hostedOn(o: Json, app: NetboxApp): Relation[] {
  const host = app === 'virtualization' ? o.device : o.parent_device;
  const key = netboxKey('dcim', asObject(host)?.id);
  return key ? [{ type: 'hosted-on', target: key }] : [];
}

/** Tags as `{name, slug}` objects (NetBox ≥ 2.9) or plain strings (older). */
function tagList(raw: unknown): readonly string[] | undefined {
  const tags = asArray(raw)
    .map(nameOf)
    .filter((t): t is string => t !== undefined);
  return tags.length > 0 ? tags : undefined;
}

/**
 * Custom fields kept as `netbox.cf.<name>`; objects (selection, object fields) by their name or
 * label. A `criticality` field holding one of Roster's levels also sets `criticality`.
 */
function customFields(raw: unknown): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const [k, v] of Object.entries(asObject(raw) ?? {})) {
    const value = customValue(v);
    if (value !== undefined) out[`netbox.cf.${k}`] = value;
  }
  const crit = asString(out['netbox.cf.criticality'])?.toLowerCase();
  if (crit && (CRITICALITIES as readonly string[]).includes(crit)) out.criticality = crit;
  return out;
}

function customValue(v: unknown): AttrValue | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) {
    const list = v.map(nameOf).filter((x): x is string => x !== undefined);
    return list.length > 0 ? list : undefined;
  }
  return nameOf(v);
}
