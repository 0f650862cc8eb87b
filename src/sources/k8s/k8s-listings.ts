import { ListingCover } from '../listing-cover.js';
import { isNamespaced } from './k8s-kinds.js';
import { placeScope } from './k8s-values.js';

/**
 * What one kubectl listing covers (DESIGN.md rule 3; docs/sources/k8s.md, Scope and runs):
 * each kind it lists a row of, in the namespace it lists it in (a cluster-scoped kind: in the
 * cluster), and each kind given (`--types`) in every namespace the listing names, a
 * cluster-scoped one in its cluster. A list of pods says nothing about Deployments.
 *
 * @example
 * const listings = new K8sListings(['Node', 'Pod']);
 * listings.list('prod', 'shop', 'ServiceAccount');
 * listings.scopes(); // ['k8s:prod//Node', 'k8s:prod/shop/Pod', 'k8s:prod/shop/ServiceAccount']
 */
export class K8sListings {
  readonly #namespaced = new ListingCover();
  readonly #clusterWide = new ListingCover();
  readonly #given: readonly string[];

  constructor(given: readonly string[]) {
    this.#given = given;
  }

  /** The listing reached this cluster, and this namespace if one is given. */
  reach(cluster: string, namespace?: string): void {
    this.#clusterWide.reach(placeScope(cluster));
    if (namespace !== undefined) this.#namespaced.reach(placeScope(cluster, namespace));
  }

  /** A row of this kind was read there (no namespace: a cluster-scoped kind). */
  list(cluster: string, namespace: string | undefined, kind: string): void {
    this.reach(cluster, namespace);
    const cover = namespace === undefined ? this.#clusterWide : this.#namespaced;
    cover.list(placeScope(cluster, namespace), kind);
  }

  /** The scopes the run covers, sorted. */
  scopes(): string[] {
    const namespaced = this.#given.filter(isNamespaced);
    const clusterWide = this.#given.filter((k) => !isNamespaced(k));
    return [
      ...this.#namespaced.covered(namespaced),
      ...this.#clusterWide.covered(clusterWide),
    ].sort();
  }
}
