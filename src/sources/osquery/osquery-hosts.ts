import type { AttrValue, Observation } from '../../model/types.js';
import { normalizeKey } from '../../model/keys.js';
import type { ParseEvent } from '../format.js';
import { observation, warning } from '../streaming/events.js';
import { asString, type Json } from '../streaming/values.js';
import { ClonedUuids } from './cloned-uuids.js';
import { endpointKeys } from './endpoint-keys.js';
import { HOST_COLUMNS } from './osquery-results.js';

/** What the log says about one host so far: a few columns, not its rows. */
interface HostState {
  readonly line: number;
  lastSeen: number | undefined;
  infoTime: number;
  readonly info: Record<string, string>;
}

/**
 * Folds osquery results into one record per host: a result log holds many results for each
 * host over time, and the newest inventory row wins (DESIGN.md rule 1). Memory is one small
 * entry per host, whatever the size of the log.
 */
export class OsqueryHosts {
  readonly #hosts = new Map<string, HostState>();
  #newest: number | undefined;

  /** Notes that `host` reported at `time`, with inventory columns from `rows` if any. */
  see(host: string, line: number, time: number | undefined, rows: readonly Json[]): void {
    let state = this.#hosts.get(host);
    if (!state) {
      state = { line, lastSeen: undefined, infoTime: -Infinity, info: {} };
      this.#hosts.set(host, state);
    }
    if (time !== undefined) {
      state.lastSeen = Math.max(state.lastSeen ?? time, time);
      this.#newest = Math.max(this.#newest ?? time, time);
    }
    const t = time ?? 0;
    if (rows.length === 0 || t < state.infoTime) return;
    state.infoTime = t;
    for (const row of rows) keepColumns(state.info, row);
  }

  /** Time of the newest result, for the run's as-of. */
  get newest(): number | undefined {
    return this.#newest;
  }

  /** One asset per host, with a uuid that several hosts report dropped (CLONED_UUID). */
  *observations(file: string, scope: string): Generator<ParseEvent> {
    const clones = new ClonedUuids();
    for (const [host, s] of this.#hosts) {
      const uuid = normalizeKey('hardware-uuid', s.info.uuid);
      if (uuid) clones.note(uuid.value, host, s.info.hardware_serial, hostnameOf(host, s));
    }
    for (const [host, s] of this.#hosts) yield* this.#observe(host, s, { file, scope, clones });
  }

  *#observe(
    host: string,
    s: HostState,
    at: { file: string; scope: string; clones: ClonedUuids },
  ): Generator<ParseEvent> {
    const hostname = hostnameOf(host, s);
    const ids = { serial: s.info.hardware_serial, uuid: s.info.uuid, hostname };
    const where = { file: at.file, line: s.line };
    const read = endpointKeys(ids, { serial: 'hardware_serial', uuid: 'uuid' }, where);
    yield* read.warnings;
    let keys = read.keys;
    const uuid = keys.find((k) => k.type === 'hardware-uuid');
    if (uuid && at.clones.isCloned(uuid.value)) {
      keys = keys.filter((k) => k !== uuid);
      const why = `hardware uuid ${uuid.value} is reported by several hosts; not used as a key`;
      yield warning(at.file, s.line, 'uuid', 'CLONED_UUID', why);
    }
    const o: Observation = {
      kind: 'asset',
      sourceId: `host:${host}`,
      scope: at.scope,
      keys,
      attributes: hostAttributes(host, s),
      line: s.line,
    };
    yield observation(o);
  }
}

function keepColumns(info: Record<string, string>, row: Json): void {
  for (const c of HOST_COLUMNS) {
    const v = asString(row[c]);
    if (v !== undefined) info[c] = v;
  }
  // Decorations usually carry the host's uuid as `host_uuid` (osquery's example decorator).
  const hostUuid = asString(row.host_uuid);
  if (hostUuid !== undefined && info.uuid === undefined) info.uuid = hostUuid;
}

/** A hostIdentifier shaped like a UUID is `--host_identifier=uuid` (or instance), not a name. */
function hostnameOf(host: string, s: HostState): string | undefined {
  if (s.info.hostname) return s.info.hostname;
  return /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(host) ? undefined : host;
}

const DESCRIBING = [
  'cpu_brand',
  'cpu_type',
  'hardware_vendor',
  'hardware_model',
  'physical_memory',
];

function hostAttributes(host: string, s: HostState): Record<string, AttrValue> {
  const i = s.info;
  const out: Record<string, AttrValue> = { class: 'endpoint', 'osquery.hostIdentifier': host };
  const name = i.computer_name ?? hostnameOf(host, s);
  if (name) out.name = name;
  const hostname = hostnameOf(host, s);
  if (hostname) out.hostname = hostname;
  if (i.hardware_serial) out.serialNumber = i.hardware_serial;
  if (s.lastSeen !== undefined) out.lastSeenAt = new Date(s.lastSeen).toISOString();
  for (const c of DESCRIBING) if (i[c] !== undefined) out[`osquery.${c}`] = i[c]!;
  return out;
}
