import { RosterError } from '../model/errors.js';
import type { Decision } from './decision.js';
import type { FactIndex } from './fact-index.js';
import type { EvaluationRequest, ActionSearch, ResourceSearch, SubjectSearch } from './request.js';

/** What searches need of the decision point: decide without logging, and the index. */
export interface Searchable {
  readonly index: FactIndex;
  readonly actionNames: readonly string[];
  decide(req: EvaluationRequest, opts: { log: false }): Promise<Decision>;
}

export interface SearchPage<T> {
  readonly results: readonly T[];
  readonly page: { readonly next_token: string; readonly count: number };
}

const DEFAULT_LIMIT = 50;
/** Records looked at per page at most, so that one search cannot hold the server for long. */
const SCAN_BUDGET = 20_000;

/**
 * AuthZEN subject search (section 8.4): the inventory's records of the requested type that
 * the policies allow. Every result, fed back into an evaluation, is allowed: it is found by
 * evaluating exactly that request. The page token is the last record id looked at.
 */
export function searchSubjects(pdp: Searchable, q: SubjectSearch) {
  return scan(pdp, q.subject.type, q.page, (id) => ({
    subject: { type: q.subject.type, id,
      ...(q.subject.properties ? { properties: q.subject.properties } : {}) },
    action: q.action,
    resource: q.resource,
    ...(q.context ? { context: q.context } : {}),
  }));
}

/** AuthZEN resource search (section 8.5), the same way round for resources. */
export function searchResources(pdp: Searchable, q: ResourceSearch) {
  return scan(pdp, q.resource.type, q.page, (id) => ({
    subject: q.subject,
    action: q.action,
    resource: { type: q.resource.type, id,
      ...(q.resource.properties ? { properties: q.resource.properties } : {}) },
    ...(q.context ? { context: q.context } : {}),
  }));
}

/** AuthZEN action search (section 8.6): the schema's actions the policies allow. */
export async function searchActions(
  pdp: Searchable,
  q: ActionSearch,
): Promise<SearchPage<{ name: string }>> {
  // One page holds every action: no token was ever given for a next one.
  if (q.page?.token) throw badToken();
  const results: { name: string }[] = [];
  for (const name of pdp.actionNames) {
    const d = await pdp.decide({ subject: q.subject, action: { name }, resource: q.resource,
      ...(q.context ? { context: q.context } : {}) }, { log: false });
    if (d.decision) results.push({ name });
  }
  return { results, page: { next_token: '', count: results.length } };
}

async function scan(
  pdp: Searchable,
  type: string,
  page: { token?: string; limit?: number } | undefined,
  build: (id: string) => EvaluationRequest,
): Promise<SearchPage<{ type: string; id: string }>> {
  const limit = page?.limit ?? DEFAULT_LIMIT;
  const ids = pdp.index.sortedIds();
  const wanted = typeNames(type);
  let i = 0;
  if (page?.token) {
    if (!RECORD_ID.test(page.token)) throw badToken();
    i = firstAfter(ids, page.token);
  }
  const results: { type: string; id: string }[] = [];
  let scanned = 0;
  for (; i < ids.length && results.length < limit && scanned < SCAN_BUDGET; i++, scanned++) {
    const facts = pdp.index.get(ids[i]!);
    if (!facts || !answersTo(facts.types, wanted)) continue;
    const id = publicName(pdp.index, facts.recordId, facts.names);
    const d = await pdp.decide(build(id), { log: false });
    if (d.decision) results.push({ type, id });
  }
  const next = i < ids.length ? ids[i - 1] ?? '' : '';
  return { results, page: { next_token: next, count: results.length } };
}

/** A page token is the record id the previous page ended on (reconcile/ids.ts). */
const RECORD_ID = /^(?:ast|idn|crd|own)_[0-9a-f]{20}$/;

/** A 400 naming page.token: a token this PDP never gave would silently restart or end. */
function badToken(): RosterError {
  return new RosterError('BAD_INPUT', 'page.token: not a token this PDP gave; send the ' +
    "page.next_token of the previous answer, or no token for the first page",
  { field: 'page.token' });
}

/**
 * The AuthZEN type names a PEP uses in evaluations, and what Roster knows such a record as.
 * An evaluation finds its party by id whatever the type, so a search must accept the same
 * names: `host` (as in the documented requests) finds every asset, `service-account` every
 * service identity. Any other type is matched as itself (kind, identity type or class).
 */
const TYPE_ALIASES: Readonly<Record<string, readonly string[]>> = {
  host: ['asset'], device: ['asset'], machine: ['asset'], server: ['asset'],
  'service-account': ['service'], 'service_account': ['service'], user: ['human'],
};

function typeNames(type: string): readonly string[] {
  const lower = type.toLowerCase();
  return [...new Set([type, lower, ...(TYPE_ALIASES[lower] ?? [])])];
}

function answersTo(types: readonly string[], wanted: readonly string[]): boolean {
  return wanted.some((t) => types.includes(t));
}

/** The first of a record's names that resolves to it alone (its record id at worst). */
function publicName(index: FactIndex, recordId: string, names: readonly string[]): string {
  for (const n of names) {
    const r = index.resolve(n);
    if (r.status === 'found' && r.facts.recordId === recordId) return n;
  }
  return recordId;
}

function firstAfter(ids: readonly string[], token: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid]! <= token) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
