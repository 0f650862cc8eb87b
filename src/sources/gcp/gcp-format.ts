import type { Observation } from '../../model/types.js';
import type { ParseEvent, ParseOptions, SourceFormat, SourceInput } from '../format.js';
import { headText } from '../common.js';
import { byItem, observation, OnceWarner, reject, warning } from '../streaming/events.js';
import type { JsonItem } from '../streaming/json-items.js';
import { readJsonDocuments } from '../streaming/json-documents.js';
import { looksLikeJsonLines, readJsonLines } from '../streaming/json-lines.js';
import { findSecret, refusalOf } from '../streaming/secret-scan.js';
import { asObject, asString, readTime } from '../streaming/values.js';
import { readGeneric, readInstance, readProject, type AssetInput } from './gcp-assets.js';
import { readServiceAccount, readServiceAccountKey } from './gcp-iam.js';
import { readLabels } from './gcp-labels.js';
import { readCaiAsset, type CaiAsset } from './gcp-line.js';
import { GcpScopes } from './gcp-scope.js';
import { isAssetType, isGivenType, readAssetTypes } from './gcp-types.js';
import { ListingCover } from '../listing-cover.js';

function detect(input: Pick<SourceInput, 'head'>): number {
  const head = headText(input.head);
  if (!head.startsWith('{') && !head.startsWith('[')) return 0;
  const typed = /"(asset_type|assetType)"\s*:\s*"([a-z0-9-]+\.)*(googleapis\.com|k8s\.io)\//;
  return typed.test(head) && /"name"\s*:\s*"\/\/[a-z0-9.-]+\//.test(head) ? 0.9 : 0;
}

/** Reads JSON lines when the export is one asset a line, else a JSON array of assets. */
function items(input: SourceInput): AsyncIterable<JsonItem> {
  return looksLikeJsonLines(input.head) ? readJsonLines(input) : readJsonDocuments(input, []);
}

class GcpParse {
  readonly scopes = new GcpScopes();
  readonly cover = new ListingCover();
  readonly skipped = new OnceWarner();
  readonly owners = new Set<string>();
  /** The asset types the export was asked for (`--types`), as listing scope tails. */
  readonly types: readonly string[];

  constructor(
    readonly file: string,
    readonly options: ParseOptions,
  ) {
    this.types = readAssetTypes(options.types);
  }

  *line(value: unknown, line: number): Generator<ParseEvent> {
    const o = asObject(value);
    const read = o ? readCaiAsset(o) : { missing: 'name' };
    if ('missing' in read) {
      yield reject(this.file, line, read.missing, 'MISSING_FIELD', `asset without ${read.missing}`);
      return;
    }
    const hit = findSecret(o);
    if (hit) {
      const { code, message } = refusalOf(hit);
      yield reject(this.file, line, hit.field, code, message);
      return;
    }
    if (!isAssetType(read.assetType)) {
      // It names a listing of the run (a scope), so it must be one: not `*`, not a path.
      const why = `'${read.assetType.slice(0, 200)}' is not an asset type (<service>/<Kind>, ` +
        'as compute.googleapis.com/Instance)';
      yield reject(this.file, line, 'asset_type', 'INVALID_VALUE', why);
      return;
    }
    yield* this.#otherContent(read, line);
    if (read.deleted) {
      yield warning(this.file, line, 'deleted', 'DELETED_ASSET', 'deleted asset skipped');
      return;
    }
    // A line of names only (an export without --content-type) is still an asset of its type.
    if (read.data || read.otherContent.length === 0) yield* this.#asset(read, line);
  }

