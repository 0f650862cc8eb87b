import type { ParseEvent, ParseOptions, SourceFormat, SourceInput } from '../format.js';
import { headText } from '../common.js';
import { byItem, observation, OnceWarner, reject, warning } from '../streaming/events.js';
import { readJsonDocuments } from '../streaming/json-documents.js';
import { findSecret, refusalOf } from '../streaming/secret-scan.js';
import { asObject, asString, type Json } from '../streaming/values.js';
import { readDevice, type NetboxApp } from './netbox-device.js';
import { contactOwners, tenantOwner, type OwnerRead } from './netbox-owners.js';

type NetboxObject = NetboxApp | 'tenant' | string;

const URL_KINDS: readonly (readonly [RegExp, NetboxObject])[] = [
  [/\/api\/dcim\/devices\//, 'dcim'],
  [/\/api\/virtualization\/virtual-machines\//, 'virtualization'],
  [/\/api\/tenancy\/tenants\//, 'tenant'],
];

/**
 * What a record is: by its own `url` (`/api/dcim/devices/1/`), else by fields only that kind
 * has (fixtures and older exports carry no top-level url). Anything else is named by its url
 * path (`ipam/ip-addresses`) so the warning says what was skipped.
 */
function kindOf(o: Json): NetboxObject {
  const url = asString(o.url);
  if (url) {
    for (const [re, kind] of URL_KINDS) if (re.test(url)) return kind;
    const m = /\/api\/([^/]+\/[^/]+)\//.exec(url);
    return m ? m[1]! : 'unknown';
  }
  if ('device_type' in o || 'device_role' in o || 'rack' in o) return 'dcim';
  if ('cluster' in o || 'vcpus' in o) return 'virtualization';
  if ('slug' in o && 'group' in o && !('status' in o)) return 'tenant';
  if ('address' in o && 'family' in o) return 'ipam/ip-addresses';
  return 'unknown';
}

/** `netbox:<host[:port]>` from the first API URL in a record (its own, or a nested one). */
function hostOf(o: Json, depth = 0): string | undefined {
  const url = asString(o.url);
  if (url) {
    try {
      return new URL(url).host;
    } catch {
      return undefined;
    }
  }
  if (depth > 1) return undefined;
  for (const v of Object.values(o)) {
    const nested = asObject(v);
    const host = nested ? hostOf(nested, depth + 1) : undefined;
    if (host) return host;
  }
  return undefined;
}

/**
 * The listing an object belongs to, as NetBox's API names it (`app.endpoint`): a complete list
 * of devices says nothing about virtual machines or tenants, so each is its own scope.
 */
const LISTING: Readonly<Record<'dcim' | 'virtualization' | 'tenant', string>> = {
  dcim: 'dcim.devices',
  virtualization: 'virtualization.virtual-machines',
  tenant: 'tenancy.tenants',
};

function detect(input: Pick<SourceInput, 'head'>): number {
  const head = headText(input.head);
  if (!head.startsWith('{') && !head.startsWith('[')) return 0;
  const api = /"url"\s*:\s*"[^"]*\/api\/(dcim|virtualization|tenancy|ipam)\//.test(head);
  const page = /"count"\s*:/.test(head) && /"results"\s*:/.test(head);
  if (page && api) return 0.9;
  const device = /"device_type"\s*:/.test(head) && /"site"\s*:/.test(head);
  const vm = /"cluster"\s*:/.test(head) && /"vcpus"\s*:/.test(head);
  if (device || vm) return 0.85;
  return page && /"(primary_ip4|slug)"\s*:/.test(head) ? 0.7 : 0;
}

class NetboxParse {
  readonly scopes = new Set<string>();
  readonly owners = new Set<string>();
  readonly once = new OnceWarner();
  complete = true;

  constructor(
    readonly file: string,
    readonly options: ParseOptions,
  ) {}

  /** The NetBox host seen last: one export comes from one NetBox, whichever object says so. */
  #host: string | undefined;

  /** `netbox:<host>/<listing>`: the NetBox instance and the object type listed. */
  scopeOf(kind: keyof typeof LISTING): string {
    const instance = this.#host ? `netbox:${this.#host}` : (this.options.scope ?? 'default');
    return `${instance}/${LISTING[kind]}`;
  }

  *record(o: Json, line: number, envelope: Json): Generator<ParseEvent> {
    const hit = findSecret(o);
    if (hit) {
      const { code, message } = refusalOf(hit, 'secret value refused');
      yield reject(this.file, line, hit.field, code, message);
      return;
    }
    this.#host = hostOf(o) ?? hostOf(envelope) ?? this.#host;
    const kind = kindOf(o);
    if (kind !== 'dcim' && kind !== 'virtualization' && kind !== 'tenant') {
      if (!this.once.first(`kind:${kind}`)) return;
      const why = `NetBox ${kind} objects are not inventoried; skipped (warned once per file)`;
      yield warning(this.file, line, undefined, 'UNSUPPORTED_OBJECT', why);
      return;
    }
    const scope = this.scopeOf(kind);
    if (kind === 'tenant') {
      const owner = tenantOwner(o, scope, line);
      if (owner) yield* this.#owners([owner], scope);
      return;
    }
    yield* this.#device(o, kind, scope, line);
  }

  *#device(o: Json, app: NetboxApp, scope: string, line: number): Generator<ParseEvent> {
    const read = readDevice(o, app, scope, line);
    if (read.badTime) {
      yield reject(this.file, line, read.badTime.field, 'BAD_TIME', read.badTime.error);
      return;
    }
    if (!read.observation) {
      yield reject(this.file, line, 'id', 'MISSING_KEY', 'object without an id');
      return;
    }
    for (const p of read.placeholders ?? []) {
      const why = `placeholder '${p.value}' does not identify the device`;
      yield warning(this.file, line, p.field, 'PLACEHOLDER_KEY', why);
    }
    if (read.unknownStatus && this.once.first(`status:${read.unknownStatus}`)) {
      const why = `status '${read.unknownStatus}' has no lifecycle meaning; admitted, stage unset`;
      yield warning(this.file, line, 'status', 'UNKNOWN_VALUE', why);
    }
    const tenant = tenantOwner(o.tenant, scope, line);
    const owners = [...(tenant ? [tenant] : []), ...contactOwners(o, scope, line)];
    yield* this.#owners(owners, scope);
    const relations = [...(read.observation.relations ?? []), ...owners.map((x) => x.relation)];
    yield observation({ ...read.observation, relations });
  }

  *#owners(owners: readonly OwnerRead[], scope: string): Generator<ParseEvent> {
    this.scopes.add(scope);
    for (const { observation: o } of owners) {
      const id = `${o.scope}|${o.sourceId}`;
      if (this.owners.has(id)) continue;
      this.owners.add(id);
      yield observation(o);
    }
  }
}

