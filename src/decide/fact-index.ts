import type { JudgeConfig } from '../judge/config.js';
import { keyStrength, keyString, normalizeKey, parseKeyString } from '../model/keys.js';
import type { KeyType } from '../model/types.js';
import { recordFacts, type FactInput, type RecordFacts } from './facts.js';

/** Every key type, strong ones first: a subject id is tried against each by its own rules. */
const KEY_TYPES: readonly KeyType[] = [
  'spiffe-id', 'aws-arn', 'aws-instance-id', 'aws-unique-id', 'aws-access-key-id',
  'aws-credential-slot', 'aws-account-id', 'serial-number', 'hardware-uuid', 'cmdb-sys-id',
  'asset-tag', 'x509-sha256', 'k8s-uid', 'k8s-ref', 'gcp-resource', 'entra-object-id',
  'entra-app-id', 'netbox-id', 'key-id', 'external-id', 'email', 'owner',
  'hostname', 'fqdn', 'ip', 'mac', 'name',
];

const TYPE_RANK = new Map<string, number>(KEY_TYPES.map((t, i) => [t, i]));

/**
 * A key value's probe: lower case, without separators or white space. For ASCII text t and
 * every key type T but `ip` (whose IPv4 form drops leading zeros), normalizeKey(T, t) has the
 * probe of t, because each normalisation only trims, changes case, drops or inserts those
 * separators, or collapses white space (src/model/keys.ts). So the keys a name can match are
 * among the few that share its probe; each is then checked by its own type's rules.
 */
function probeOf(value: string): string {
  return value.toLowerCase().replace(PROBE_DROP, '');
}

const PROBE_DROP = /[-:.\s]/g;
const ASCII = /^[\x20-\x7e]*$/;

export type Resolution =
  | { readonly status: 'found'; readonly facts: RecordFacts; readonly via: string }
  | { readonly status: 'ambiguous'; readonly candidates: readonly RecordFacts[] }
  | { readonly status: 'unknown' };

/** Normalised ids kept per generation; a full generation becomes the old one. */
const CACHE_LIMIT = 50_000;

/**
 * The in-memory index of decision facts: record id → facts, key → record ids. It is fed by a
 * FactsFeed and never read without the feed having been polled first (see DecisionService).
 */
export class FactIndex {
  readonly #config: JudgeConfig;
  readonly #facts = new Map<string, RecordFacts>();
  /** Key → the facts of the records that hold it (so that a match needs no second look-up). */
  readonly #byKey = new Map<string, RecordFacts[]>();
  readonly #keysOf = new Map<string, string[]>();
  /** Probe → the distinct key strings in #byKey with that probe. */
  readonly #byProbe = new Map<string, string[]>();
  /**
   * Raw id text → candidate key strings (strong, weak); pure, so never stale. Two
   * generations, so that a burst of new ids (say, unknown subjects) does not empty the cache.
   */
  #normalised = new Map<string, readonly [string[], string[]]>();
  #older = new Map<string, readonly [string[], string[]]>();
  #sorted: string[] | undefined;
  #version = 0;

  constructor(config: JudgeConfig) {
    this.#config = config;
  }

  get size(): number {
    return this.#facts.size;
  }

  /**
   * Moves on every change (upsert, remove, clear): what was resolved or decided at one
   * version holds exactly as long as the version is the same.
   */
  get version(): number {
    return this.#version;
  }

