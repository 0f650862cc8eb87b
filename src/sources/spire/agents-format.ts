import { headText } from '../common.js';
import type { ParseEvent, ParseOptions, SourceFormat, SourceInput } from '../format.js';
import { splitJson, type JsonPath } from '../k8s/json-splitter.js';
import { byItem, reject, warning } from '../streaming/events.js';
import { agentObservations } from './agent.js';
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

const isAgents = (path: JsonPath): boolean => path.length === 1 && path[0] === 'agents';

/**
 * `spire-server agent list -output json` (`{"agents": [...]}`) and `agent show -output json`
 * (the bare agent, or `{"agent": {...}}`).
 */
export const spireAgents: SourceFormat = {
  name: 'spire-agents',
  source: 'spire',
  systemOfRecord: false,
  description: 'SPIRE attested agents (spire-server agent list / agent show -output json)',
  example: 'spire-server agent list -output json > agents.json && roster ingest agents.json',
  detect,
  parse: (input, options) => byItem(parse(input, options)),
};

function detect(input: Pick<SourceInput, 'head'>): number {
  const text = headText(input.head);
  if (/^\{\s*"agents"\s*:\s*\[/.test(text)) return 0.9;
  if (/^\{\s*"agent"\s*:\s*\{/.test(text)) return 0.9;
  const bare = /^\{\s*"id"\s*:\s*\{\s*"trust_domain"/.test(text);
  return bare && /"(attestation_type|x509svid_serial_number)"\s*:/.test(text) ? 0.9 : 0;
}

async function* parse(input: SourceInput, options: ParseOptions): AsyncIterable<ParseEvent> {
  const file = input.path;
  const cluster = clusterOption(options.scope);
  const domains = new Set<string>();
  const given = trustDomainOption(options.scope);
  if (given !== undefined) domains.add(given);
  let listing = false;
  let count = 0;
  const one = function* (value: unknown): Iterable<ParseEvent> {
    const line = ++count;
    const agent = obj(value);
    const spiffeId = spiffeIdOf(agent?.['id']);
    if (!agent || spiffeId === undefined) {
      yield reject(file, line, 'id', 'BAD_INPUT', 'agent without a SPIFFE ID');
      return;
    }
    domains.add(trustDomainOf(spiffeId));
    yield* agentObservations(agent, spiffeId, cluster ? { file, line, cluster } : { file, line });
  };
  for await (const split of splitJson(input, { isRecordArray: isAgents })) {
    if (split.type === 'record') yield* one(split.value);
    else if (split.type === 'progress') yield split;
    else if (split.type === 'error') {
      const message = `not valid JSON after ${split.records} agents: ${split.message}`;
      yield reject(file, split.records + 1, undefined, 'BAD_INPUT', message);
      break;
    } else if (split.sawRecordArray) {
      listing = true;
      yield* pageWarning(file, obj(split.value), () => (listing = false));
    } else yield* one(obj(split.value)?.['agent'] ?? split.value);
  }
  // A whole `agent list` retires agents that are gone; `agent show` names just one.
  const scopes = [...domains].sort().map(spireScope);
  yield { type: 'meta', meta: { scopes, complete: listing && scopes.length > 0 } };
}

function* pageWarning(
  file: string,
  doc: Obj | undefined,
  truncated: () => void,
): Iterable<ParseEvent> {
  if (str(doc?.['next_page_token']) === undefined) return;
  truncated();
  const message = 'the listing has a next_page_token: only one page was read';
  yield warning(file, undefined, 'next_page_token', 'TRUNCATED_LISTING', message);
}
