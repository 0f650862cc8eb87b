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

/** Whether any of a run's scopes covers this one. */
export function coversAny(runScopes: readonly string[], scope: string): boolean {
  return runScopes.some((s) => coversScope(s, scope));
}

/** Whether two runs' scopes cover something in common. */
export function scopesOverlap(a: readonly string[], b: readonly string[]): boolean {
  return a.some((x) => b.some((y) => coversScope(x, y) || coversScope(y, x)));
}

/** `gcp:p1/*` → `gcp:p1/`; undefined for a plain scope. */
export function familyPrefix(scope: string): string | undefined {
  return scope.endsWith('/*') && scope.length > 2 ? scope.slice(0, -1) : undefined;
}
