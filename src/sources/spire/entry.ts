import type { AttrValue, Key, Observation, Relation } from '../../model/types.js';
import type { ParseEvent } from '../format.js';
import { warning } from '../streaming/events.js';
import { refPartProblem } from '../k8s/k8s-values.js';
import {
  arr,
  epochSeconds,
  flag,
  number,
  selectorValue,
  selectorsOf,
  spiffeIdOf,
  spireScope,
  str,
  trustDomainOf,
  type Obj,
} from './spire-values.js';

/** Fields of a registration entry (spire-api-sdk types.Entry, and older CLI/file spellings). */
const KNOWN_FIELDS = new Set([
  'id',
  'entry_id',
  'spiffe_id',
  'parent_id',
  'selectors',
  'x509_svid_ttl',
  'jwt_svid_ttl',
  'ttl',
  'federates_with',
  'admin',
  'downstream',
  'expires_at',
  'dns_names',
  'revision_number',
  'store_svid',
  'hint',
  'created_at',
]);

export interface EntryContext {
  readonly file: string;
  readonly line: number;
  /** The Kubernetes cluster the entries' `k8s:` selectors refer to, when the user named it. */
  readonly cluster?: string;
  /** Field names already warned about, so each unknown field is reported once. */
  readonly unknownFields: Set<string>;
}

/**
 * A registration entry as a workload identity keyed by its SPIFFE ID (several entries may
 * share one: they are the same identity reached by different selectors) and by its entry id.
 */
export function entryObservation(entry: Obj, spiffeId: string, ctx: EntryContext): {
  observation: Observation;
  events: ParseEvent[];
} {
  const events = unknownFieldWarnings(entry, ctx);
  const id = str(entry['id']) ?? str(entry['entry_id']);
  const selectors = selectorsOf(entry['selectors']);
  const parentId = spiffeIdOf(entry['parent_id']);
  const attributes = entryAttributes(entry, spiffeId, selectors, ctx, events);
  if (parentId !== undefined) attributes['parentId'] = parentId;
  const keys: Key[] = [{ type: 'spiffe-id', value: spiffeId }];
  if (id !== undefined) keys.push({ type: 'key-id', value: `spire-entry:${id}` });
  const account = serviceAccountRef(selectors, ctx.cluster);
  if ('ref' in account) keys.push({ type: 'k8s-ref', value: account.ref });
  else if (account.problem !== undefined) {
    const why = `${account.problem}: no k8s-ref key, the entry is read without its account`;
    events.push(warning(ctx.file, ctx.line, 'selectors', 'INVALID_VALUE', why));
  }
  const observation: Observation = {
    kind: 'identity',
    sourceId: id ?? `${spiffeId}|${parentId ?? ''}|${[...selectors].sort().join(',')}`,
    scope: spireScope(trustDomainOf(spiffeId)),
    line: ctx.line,
    keys,
    attributes,
  };
  const relations = entryRelations(parentId, selectors);
  if (relations.length === 0) return { observation, events };
  return { observation: { ...observation, relations }, events };
}

function entryAttributes(
  entry: Obj,
  spiffeId: string,
  selectors: readonly string[],
  ctx: EntryContext,
  events: ParseEvent[],
): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {
    name: spiffeId,
    class: 'spire-entry',
    identityType: 'workload',
    selectors,
    'spire.admin': flag(entry['admin']) ?? false,
    'spire.downstream': flag(entry['downstream']) ?? false,
  };
  for (const [field, attribute] of [
    ['expires_at', 'expiresAt'],
    ['created_at', 'createdAt'],
  ] as const) {
    const t = epochSeconds(entry[field]);
    if (t.value !== undefined) out[attribute] = t.value;
    if (!t.bad) continue;
    events.push(warning(ctx.file, ctx.line, field, 'INVALID_VALUE', 'not epoch seconds'));
  }
  const x509Ttl = number(entry['x509_svid_ttl']) ?? number(entry['ttl']);
  if (x509Ttl !== undefined && x509Ttl > 0) out['spire.x509SvidTtl'] = x509Ttl;
  const jwtTtl = number(entry['jwt_svid_ttl']);
  if (jwtTtl !== undefined && jwtTtl > 0) out['spire.jwtSvidTtl'] = jwtTtl;
  const lists: [string, string][] = [
    ['dns_names', 'spire.dnsNames'],
    ['federates_with', 'spire.federatesWith'],
  ];
  for (const [field, attribute] of lists) {
    const values = arr(entry[field]).map(str).filter((v): v is string => v !== undefined);
    if (values.length > 0) out[attribute] = values;
  }
  const hint = str(entry['hint']);
  if (hint !== undefined) out['spire.hint'] = hint;
  if (flag(entry['store_svid']) === true) out['spire.storeSvid'] = true;
  const revision = number(entry['revision_number']);
  if (revision !== undefined) out['spire.revision'] = revision;
  const ns = selectorValue(selectors, 'k8s:ns:');
  const sa = selectorValue(selectors, 'k8s:sa:');
  if (ns !== undefined) out['k8s.namespace'] = ns;
  if (sa !== undefined) out['k8s.serviceAccount'] = sa;
  return out;
}

/**
 * The k8s workload attestor's `k8s:ns:` and `k8s:sa:` selectors name a ServiceAccount: the
 * entry and that account are one workload identity, so the entry carries the account's
 * `k8s-ref` key and the two merge. Only when the cluster is known: the selectors do not say.
 */
function serviceAccountRef(
  selectors: readonly string[],
  cluster: string | undefined,
): { ref: string } | { problem?: string } {
  const all = (prefix: string) => [...new Set(selectors.filter((s) => s.startsWith(prefix))
    .map((s) => s.slice(prefix.length)))];
  const [nss, sas] = [all('k8s:ns:'), all('k8s:sa:')];
  if (cluster === undefined || nss.length === 0 || sas.length === 0) return {};
  // An entry whose selectors name two accounts names neither: no key may pick one.
  if (nss.length > 1 || sas.length > 1) {
    return { problem: 'the k8s:ns: and k8s:sa: selectors name more than one ServiceAccount' };
  }
  const problem = refPartProblem('namespace', nss[0]!) ?? refPartProblem('name', sas[0]!);
  if (problem) return { problem: `selector ${problem}` };
  return { ref: `${cluster}/${nss[0]!}/ServiceAccount/${sas[0]!}` };
}

/**
 * The workload runs on the nodes its parent (an agent, or a node alias) attested; a
 * `k8s:pod-uid:` selector pins it to one pod.
 */
function entryRelations(parentId: string | undefined, selectors: readonly string[]): Relation[] {
  const out: Relation[] = [];
  if (parentId !== undefined) {
    out.push({ type: 'runs-on', target: { type: 'spiffe-id', value: parentId } });
  }
  const podUid = selectorValue(selectors, 'k8s:pod-uid:');
  if (podUid !== undefined) {
    out.push({ type: 'runs-on', target: { type: 'k8s-uid', value: podUid.toLowerCase() } });
  }
  return out;
}

function unknownFieldWarnings(entry: Obj, ctx: EntryContext): ParseEvent[] {
  const out: ParseEvent[] = [];
  for (const field of Object.keys(entry)) {
    if (KNOWN_FIELDS.has(field) || ctx.unknownFields.has(field)) continue;
    ctx.unknownFields.add(field);
    out.push(warning(ctx.file, ctx.line, field, 'UNKNOWN_FIELD', `unknown entry field '${field}'`));
  }
  return out;
}
