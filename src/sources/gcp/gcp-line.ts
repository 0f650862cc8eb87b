import { asArray, asObject, asString, stringList, type Json } from '../streaming/values.js';

/**
 * One Cloud Asset Inventory asset, read from an export line in either spelling: the
 * `gcloud asset export` / Storage export writes snake_case (`asset_type`, `update_time`,
 * `iam_policy`), `gcloud asset list --format=json` camelCase (`assetType`, `updateTime`).
 */
export interface CaiAsset {
  readonly name: string;
  readonly assetType: string;
  readonly data: Json | undefined;
  readonly parent: string | undefined;
  readonly location: string | undefined;
  readonly ancestors: readonly string[];
  readonly updateTime: unknown;
  /** Content types present besides `resource` (iam_policy, org_policy, ...). */
  readonly otherContent: readonly string[];
  readonly deleted: boolean;
}

const OTHER_CONTENT: readonly (readonly [string, string])[] = [
  ['iam_policy', 'iamPolicy'],
  ['org_policy', 'orgPolicy'],
  ['access_policy', 'accessPolicy'],
  ['os_inventory', 'osInventory'],
  ['related_assets', 'relatedAssets'],
  ['relationships', 'relationships'],
];

/** Reads a line's shape, or tells which required field is missing. */
export function readCaiAsset(o: Json): CaiAsset | { missing: string } {
  const name = asString(o.name);
  const assetType = asString(o.asset_type ?? o.assetType);
  if (!name) return { missing: 'name' };
  if (!assetType) return { missing: 'asset_type' };
  const resource = asObject(o.resource);
  const otherContent = OTHER_CONTENT.filter(([a, b]) => o[a] !== undefined || o[b] !== undefined)
    .map(([a]) => a);
  return {
    name,
    assetType,
    data: asObject(resource?.data),
    parent: asString(resource?.parent),
    location: asString(resource?.location),
    ancestors: stringList(asArray(o.ancestors)),
    updateTime: o.update_time ?? o.updateTime,
    otherContent,
    deleted: o.deleted === true,
  };
}

/** The last path segment of a resource name or URL (`.../zones/us-central1-c` → zone). */
export function lastSegment(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const i = v.lastIndexOf('/');
  return i < 0 ? v : v.slice(i + 1) || undefined;
}
