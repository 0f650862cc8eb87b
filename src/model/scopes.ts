/**
 * Which observations a run's scopes cover. A scope is a plain name (`gcp:pay-prod/
 * compute.googleapis.com/Instance`), or a family of scopes ending in `/*` (`gcp:pay-prod/*`):
 * a complete export of every asset type of a project covers the types it lists no row of,
 * too, so that what is gone from it is marked missing (DESIGN.md rule 3). A family is kept in
 * the run as written, never expanded against what happens to be stored, so that any order of
 * ingest gives the same inventory.
 *
 * @example
 * coversScope('gcp:p1/*', 'gcp:p1/compute.googleapis.com/Instance'); // true
 * coversScope('gcp:p1/*', 'gcp:p10/compute.googleapis.com/Instance'); // false
 */
export function coversScope(runScope: string, scope: string): boolean {
  if (runScope === scope) return true;
  const prefix = familyPrefix(runScope);
  return prefix !== undefined && scope.startsWith(prefix);
}

/**
 * A run's scopes, asked per observation whether they cover its scope: by set look-ups, not by
 * a walk over every scope (an organisation's export names thousands of listings).
 */
export class ScopeCover {
  readonly #exact: ReadonlySet<string>;
  /** The prefixes of the families, each ending in `/`. */
  readonly #families: ReadonlySet<string>;
  readonly #sorted: readonly string[];

  constructor(scopes: readonly string[]) {
    this.#exact = new Set(scopes);
    this.#families = new Set(scopes.flatMap((s) => familyPrefix(s) ?? []));
    this.#sorted = [...scopes].sort();
  }

  /** Whether these scopes cover this scope, or this whole family. */
  covers(scope: string): boolean {
    if (this.#exact.has(scope)) return true;
    if (this.#families.size === 0) return false;
    // A family's prefix ends in '/': try the scope's own prefixes up to each '/'.
    for (let i = scope.indexOf('/'); i >= 0; i = scope.indexOf('/', i + 1)) {
      if (this.#families.has(scope.slice(0, i + 1))) return true;
    }
    return false;
  }

  /** Whether these scopes and the others cover something in common. */
  overlaps(others: readonly string[]): boolean {
    return others.some((s) => this.covers(s) || this.#holdsBelow(s));
  }

  /** Whether one of these scopes lies in the family `scope` names. */
  #holdsBelow(scope: string): boolean {
    const prefix = familyPrefix(scope);
    if (prefix === undefined) return false;
    let lo = 0;
    let hi = this.#sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#sorted[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    return this.#sorted[lo]?.startsWith(prefix) ?? false;
  }
}

/**
 * A run's scopes without those a family among them covers already (`gcp:p1/*` makes
 * `gcp:p1/compute.googleapis.com/Instance` go without saying), sorted.
 */
export function withoutCovered(scopes: Iterable<string>): string[] {
  const all = [...new Set(scopes)];
  const isFamily = (s: string): boolean => familyPrefix(s) !== undefined;
  const families = new ScopeCover(all.filter(isFamily));
  return all.filter((s) => isFamily(s) || !families.covers(s)).sort();
}

/** `gcp:p1/*` → `gcp:p1/`; undefined for a plain scope. */
export function familyPrefix(scope: string): string | undefined {
  return scope.endsWith('/*') && scope.length > 2 ? scope.slice(0, -1) : undefined;
}

/**
 * Why a scope a user gives (`--scope`, the API's `scope`, a config's or watched source's
 * `scope`) cannot be one, or undefined when it can. A scope ending in `/*` names a family of
 * scopes, which only a format that lists several types derives from what its export was
 * asked for: given by a user, a complete run of one file would retire everything below it.
 */
export function userScopeProblem(scope: string): string | undefined {
  // Trimmed, as the formats trim what they read of it (`x/* `, and `/*` itself).
  if (!scope.trim().endsWith('/*')) return undefined;
  return `scope '${scope.slice(0, 200)}' ends in /*, which names a family of scopes, not one ` +
    'scope; give the scope itself (the export\'s instance, account, cluster or project)';
}

