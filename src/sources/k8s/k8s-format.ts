import type { Observation } from '../../model/types.js';
import { headText } from '../common.js';
import type { ParseEvent, ParseOptions, SourceFormat, SourceInput } from '../format.js';
import { byItem, OnceWarner, warning } from '../streaming/events.js';
import { splitJson, type JsonPath } from './json-splitter.js';
import { KINDS } from './k8s-kinds.js';
import { K8sListings } from './k8s-listings.js';
import { readMeta, type MapContext } from './k8s-object.js';
import { readKubectlTypes, type GivenKinds } from './k8s-types.js';
import { clusterFromScope, obj, str, type Obj } from './k8s-values.js';

/** `data` and `stringData` hold a Secret's values: skipped before they are even assembled. */
const SECRET_FIELDS = new Set(['data', 'stringData']);

function isDropped(path: JsonPath): boolean {
  if (path.length === 1) return SECRET_FIELDS.has(path[0] as string);
  if (path[0] !== 'items') return false;
  if (path.length === 3) return SECRET_FIELDS.has(path[2] as string);
  // Server-side-apply bookkeeping: large, and nothing Roster reads.
  return path.length === 4 && path[2] === 'metadata' && path[3] === 'managedFields';
}

const isItems = (path: JsonPath): boolean => path.length === 1 && path[0] === 'items';

/**
 * `kubectl get -o json` output: a `List` (or a typed `PodList`, … as the API server writes it)
 * whose `items` are streamed one by one, or a single object. Reads Pods, ServiceAccounts,
 * Secrets (metadata and type only), Nodes, Deployments and Jobs; other kinds get one warning each.
 */
export const k8sObjects: SourceFormat = {
  name: 'k8s',
  source: 'k8s',
  systemOfRecord: false,
  description:
    'Kubernetes objects from kubectl get -o json: Pods, ServiceAccounts, Secrets (metadata ' +
    'only), Nodes, Deployments, Jobs',
  takesTypes: true,
  checkTypes: (given) => void readKubectlTypes(given),
  example:
    'kubectl get pods,serviceaccounts,secrets,nodes,deployments,jobs -A -o json > prod.json' +
    ' && roster ingest prod.json --scope k8s:prod --complete' +
    ' --types pods,serviceaccounts,secrets,nodes,deployments,jobs',
  detect,
  parse: (input, options) => byItem(parse(input, options)),
};

/**
 * A JSON object whose first key is `apiVersion` or `kind`, as kubectl and the API server
 * write, or the `current-context` (`context`) a user puts at the top to name the cluster.
 */
