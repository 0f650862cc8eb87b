import type { InventoryRecord } from '../model/record.js';
import { keyString, normalizeKey } from '../model/keys.js';
import type { EntityKind, Key, KeyType, RelationType } from '../model/types.js';
import type { ResolvedEdge, Store } from '../store/port.js';
import type { PlanGraph } from './offboarding-plan.js';

/** Key types a host tag may name a host by: its ids first, then its names. */
const HOST_KEY_TYPES: readonly KeyType[] = [
  'aws-instance-id', 'aws-arn', 'cmdb-sys-id', 'serial-number', 'hardware-uuid', 'k8s-uid',
  'gcp-resource', 'fqdn', 'hostname',
];

/** The kinds at each end of the relations planning follows (as in judge-store.ts). */
const ENDS: Partial<Record<RelationType, readonly [EntityKind[], EntityKind[]]>> = {
  'runs-on': [['identity'], ['asset']],
  'belongs-to': [['credential'], ['identity']],
  names: [['credential'], ['asset', 'identity']],
};

/** Keys a tag value names (`RunsOn=i-0abc…, web-01`): every host key type it parses as. */
export function hostKeysOf(value: string): Key[] {
  return value
    .split(/[,\s]+/)
    .filter((v) => v !== '')
    .flatMap((v) => HOST_KEY_TYPES.flatMap((t) => normalizeKey(t, v) ?? []));
}

/** Tag values of an identity under the configured host tag names (`aws.tag.RunsOn`, …). */
export function hostTagValues(r: InventoryRecord, tags: readonly string[]): string[] {
  const wanted = new Set(tags.map((t) => t.toLowerCase()));
  const out: string[] = [];
  for (const [name, attr] of Object.entries(r.attributes)) {
    const m = /\.(?:tag|label)\.([^.]+)$/.exec(name);
    if (!m || !wanted.has(m[1]!.toLowerCase()) || typeof attr.value !== 'string') continue;
    out.push(attr.value);
  }
  return out;
}

class Graph implements PlanGraph {
  readonly records = new Map<string, InventoryRecord>();
  readonly on = new Map<string, Set<string>>();
  readonly from = new Map<string, Set<string>>();
  readonly creds = new Map<string, Set<string>>();
  readonly naming = new Map<string, Set<string>>();

  record(id: string): InventoryRecord | undefined {
    return this.records.get(id);
  }
  identitiesOn(assetId: string): readonly string[] {
    return [...(this.on.get(assetId) ?? [])];
  }
  assetsOf(identityId: string): readonly string[] {
    return [...(this.from.get(identityId) ?? [])];
  }
  credentialsOf(identityId: string): readonly string[] {
    return [...(this.creds.get(identityId) ?? [])];
  }
  credentialsNaming(id: string): readonly string[] {
    return [...(this.naming.get(id) ?? [])];
  }
  runsOn(identity: string, asset: string): void {
    add(this.on, asset, identity);
    add(this.from, identity, asset);
  }
}

function add(m: Map<string, Set<string>>, k: string, v: string): void {
  const set = m.get(k) ?? new Set<string>();
  set.add(v);
  m.set(k, set);
}

/**
 * Loads what planning needs around a leaving record: the identities acting from it (by
 * `runs-on` relations and by host tags), the other assets they act from, their credentials,
 * and the credentials naming it. Reads the store; computes nothing.
 */
export async function loadPlanGraph(
  store: Store,
  subjectId: string,
  tags: HostTagIndex,
): Promise<PlanGraph> {
  const g = new Graph();
  const load = async (id: string): Promise<InventoryRecord | undefined> => {
    if (!g.records.has(id)) {
      const r = await store.getRecord(id);
      if (r) g.records.set(id, r);
    }
    return g.records.get(id);
  };
  const subject = await load(subjectId);
  if (!subject) return g;
  const edges = await resolved(store, [subjectId], load);
  for (const e of edges) {
    if (e.type === 'runs-on' && e.toId === subjectId) g.runsOn(e.fromId, subjectId);
    if (e.type === 'names' && e.toId === subjectId) add(g.naming, subjectId, e.fromId);
  }
  if (subject.kind === 'asset') await linkTagged(g, subject, tags, load);
  const identities = subject.kind === 'identity' ? [subjectId] : g.identitiesOn(subjectId);
  for (const e of await resolved(store, identities, load)) {
    if (e.type === 'runs-on' && identities.includes(e.fromId)) g.runsOn(e.fromId, e.toId);
    if (e.type === 'belongs-to' && identities.includes(e.toId)) add(g.creds, e.toId, e.fromId);
  }
  for (const id of identities) {
    const r = await load(id);
    if (r) await linkOwnTags(store, g, r, tags, load);
  }
  return g;
}

type Loader = (id: string) => Promise<InventoryRecord | undefined>;
type Edge = ResolvedEdge & { fromId: string; toId: string };

