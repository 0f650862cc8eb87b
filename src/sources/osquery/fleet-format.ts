import type { Observation } from '../../model/types.js';
import type { ParseEvent, ParseOptions, SourceFormat, SourceInput } from '../format.js';
import { headText } from '../common.js';
import { byItem, observation, reject, warning } from '../streaming/events.js';
import { readJsonDocuments } from '../streaming/json-documents.js';
import { findSecret, refusalOf } from '../streaming/secret-scan.js';
import { ClonedUuids } from './cloned-uuids.js';
import { hostOf, readFleetHost } from './fleet-host.js';
import { Spool } from './spool.js';

function detect(input: Pick<SourceInput, 'head'>): number {
  const head = headText(input.head);
  if (!head.startsWith('{') && !head.startsWith('[')) return 0;
  if (/"kind"\s*:\s*"host"/.test(head) && /"spec"\s*:/.test(head)) return 0.9;
  if (/^\{\s*"hosts"\s*:\s*\[/.test(head) && /"(osquery_version|hardware_serial)"/.test(head)) {
    return 0.9;
  }
  return /"osquery_version"/.test(head) && /"hardware_serial"/.test(head) ? 0.6 : 0;
}

/** What the first pass keeps of a host with a uuid until the whole input has been read. */
interface Held {
  readonly observation: Observation;
}

class FleetParse {
  readonly clones = new ClonedUuids();
  readonly spool = new Spool<Held>();
  readonly owners = new Set<string>();
  hosts = 0;
  documents = 0;
  listSeen = false;
  broken = false;

  constructor(
    readonly file: string,
    readonly scope: string,
  ) {}

  /** First pass: hosts without a uuid go out now, the others wait in the spool. */
  async *record(value: unknown, line: number): AsyncGenerator<ParseEvent> {
    const h = hostOf(value);
    if (!h) {
      yield warning(this.file, line, undefined, 'UNKNOWN_OBJECT', 'not a Fleet host; skipped');
      return;
    }
    const hit = findSecret(h);
    if (hit) {
      const { code, message } = refusalOf(hit, 'secret value refused');
      yield reject(this.file, line, hit.field, code, message);
      return;
    }
    const read = readFleetHost(h, { file: this.file, line, scope: this.scope });
    yield* read.events;
    if (read.owner && !this.owners.has(read.owner.sourceId)) {
      this.owners.add(read.owner.sourceId);
      yield observation(read.owner);
    }
    if (!read.observation) return;
    this.hosts++;
    const uuid = read.observation.keys.find((k) => k.type === 'hardware-uuid');
    if (!uuid) {
      yield observation(read.observation);
      return;
    }
    const serial = read.observation.keys.find((k) => k.type === 'serial-number')?.value;
    const hostname = read.observation.keys.find((k) => k.type === 'hostname')?.value;
    this.clones.note(uuid.value, read.observation.sourceId, serial, hostname);
    await this.spool.write({ observation: read.observation });
  }

  end(listed: boolean, envelope: Readonly<Record<string, unknown>>): void {
    this.documents++;
    this.listSeen ||= listed;
    const meta = envelope.meta as { has_next_results?: unknown } | undefined;
    if (meta?.has_next_results === true) this.broken = true;
  }

  /**
   * The hosts list and `fleetctl get hosts` (one document per host) list every enrolled host;
   * one host's detail, a page with more to come, or a broken file does not.
   */
  get complete(): boolean {
    return !this.broken && this.hosts > 0 && (this.listSeen || this.documents > 1);
  }

  /** Second pass: a uuid that several machines reported is dropped from each of them. */
  async *release(): AsyncGenerator<ParseEvent> {
    for await (const { observation: o } of this.spool.read()) {
      const uuid = o.keys.find((k) => k.type === 'hardware-uuid')!;
      if (!this.clones.isCloned(uuid.value)) {
        yield observation(o);
        continue;
      }
      const first = this.clones.firstHost(uuid.value);
      const why = `hardware uuid ${uuid.value} is reported by several hosts (first ${first}); ` +
        'not used as a key';
      yield warning(this.file, o.line, 'uuid', 'CLONED_UUID', why);
      yield observation({ ...o, keys: o.keys.filter((k) => k !== uuid && k.type !== uuid.type) });
    }
  }
}

async function* parse(input: SourceInput, options: ParseOptions): AsyncGenerator<ParseEvent> {
  const state = new FleetParse(input.path, options.scope ?? 'fleet');
  try {
    for await (const item of readJsonDocuments(input, [['hosts']])) {
      if (item.kind === 'record') yield* state.record(item.record.value, item.record.line);
      else if (item.kind === 'progress') yield { type: 'progress', bytes: item.bytes };
      else if (item.kind === 'end') state.end(item.listed, item.envelope);
      else {
        state.broken = true;
        yield reject(input.path, item.line, undefined, 'BAD_JSON', item.message);
      }
    }
    yield* state.release();
  } finally {
    state.spool.close();
  }
  yield { type: 'meta', meta: { scopes: [state.scope], complete: state.complete } };
}

/** Fleet hosts: `fleetctl get hosts --json` and the REST API hosts list. */
export const fleetHostsFormat: SourceFormat = {
  name: 'fleet-hosts',
  source: 'endpoint',
  systemOfRecord: false,
  description: 'Fleet hosts (fleetctl get hosts --json, GET /api/v1/fleet/hosts)',
  example: 'roster ingest hosts.json --format fleet-hosts --scope fleet:fleet.example.com',
  detect,
  parse: (input, options) => byItem(parse(input, options)),
};