async function* parse(input: SourceInput, options: ParseOptions): AsyncGenerator<ParseEvent> {
  const state = new NetboxParse(input.path, options);
  for await (const item of readJsonDocuments(input, [['results']])) {
    if (item.kind === 'progress') yield { type: 'progress', bytes: item.bytes };
    else if (item.kind === 'error') {
      state.complete = false;
      yield reject(input.path, item.line, undefined, 'BAD_JSON', item.message);
    } else if (item.kind === 'end') {
      // One page of several (`next` set), or a single object, is not the whole list.
      if (!item.listed || asString(item.envelope.next)) state.complete = false;
    } else {
      const o = asObject(item.record.value);
      if (o) yield* state.record(o, item.record.line, item.record.envelope);
      else yield reject(input.path, item.record.line, undefined, 'BAD_RECORD', 'not an object');
    }
  }
  yield { type: 'meta', meta: { scopes: [...state.scopes], complete: state.complete } };
}

/** NetBox REST API devices, virtual machines and tenants (paged lists or single objects). */
export const netboxFormat: SourceFormat = {
  name: 'netbox',
  source: 'netbox',
  systemOfRecord: true,
  description: 'NetBox REST API devices, virtual machines and tenants (JSON)',
  example: 'roster ingest devices.json --format netbox',
  detect,
  parse: (input, options) => byItem(parse(input, options)),
};
