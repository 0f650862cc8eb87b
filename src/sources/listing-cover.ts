import { RosterError } from '../model/errors.js';

/** The most listings the types given may add to one run's scopes. */
export const MAX_GIVEN_LISTINGS = 200_000;

/**
 * What a complete run covers when its format reads lists of several object types: a scope is
 * `<place>/<type>` (`gcp:pay-prod/compute.googleapis.com/Instance`, `k8s:prod/shop/Pod`), so
 * that a complete list of service accounts says nothing about instances (DESIGN.md rule 3).
 *
 * The run covers each type it listed a row of, where it listed it. The types the user says
 * the export was asked for (`--types`) it covers in every place the export reached, rows or
 * none: a project whose last instance is gone is named by its other rows, and an export of
 * instances that lists none there still covers its instances.
 *
 * @example
 * const cover = new ListingCover();
 * cover.list('gcp:p1', 'iam.googleapis.com/ServiceAccount');
 * cover.covered(['compute.googleapis.com/Instance']);
 * // ['gcp:p1/compute.googleapis.com/Instance', 'gcp:p1/iam.googleapis.com/ServiceAccount']
 */
export class ListingCover {
  readonly #listed = new Set<string>();
  readonly #places = new Set<string>();

  /** The scope of one type's listing in one place. */
  scope(place: string, type: string): string {
    return `${place}/${type}`;
  }

  /** A row of this type was read in this place. */
  list(place: string, type: string): void {
    this.reach(place);
    this.#listed.add(this.scope(place, type));
  }

  /**
   * The export reached this place without a row of a type read there (a row of a type the
   * format skips, a place the user named): the types given are covered in it all the same.
   */
  reach(place: string): void {
    this.#places.add(place);
  }

  /** The places rows were read in, in the order first seen. */
  places(): string[] {
    return [...this.#places];
  }

  /**
   * The scopes the run covers: what it listed, and each given type in every place reached.
   * Places times types given may not pass {@link MAX_GIVEN_LISTINGS}: the run's scopes are
   * one stored value, read by every later run of the format.
   */
  covered(given: readonly string[]): string[] {
    const product = this.#places.size * given.length;
    if (product > MAX_GIVEN_LISTINGS) {
      throw new RosterError('BAD_INPUT', `types: ${given.length} types given in ` +
        `${this.#places.size} places would make ${product} listings, more than ` +
        `${MAX_GIVEN_LISTINGS}; give whole services (compute.googleapis.com/*) or * for all, ` +
        'which cover a place in one scope each', { field: 'types' });
    }
    const out = new Set(this.#listed);
    for (const place of this.#places) for (const type of given) out.add(this.scope(place, type));
    return [...out].sort();
  }
}