  upsert(input: FactInput): void {
    this.#version += 1;
    const id = input.record.id;
    this.#unlinkKeys(id);
    if (!this.#facts.has(id)) this.#sorted = undefined;
    const facts = recordFacts(input, this.#config);
    this.#facts.set(id, facts);
    const keys = input.record.keys.map(keyString);
    this.#keysOf.set(id, keys);
    for (const k of keys) {
      const list = this.#byKey.get(k);
      if (list) {
        if (!list.some((f) => f.recordId === id)) list.push(facts);
        continue;
      }
      this.#byKey.set(k, [facts]);
      const probe = probeOf(k.slice(k.indexOf(':') + 1));
      const same = this.#byProbe.get(probe);
      if (same) same.push(k);
      else this.#byProbe.set(probe, [k]);
    }
  }

  remove(id: string): void {
    this.#version += 1;
    this.#unlinkKeys(id);
    if (this.#facts.delete(id)) this.#sorted = undefined;
  }

  clear(): void {
    this.#version += 1;
    this.#facts.clear();
    this.#byKey.clear();
    this.#keysOf.clear();
    this.#byProbe.clear();
    this.#sorted = undefined;
  }

  get(id: string): RecordFacts | undefined {
    return this.#facts.get(id);
  }

  /** Record ids in order, for paged searches. */
  sortedIds(): readonly string[] {
    this.#sorted ??= [...this.#facts.keys()].sort();
    return this.#sorted;
  }

  /**
   * Finds the record an AuthZEN id names: a record id, a `type:value` key, or a bare value
   * tried against every key type. Strong keys decide; a weak key (hostname, IP) counts only
   * when no strong key matched, and two records for one id is ambiguous, never a guess.
   */
  resolve(text: string): Resolution {
    const direct = this.#facts.get(text);
    if (direct) return { status: 'found', facts: direct, via: 'record id' };
    const [strong, weak] = this.#candidates(text);
    return this.#match(strong) ?? this.#match(weak) ?? UNKNOWN;
  }

  /** The one record the keys of a group name, or the ambiguity of several. */
  #match(group: readonly string[]): Resolution | undefined {
    let first: RecordFacts | undefined;
    let via = '';
    let others: Map<string, RecordFacts> | undefined;
    for (const k of group) {
      const list = this.#byKey.get(k);
      if (!list) continue;
      for (const f of list) {
        if (first === undefined) {
          first = f;
          via = k;
        } else if (f.recordId !== first.recordId) {
          (others ??= new Map([[first.recordId, first]])).set(f.recordId, f);
        }
      }
    }
    if (others) {
      const ids = [...others.keys()].sort();
      return { status: 'ambiguous', candidates: ids.map((id) => others.get(id)!) };
    }
    return first && { status: 'found', facts: first, via: `key ${via}` };
  }

  #candidates(text: string): readonly [string[], string[]] {
    if (ASCII.test(text) && !this.#typed(text)) return this.#probed(text);
    const cached = this.#normalised.get(text);
    if (cached) return cached;
    const old = this.#older.get(text);
    if (old) return this.#remember(text, old);
    const strong: string[] = [];
    const weak: string[] = [];
    const typed = parseKeyString(text);
    const types = typed && KEY_TYPES.includes(typed.type) ? [typed.type] : KEY_TYPES;
    const raw = typed && KEY_TYPES.includes(typed.type) ? typed.value : text;
    for (const type of types) {
      const key = normalizeKey(type, raw);
      if (!key) continue;
      (keyStrength(type) === 'strong' ? strong : weak).push(keyString(key));
    }
    return this.#remember(text, [strong, weak]);
  }

  /** `type:value` with a known key type: that type's rules alone. */
  #typed(text: string): boolean {
    const i = text.indexOf(':');
    return i > 0 && TYPE_RANK.has(text.slice(0, i));
  }

  /**
   * The keys of the index a bare ASCII name matches, strong and weak, each in KEY_TYPES order:
   * the same as normalising it by every key type, from one probe look-up (and `ip` by itself).
   */
  #probed(text: string): readonly [string[], string[]] {
    const shared = this.#byProbe.get(probeOf(text));
    let hits: string[] | undefined;
    if (shared) {
      for (const k of shared) {
        const type = k.slice(0, k.indexOf(':')) as KeyType;
        if (!TYPE_RANK.has(type)) continue;
        const key = normalizeKey(type, text);
        if (key && keyString(key) === k) {
          (hits ??= []).push(k);
        }
      }
    }
    const ip = normalizeKey('ip', text);
    if (ip) {
      const k = keyString(ip);
      if (this.#byKey.has(k) && !hits?.includes(k)) (hits ??= []).push(k);
    }
    if (!hits) return NONE;
    if (hits.length > 1) hits.sort((a, b) => rankOf(a) - rankOf(b));
    const strong: string[] = [];
    const weak: string[] = [];
    for (const k of hits) {
      (keyStrength(k.slice(0, k.indexOf(':')) as KeyType) === 'strong' ? strong : weak).push(k);
    }
    return [strong, weak];
  }

  #remember(text: string, candidates: readonly [string[], string[]]) {
    if (this.#normalised.size >= CACHE_LIMIT) {
      this.#older = this.#normalised;
      this.#normalised = new Map();
    }
    this.#normalised.set(text, candidates);
    return candidates;
  }

  #unlinkKeys(id: string): void {
    for (const k of this.#keysOf.get(id) ?? []) {
      const list = this.#byKey.get(k);
      if (!list) continue;
      const rest = list.filter((x) => x.recordId !== id);
      if (rest.length > 0) {
        this.#byKey.set(k, rest);
        continue;
      }
      this.#byKey.delete(k);
      const probe = probeOf(k.slice(k.indexOf(':') + 1));
      const same = this.#byProbe.get(probe)?.filter((x) => x !== k) ?? [];
      if (same.length === 0) this.#byProbe.delete(probe);
      else this.#byProbe.set(probe, same);
    }
    this.#keysOf.delete(id);
  }
}

const NONE: readonly [string[], string[]] = Object.freeze([[], []]) as never;
const UNKNOWN: Resolution = Object.freeze({ status: 'unknown' });

function rankOf(k: string): number {
  return TYPE_RANK.get(k.slice(0, k.indexOf(':')))!;
}