/** Edges around the ids, both ends resolved and of the kinds the relation joins. */
async function resolved(store: Store, ids: readonly string[], load: Loader): Promise<Edge[]> {
  if (ids.length === 0) return [];
  const out: Edge[] = [];
  for (const e of await store.edgesOf(ids)) {
    const ends = ENDS[e.type];
    if (!ends || !e.fromId || !e.toId || e.fromId === e.toId) continue;
    const [a, b] = await Promise.all([load(e.fromId), load(e.toId)]);
    if (a && b && ends[0].includes(a.kind) && ends[1].includes(b.kind)) out.push(e as Edge);
  }
  return out;
}

/** Identities whose host tags name one of the subject's keys act from the subject. */
async function linkTagged(
  g: Graph,
  subject: InventoryRecord,
  tags: HostTagIndex,
  load: Loader,
): Promise<void> {
  for (const id of await tags.naming(subject.keys)) {
    if (await load(id)) g.runsOn(id, subject.id);
  }
}

/**
 * The identities that name hosts in their host tags, by each host key they name (ids only:
 * the records are read when a plan needs them). Planning asks it for every leaving asset; it
 * reads the identities once, when first asked, instead of once per asset (a scan per asset
 * made tracking a run with many retired assets quadratic). One index serves one pass of
 * planning, in which no identity changes: make a new one for the next pass.
 */
export class HostTagIndex {
  readonly #store: Store;
  readonly #hostTags: readonly string[];
  #read: Promise<TagsRead> | undefined;

  constructor(store: Store, hostTags: readonly string[]) {
    this.#store = store;
    this.#hostTags = hostTags;
  }

  /** Ids of the identities whose host tags name one of `keys`, each once, in order. */
  async naming(keys: readonly Key[]): Promise<string[]> {
    if (this.#hostTags.length === 0) return [];
    const { byKey } = await this.#tags();
    const found = new Set<string>();
    for (const k of keys) {
      for (const id of byKey.get(keyString(k)) ?? []) found.add(id);
    }
    return [...found].sort();
  }

  /** The host keys an identity's host tags name (none for a record that is no identity). */
  async hostKeysOf(identityId: string): Promise<readonly Key[]> {
    if (this.#hostTags.length === 0) return [];
    return (await this.#tags()).keysOf.get(identityId) ?? [];
  }

  #tags(): Promise<TagsRead> {
    return (this.#read ??= this.#load());
  }

  async #load(): Promise<TagsRead> {
    const byKey = new Map<string, string[]>();
    const keysOf = new Map<string, Key[]>();
    for await (const page of this.#store.scanRecords('identity')) {
      for (const r of page) {
        const named = hostTagValues(r, this.#hostTags).flatMap(hostKeysOf);
        if (named.length === 0) continue;
        keysOf.set(r.id, named);
        for (const k of new Set(named.map(keyString))) {
          const ids = byKey.get(k);
          if (ids) ids.push(r.id);
          else byKey.set(k, [r.id]);
        }
      }
    }
    return { byKey, keysOf };
  }
}

interface TagsRead {
  /** Identity ids by each host key (`keyString`) their tags name. */
  readonly byKey: Map<string, string[]>;
  /** The host keys each identity's tags name, in the order its tags give them. */
  readonly keysOf: Map<string, Key[]>;
}

/** The other hosts an identity's tags name: it is shared when one of them is still live. */
async function linkOwnTags(
  store: Store,
  g: Graph,
  identity: InventoryRecord,
  tags: HostTagIndex,
  load: Loader,
): Promise<void> {
  for (const key of await tags.hostKeysOf(identity.id)) {
    for (const assetId of await store.recordIdsByKey(key, 'asset')) {
      if (!(await load(assetId))) continue;
      g.runsOn(identity.id, assetId);
    }
  }
}

/**
 * The records whose offboarding plan a change to this one may alter: the record itself, for
 * a credential the identity it belongs to and what it names, for an identity (or a
 * credential's identity) every asset it acts from, by relation or host tag. Tracking plans
 * these when they are leaving, so that a later run's identity or key reaches the plan. Reads
 * ids and edges only, no record whole.
 */
export async function subjectsNear(
  store: Store,
  id: string,
  tags: HostTagIndex,
): Promise<string[]> {
  const state = await store.recordState(id);
  if (!state) return [];
  const out = new Set<string>([id]);
  const identities = new Set<string>(state.kind === 'identity' ? [id] : []);
  if (state.kind === 'credential') {
    for (const e of await store.edgesOf([id])) {
      if (e.fromId !== id || !e.toId) continue;
      if (e.type === 'belongs-to') identities.add(e.toId);
      if (e.type === 'names') out.add(e.toId);
    }
  }
  for (const identityId of identities) {
    out.add(identityId);
    for (const e of await store.edgesOf([identityId])) {
      if (e.type === 'runs-on' && e.fromId === identityId && e.toId) out.add(e.toId);
    }
    for (const key of await tags.hostKeysOf(identityId)) {
      for (const assetId of await store.recordIdsByKey(key, 'asset')) out.add(assetId);
    }
  }
  return [...out];
}