function detect(input: Pick<SourceInput, 'head'>): number {
  const text = headText(input.head);
  if (!/^\{\s*"(apiVersion|kind|current-context|context)"\s*:/.test(text)) return 0;
  if (!/"apiVersion"\s*:\s*"[a-z0-9.-]*\/?v\d\w*"/.test(text)) return 0;
  return /"(items|metadata)"\s*:/.test(text) ? 0.9 : 0;
}

async function* parse(input: SourceInput, options: ParseOptions): AsyncIterable<ParseEvent> {
  const given = readKubectlTypes(options.types);
  const run = new K8sRun(input.path, clusterFromScope(options.scope), given);
  yield* run.start();
  const splits = splitJson(input, { isRecordArray: isItems, drop: isDropped, maxTestDepth: 4 });
  for await (const split of splits) {
    if (split.type === 'record') yield* run.item(split.value, split.index + 1, split.envelope);
    else if (split.type === 'rest') yield* run.end(split.value, split.sawRecordArray);
    else if (split.type === 'progress') yield split;
    else yield run.failure(split.message, split.records);
  }
  yield run.meta();
}

/** What one parse learns as it goes: the cluster, what it listed where, the kinds skipped. */
class K8sRun {
  readonly #file: string;
  readonly #fromOptions: string | undefined;
  #cluster: string | undefined;
  readonly #given: GivenKinds;
  readonly #listings: K8sListings;
  readonly #once = new OnceWarner();

  constructor(file: string, cluster: string | undefined, given: GivenKinds) {
    this.#file = file;
    this.#fromOptions = cluster;
    this.#cluster = cluster;
    this.#given = given;
    this.#listings = new K8sListings(given.kinds);
  }

  /** A resource given that names no kind read: said once, before the items. */
  *start(): Iterable<ParseEvent> {
    for (const type of this.#given.notRead) {
      const message = `kubectl resource '${type.slice(0, 200)}' is of a kind Roster does not ` +
        `read (it reads ${Object.keys(KINDS).join(', ')}): ignored`;
      yield warning(this.#file, undefined, 'types', 'TYPE_NOT_READ', message);
    }
  }

  *item(value: unknown, line: number, envelope?: Obj): Iterable<ParseEvent> {
    if (this.#cluster === undefined) yield* this.#chooseCluster(envelope, line);
    else yield* this.#otherContext(envelope, line);
    const ctx: MapContext = { cluster: this.#cluster!, file: this.#file, line, events: [] };
    const item = obj(value);
    if (!item) {
      yield reject(ctx, 'not a JSON object');
      return;
    }
    const kind = str(item['kind']) ?? listItemKind(envelope);
    const observation = this.#map(item, kind, ctx);
    yield* ctx.events;
    if (observation) yield { type: 'observation', observation };
  }

  *end(value: unknown, sawItems: boolean): Iterable<ParseEvent> {
    const doc = obj(value);
    if (!sawItems) {
      yield* this.item(value, 1, doc);
      return;
    }
    const late = contextName(doc);
    if (late !== undefined && this.#fromOptions === undefined && late !== this.#cluster) {
      const message =
        `context '${late}' comes after the items, which used cluster ` +
        `'${this.#cluster}'; pass --scope`;
      yield warning(this.#file, undefined, 'current-context', 'LATE_CONTEXT', message);
    }
  }

  failure(message: string, records: number): ParseEvent {
    const text = `not valid JSON after ${records} item(s): ${message}`;
    const rejection = { file: this.#file, line: records + 1, code: 'BAD_INPUT', message: text };
    return { type: 'reject', rejection };
  }

  /**
   * A kubectl listing covers the kinds it was asked for, which the file does not say, so the
   * run is partial by default: it never retires what it did not list (DESIGN.md rule 3).
   * Its scopes are the listings of each kind where it lists one, and of each kind given in
   * every namespace it names (K8sListings); a cluster named by --scope is reached, rows or none.
   */
  meta(): ParseEvent {
    if (this.#fromOptions !== undefined) this.#listings.reach(this.#fromOptions);
    return { type: 'meta', meta: { scopes: this.#listings.scopes(), complete: false } };
  }

  /** The file names another cluster than --scope: --scope wins, and the user is told once. */
  *#otherContext(envelope: Obj | undefined, line: number): Iterable<ParseEvent> {
    const named = contextName(envelope);
    if (named === undefined || named === this.#cluster || !this.#once.first('context')) return;
    const message = `the file's context names cluster ${JSON.stringify(named.slice(0, 200))}; ` +
      `--scope names ${JSON.stringify(this.#cluster!.slice(0, 200))}, which is used`;
    yield warning(this.#file, line, 'current-context', 'SCOPE_DIFFERS', message);
  }

  *#chooseCluster(envelope: Obj | undefined, line: number): Iterable<ParseEvent> {
    this.#cluster = contextName(envelope);
    if (this.#cluster !== undefined) return;
    this.#cluster = 'default';
    const message =
      "no cluster name in the file or options; using 'default' (pass --scope k8s:<cluster>)";
    yield warning(this.#file, line, undefined, 'NO_SCOPE', message);
  }

  #map(item: Obj, kind: string | undefined, ctx: MapContext): Observation | undefined {
    if (kind === undefined) {
      ctx.events.push(reject(ctx, 'object without kind', 'kind'));
      return undefined;
    }
    const reader = KINDS[kind];
    const group = apiGroup(item['apiVersion']);
    if (!reader || (group !== undefined && !reader.groups.includes(group))) {
      this.#skip(item, group ? `${kind}.${group}` : kind, ctx);
      return undefined;
    }
    const meta = readMeta(item, kind, ctx, reader.namespaced);
    if (!meta) return undefined;
    this.#listings.list(ctx.cluster, meta.namespace, kind);
    this.#unlistedKind(kind, ctx);
    return reader.map(item, meta, ctx);
  }

  /**
   * An object of a kind not read is skipped, warned once per kind; its namespace was reached
   * all the same (`kubectl get pods,statefulsets -A` lists every namespace for pods).
   */
  #skip(item: Obj, label: string, ctx: MapContext): void {
    this.#listings.reach(ctx.cluster, str(obj(item['metadata'])?.['namespace']));
    if (!this.#once.first(`kind:${label}`)) return;
    const message = `kind ${label} is not read; its objects are skipped`;
    ctx.events.push(warning(ctx.file, ctx.line, 'kind', 'UNKNOWN_KIND', message));
  }

  /** A row of a kind read that the types given do not name: read, covered only where listed. */
  #unlistedKind(kind: string, ctx: MapContext): void {
    if (!this.#given.asked || this.#given.kinds.includes(kind)) return;
    if (!this.#once.first(`type:${kind}`)) return;
    const message = `kind ${kind} is not among the types given ` +
      `(${this.#given.kinds.join(',') || 'none read'}); its objects are read, and the run ` +
      'covers the kind only in the namespaces where it lists one (warned once per kind)';
    ctx.events.push(warning(ctx.file, ctx.line, 'kind', 'UNLISTED_TYPE', message));
  }
}

/** The item kind of a typed list the API server writes (`PodList` items carry no `kind`). */
function listItemKind(envelope: Obj | undefined): string | undefined {
  const kind = str(envelope?.['kind']);
  return kind && kind !== 'List' && kind.endsWith('List') ? kind.slice(0, -4) : undefined;
}

/** A kubeconfig-style context name at the top of the file names the cluster. */
function contextName(doc: Obj | undefined): string | undefined {
  return str(doc?.['current-context']) ?? str(doc?.['context']);
}

/** `apps/v1` → `apps`; `v1` → '' (the core group); undefined when absent. */
function apiGroup(apiVersion: unknown): string | undefined {
  const v = str(apiVersion);
  if (v === undefined) return undefined;
  const slash = v.indexOf('/');
  return slash < 0 ? '' : v.slice(0, slash);
}

function reject(
  ctx: Pick<MapContext, 'file' | 'line'>,
  message: string,
  field?: string,
): ParseEvent {
  const rejection = { file: ctx.file, line: ctx.line, code: 'BAD_INPUT', message };
  return { type: 'reject', rejection: field ? { ...rejection, field } : rejection };
}
