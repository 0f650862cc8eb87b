import { RosterError } from '../../model/errors.js';
import { coversScope } from '../../model/scopes.js';

/** `compute.googleapis.com/Instance`, `k8s.io/Pod`, `rbac.authorization.k8s.io/Role`. */
const ASSET_TYPE = /^[a-z0-9-]+(?:\.[a-z0-9-]+)+\/[A-Za-z][A-Za-z0-9]*$/;
/** Whether a text is an asset type as Cloud Asset Inventory writes one (`<service>/<Kind>`). */
export function isAssetType(text: string): boolean {
  return ASSET_TYPE.test(text);
}

/** A service's types: `compute.googleapis.com/*`, or gcloud's `compute.googleapis.com.*`. */
const SERVICE = /^([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?:\/\*|\/?\.\*)$/;

/**
 * The asset types an export was asked for (`gcloud asset export --asset-types`), as the tail
 * of a listing scope: an asset type, `<service>/*` for every type of a service, or `*` for
 * all. gcloud reads the list as RE2 expressions; of those, the whole-service ones
 * (`compute.googleapis.com.*`) and `.*` are read, any other is refused: a pattern Roster
 * cannot match the way gcloud does would cover the wrong types.
 *
 * @example
 * readAssetTypes(['compute.googleapis.com.*', 'iam.googleapis.com/ServiceAccount']);
 * // ['compute.googleapis.com/*', 'iam.googleapis.com/ServiceAccount']
 */
export function readAssetTypes(given: readonly string[] | undefined): string[] {
  const out = new Set<string>();
  for (const raw of given ?? []) {
    const t = raw.trim();
    if (t === '*' || t === '.*') out.add('*');
    else if (ASSET_TYPE.test(t)) out.add(t);
    else if (SERVICE.test(t)) out.add(`${SERVICE.exec(t)![1]}/*`);
    else {
      throw new RosterError(
        'BAD_INPUT',
        `types: '${t.slice(0, 200)}' is not a Cloud Asset Inventory asset type ` +
          '(compute.googleapis.com/Instance), the types of one service ' +
          "(compute.googleapis.com/* or gcloud's compute.googleapis.com.*) or * for all; " +
          'other regular expressions are not read',
        { field: 'types' },
      );
    }
  }
  return [...out];
}

/** Whether an asset type is among the types given (`*`, a service's, or itself). */
export function isGivenType(given: readonly string[], assetType: string): boolean {
  return given.some((g) => coversScope(`-/${g}`, `-/${assetType}`));
}