  /**
   * IAM and org policy lines are not inventory: Roster keeps no bindings, so it says once per
   * content type that it skipped them instead of dropping them silently.
   */
  *#otherContent(asset: CaiAsset, line: number): Generator<ParseEvent> {
    for (const type of asset.otherContent) {
      if (!this.skipped.first(type)) continue;
      const why = `${type} content is not inventoried; skipped (warned once per file)`;
      yield warning(this.file, line, type, 'CONTENT_SKIPPED', why);
    }
  }

  *#asset(asset: CaiAsset, line: number): Generator<ParseEvent> {
    const d = asset.data ?? {};
    const isProject = asset.assetType === 'cloudresourcemanager.googleapis.com/Project';
    if (isProject) this.scopes.learn(asString(d.projectNumber), asString(d.projectId));
    const projectId = isProject ? asString(d.projectId) : undefined;
    const place = this.scopes.scopeOf(asset, projectId, this.options.scope);
    // One listing per project and asset type: a list of service accounts says nothing of
    // instances, however the export was filtered.
    const scope = this.cover.scope(place, asset.assetType);
    const created = readTime(
      d.creationTimestamp ?? d.createTime ?? d.timeCreated ?? d.creationTime,
    );
    const updated = readTime(asset.updateTime);
    if (created.error || updated.error) {
      const field = created.error ? 'resource.data.creationTimestamp' : 'update_time';
      yield reject(this.file, line, field, 'BAD_TIME', (created.error ?? updated.error)!);
      return;
    }
    const times = { createdAt: created.value, updatedAt: updated.value };
    const input: AssetInput = { asset, scope, line, ...times };
    const mapped = this.#map(input);
    if ('error' in mapped) {
      yield reject(this.file, line, mapped.field, 'BAD_TIME', mapped.error);
      return;
    }
    this.cover.list(place, asset.assetType);
    yield* this.#unlistedType(asset.assetType, line);
    yield* this.#withLabels(mapped.observation, d.labels, line);
  }

  /** A row of a type the user did not name: read, and covered only where it is listed. */
  *#unlistedType(assetType: string, line: number): Generator<ParseEvent> {
    if (this.types.length === 0 || isGivenType(this.types, assetType)) return;
    if (!this.skipped.first(`type:${assetType}`)) return;
    const why = `asset type ${assetType} is not among the types given ` +
      `(${this.types.join(',')}); its assets are read, and the run covers the type only ` +
      'where it lists one (warned once per type)';
    yield warning(this.file, line, 'asset_type', 'UNLISTED_TYPE', why);
  }

  #map(input: AssetInput): { observation: Observation } | { field: string; error: string } {
    switch (input.asset.assetType) {
      case 'compute.googleapis.com/Instance':
        return { observation: readInstance(input) };
      case 'cloudresourcemanager.googleapis.com/Project':
        return { observation: readProject(input) };
      case 'iam.googleapis.com/ServiceAccount':
        return { observation: readServiceAccount(input) };
      case 'iam.googleapis.com/ServiceAccountKey':
        return readServiceAccountKey(input);
      default:
        return { observation: readGeneric(input) };
    }
  }

  *#withLabels(o: Observation, labels: unknown, line: number): Generator<ParseEvent> {
    const read = readLabels(labels, o.scope, line);
    if (read.unknownCriticality && this.skipped.first(`criticality:${read.unknownCriticality}`)) {
      const why = `criticality label '${read.unknownCriticality}' is not critical/high/medium/low`;
      yield warning(this.file, line, 'labels.criticality', 'UNKNOWN_VALUE', why);
    }
    if (read.owner && !this.owners.has(`${read.owner.scope}|${read.owner.sourceId}`)) {
      this.owners.add(`${read.owner.scope}|${read.owner.sourceId}`);
      yield observation(read.owner);
    }
    yield observation({
      ...o,
      attributes: { ...o.attributes, ...read.attributes },
      relations: [...(o.relations ?? []), ...read.relations],
      line,
    });
  }
}

async function* parse(input: SourceInput, options: ParseOptions): AsyncGenerator<ParseEvent> {
  const state = new GcpParse(input.path, options);
  for await (const item of items(input)) {
    if (item.kind === 'record') yield* state.line(item.record.value, item.record.line);
    else if (item.kind === 'progress') yield { type: 'progress', bytes: item.bytes };
    else if (item.kind === 'error') {
      yield reject(input.path, item.line, undefined, 'BAD_JSON', item.message);
    }
  }
  // A Cloud Asset Inventory export is a snapshot of what it was asked for under its parent:
  // of each type it lists, and of each type given, in every project it names (docs/sources/gcp.md).
  yield { type: 'meta', meta: { scopes: state.cover.covered(state.types), complete: true } };
}

/**
 * Google Cloud Asset Inventory exports (`gcloud asset export`, JSON lines; or
 * `gcloud asset list --format=json`, a JSON array): instances, projects, service accounts and
 * their keys, and every other asset type as a generic asset.
 */
export const gcpAssetInventoryFormat: SourceFormat = {
  name: 'gcp-asset-inventory',
  source: 'gcp',
  systemOfRecord: false,
  takesTypes: true,
  checkTypes: (given) => void readAssetTypes(given),
  description: 'Google Cloud Asset Inventory export (JSON lines, content type RESOURCE)',
  example: "roster ingest assets.jsonl --types '*'",
  detect,
  // JSON lines have lines; a JSON array (`gcloud asset list`) only record numbers.
  parse: (input, options) =>
    looksLikeJsonLines(input.head) ? parse(input, options) : byItem(parse(input, options)),
};
