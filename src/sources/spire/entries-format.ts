import { headText } from '../common.js';
import type { ParseEvent, ParseOptions, SourceFormat, SourceInput } from '../format.js';
import { splitJson, type JsonPath } from '../k8s/json-splitter.js';
import { byItem, reject, warning } from '../streaming/events.js';
import { entryObservation } from './entry.js';
import {
  clusterOption,
  obj,
  spiffeIdOf,
  spireScope,
  str,
  trustDomainOf,
  trustDomainOption,
  type Obj,
} from './spire-values.js';

/**
 * Arrays of entries: `entries` of `entry show -output json` and of `entry create -data` files,
 * `results[].entry` of `entry create|update -output json`, and `<name>.entries` of older
 * registration-API dumps keyed by response.
 */
function isEntryArray(path: JsonPath): boolean {
  if (path.length === 1) return path[0] === 'entries' || path[0] === 'results';
  return path.length === 2 && path[1] === 'entries';
}

export const spireEntries: SourceFormat = {
  name: 'spire-entries',
  source: 'spire',
  systemOfRecord: false,
  description: 'SPIRE registration entries (spire-server entry show -output json)',
  example:
    'spire-server entry show -output json > entries.json && roster ingest entries.json' +
    ' --scope k8s:prod',
  detect,
  parse: (input, options) => byItem(parse(input, options)),
};

function detect(input: Pick<SourceInput, 'head'>): number {
  const text = headText(input.head);
  if (!text.startsWith('{') || !/"spiffe_id"\s*:/.test(text)) return 0;
  if (/^\{\s*"(entries|results)"\s*:\s*\[/.test(text)) return 0.9;
  return /"entries"\s*:\s*\[/.test(text) ? 0.6 : 0;
}

async function* parse(input: SourceInput, options: ParseOptions): AsyncIterable<ParseEvent> {
  const run = new EntriesRun(input.path, clusterOption(options.scope));
  const given = trustDomainOption(options.scope);
  if (given !== undefined) run.cover(given);
  for await (const split of splitJson(input, { isRecordArray: isEntryArray })) {
    if (split.type === 'record') yield* run.entry(split.value, split.path);
    else if (split.type === 'progress') yield split;
    else if (split.type === 'error') {
      const message = `not valid JSON after ${split.records} entries: ${split.message}`;
      yield reject(input.path, split.records + 1, undefined, 'BAD_INPUT', message);
      run.partial();
    } else yield* run.end(obj(split.value), split.sawRecordArray);
  }
  yield run.meta();
}

class EntriesRun {
  readonly #file: string;
  readonly #cluster: string | undefined;
  readonly #unknownFields = new Set<string>();
  readonly #ids = new Set<string>();
  readonly #domains = new Set<string>();
  #count = 0;
  #listing = true;

  constructor(file: string, cluster: string | undefined) {
    this.#file = file;
    this.#cluster = cluster;
  }

  *entry(value: unknown, path: JsonPath): Iterable<ParseEvent> {
    const line = ++this.#count;
    // Dumps keyed by response are several answers at once, not one listing of the server.
    if (path.length > 2) this.#listing = false;
    const wrapped = path[0] === 'results' ? obj(obj(value)?.['entry']) : obj(value);
    const spiffeId = spiffeIdOf(wrapped?.['spiffe_id']);
    if (!wrapped || spiffeId === undefined) {
      yield reject(this.#file, line, 'spiffe_id', 'BAD_INPUT', 'entry without a SPIFFE ID');
      return;
    }
    const id = str(wrapped['id']) ?? str(wrapped['entry_id']);
    // Entries without ids come from a registration file, a wish list rather than a listing.
    if (id === undefined) this.#listing = false;
    else if (this.#ids.has(id)) {
      const message = `entry ${id} appears again; skipped`;
      yield warning(this.#file, line, 'id', 'DUPLICATE_RECORD', message);
      return;
    } else this.#ids.add(id);
    const ctx = { file: this.#file, line, unknownFields: this.#unknownFields };
    const where = this.#cluster ? { ...ctx, cluster: this.#cluster } : ctx;
    const mapped = entryObservation(wrapped, spiffeId, where);
    this.#domains.add(trustDomainOf(spiffeId));
    yield* mapped.events;
    yield { type: 'observation', observation: mapped.observation };
  }

  *end(doc: Obj | undefined, sawEntries: boolean): Iterable<ParseEvent> {
    if (!sawEntries) {
      yield reject(this.#file, undefined, 'entries', 'BAD_INPUT', 'no "entries" array');
      this.#listing = false;
      return;
    }
    if (str(doc?.['next_page_token']) !== undefined) {
      const message = 'the listing has a next_page_token: only one page was read';
      yield warning(this.#file, undefined, 'next_page_token', 'TRUNCATED_LISTING', message);
      this.#listing = false;
    }
  }

  /** A trust domain the listing covers even when it holds no entry of it. */
  cover(trustDomain: string): void {
    this.#domains.add(trustDomain);
  }

  partial(): void {
    this.#listing = false;
  }

  /** A full `entry show` listing retires entries gone from the server (DESIGN.md rule 3). */
  meta(): ParseEvent {
    const scopes = [...this.#domains].sort().map(spireScope);
    return { type: 'meta', meta: { scopes, complete: this.#listing && scopes.length > 0 } };
  }
}
