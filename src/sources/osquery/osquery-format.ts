import type { ParseEvent, ParseOptions, SourceFormat, SourceInput } from '../format.js';
import { headText } from '../common.js';
import { byItem, OnceWarner, reject, warning } from '../streaming/events.js';
import type { JsonItem } from '../streaming/json-items.js';
import { readJsonDocuments } from '../streaming/json-documents.js';
import { looksLikeJsonLines, readJsonLines } from '../streaming/json-lines.js';
import { findSecret, refusalOf } from '../streaming/secret-scan.js';
import { asObject } from '../streaming/values.js';
import { ClockAhead } from './clock-ahead.js';
import { OsqueryHosts } from './osquery-hosts.js';
import { isInventoryRow, readResult } from './osquery-results.js';

function detect(input: Pick<SourceInput, 'head'>): number {
  const head = headText(input.head);
  if (!head.startsWith('{') && !head.startsWith('[')) return 0;
  const timed = /"(unixTime|calendarTime)"\s*:/.test(head);
  const shaped = /"(snapshot|diffResults|columns)"\s*:/.test(head);
  const host = /"(hostIdentifier|hostname)"\s*:/.test(head);
  return timed && shaped && host ? 0.9 : 0;
}

function items(input: SourceInput): AsyncIterable<JsonItem> {
  return looksLikeJsonLines(input.head) ? readJsonLines(input) : readJsonDocuments(input, []);
}

/**
 * Reads osquery result logs. Only inventory rows (system_info and decorations) describe the
 * host; rows of other queries only show that the host reported, and `removed` rows delete
 * nothing: an absent row is not evidence that a machine is gone.
 */
async function* parse(input: SourceInput, options: ParseOptions): AsyncGenerator<ParseEvent> {
  const hosts = new OsqueryHosts();
  const queries = new OnceWarner();
  const ahead = new ClockAhead(input.path, options.latestAsOf);
  for await (const item of items(input)) {
    if (item.kind === 'progress') yield { type: 'progress', bytes: item.bytes };
    else if (item.kind === 'error') {
      yield reject(input.path, item.line, undefined, 'BAD_JSON', item.message);
    } else if (item.kind === 'record') {
      const { value, line } = item.record;
      const o = asObject(value);
      const hit = o ? findSecret(o) : undefined;
      if (!o || hit) {
        const field = hit?.field;
        const { code, message } = hit ? refusalOf(hit, 'secret value refused')
          : { code: 'BAD_RESULT', message: 'not a result' };
        yield reject(input.path, line, field, code, message);
        continue;
      }
      const r = readResult(o);
      if (!r.host) {
        yield reject(input.path, line, 'hostIdentifier', 'MISSING_KEY', 'result without a host');
        continue;
      }
      const inventory = r.rows.filter(isInventoryRow);
      if (inventory.length < r.rows.length && queries.first(r.query ?? '')) {
        const why = `rows of query '${r.query ?? ''}' are not inventory; the host is only seen`;
        yield warning(input.path, line, 'name', 'QUERY_NOT_INVENTORY', why);
      }
      const { time, warnings } = ahead.check(r.host, r, line);
      yield* warnings;
      const decorated = Object.keys(r.decorations).length > 0;
      hosts.see(r.host, line, time, decorated ? [r.decorations, ...inventory] : inventory);
    }
  }
  const scope = options.scope ?? 'osquery';
  // The newest result's time (none later than the clock allows) before any host: ingest
  // stores records by chunks, each with the run's as-of.
  yield* ahead.fallback(hosts.newest);
  if (hosts.newest !== undefined) {
    yield { type: 'meta', meta: { asOf: new Date(hosts.newest).toISOString() } };
  }
  yield* hosts.observations(input.path, scope);
  // A log holds the hosts that reported, not every host that exists.
  yield { type: 'meta', meta: { scopes: [scope], complete: false } };
}

/** osquery result logs (filesystem logger: event, batch and snapshot formats). */
export const osqueryFormat: SourceFormat = {
  name: 'osquery',
  source: 'endpoint',
  systemOfRecord: false,
  description: 'osquery result logs (system_info and decorations describe each host)',
  example: 'roster ingest osqueryd.results.log --format osquery --scope osquery:fleet-eu',
  detect,
  // Result lines have lines; a document (pretty-printed results, an array) only record numbers.
  parse: (input, options) =>
    looksLikeJsonLines(input.head) ? parse(input, options) : byItem(parse(input, options)),
};
