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
  readonly #byKey = new Map<string, string[]>();
  readonly #keysOf = new Map<string, string[]>();
  /**
   * Raw id text → candidate key strings (strong, weak); pure, so never stale. Two
   * generations, so that a burst of new ids (say, unknown subjects) does not empty the cache.
   */
  #normalised = new Map<string, readonly [string[], string[]]>();
  #older = new Map<string, readonly [string[], string[]]>();
  #sorted: string[] | undefined;

  constructor(config: JudgeConfig) {
    this.#config = config;
  }

  get size(): number {
    return this.#facts.size;
  }

  upsert(input: FactInput): void {
    const id = input.record.id;
    this.#unlinkKeys(id);
    if (!this.#facts.has(id)) this.#sorted = undefined;
    this.#facts.set(id, recordFacts(input, this.#config));
    const keys = input.record.keys.map(keyString);
    this.#keysOf.set(id, keys);
    for (const k of keys) {
      const list = this.#byKey.get(k);
      if (!list) this.#byKey.set(k, [id]);
      else if (!list.includes(id)) list.push(id);
    }
  }

  remove(id: string): void {
    this.#unlinkKeys(id);
    if (this.#facts.delete(id)) this.#sorted = undefined;
  }

  clear(): void {
    this.#facts.clear();
    this.#byKey.clear();
    this.#keysOf.clear();
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
    for (const group of [strong, weak]) {
      let first: string | undefined;
      let via = '';
      let ids: Set<string> | undefined;
      for (const k of group) {
        const list = this.#byKey.get(k);
        if (!list) continue;
        for (const id of list) {
          if (first === undefined) {
            first = id;
            via = k;
          } else if (id !== first) {
            (ids ??= new Set([first])).add(id);
          }
        }
      }
      if (ids) {
        const candidates = [...ids].sort().map((id) => this.#facts.get(id)!);
        return { status: 'ambiguous', candidates };
      }
      if (first !== undefined) {
        return { status: 'found', facts: this.#facts.get(first)!, via: `key ${via}` };
      }
    }
    return { status: 'unknown' };
  }

  #candidates(text: string): readonly [string[], string[]] {
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
      const rest = list.filter((x) => x !== id);
      if (rest.length === 0) this.#byKey.delete(k);
      else this.#byKey.set(k, rest);
    }
    this.#keysOf.delete(id);
  }
}
