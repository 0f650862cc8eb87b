import type Database from 'better-sqlite3';
import { scopeMover } from './listing-scopes.js';

/**
 * Data steps of migrations 15 (gcp) and 16 (k8s, kind-scopes.ts): observations of formats
 * whose exports list several object types, stored when a scope named only the place
 * (`gcp:<project>`, `k8s:<cluster>/<namespace>`), move to the scope of the type they were
 * read from, which the source's parser now appends (`…/compute.googleapis.com/Instance`,
 * `…/Pod`). The type is read from each row's body (kind and class), in code rather than SQL
 * so that the step means the same on every database. The names are frozen here as the
 * parsers wrote them at the time.
 */

export interface Row {
  readonly scope: string;
  readonly source_id: string;
  readonly run_id: string;
  readonly body: string;
}

export interface Body {
  readonly kind?: string;
  readonly attributes?: Readonly<Record<string, unknown>>;
  readonly keys?: readonly { readonly type: string; readonly value: string }[];
  readonly relations?: readonly {
    readonly type: string;
    readonly target: { readonly type: string; readonly value: string };
  }[];
}

export function rowsOf(db: Database.Database, format: string): Row[] {
  return db.prepare('SELECT scope, source_id, run_id, body FROM observations WHERE format = ?')
    .all(format) as Row[];
}

const GCP = 'gcp-asset-inventory';
const PROJECT = 'cloudresourcemanager.googleapis.com/Project';
/** `compute.googleapis.com/Instance`, as the gcp parser checks a type given. */
const ASSET_TYPE = /^[a-z0-9-]+(?:\.[a-z0-9-]+)+\/[A-Za-z][A-Za-z0-9]*$/;
const GCP_CLASSES: Readonly<Record<string, string>> = {
  'gcp-compute-instance': 'compute.googleapis.com/Instance',
  'gcp-project': PROJECT,
};
const GCP_KINDS: Readonly<Record<string, string>> = {
  identity: 'iam.googleapis.com/ServiceAccount',
  credential: 'iam.googleapis.com/ServiceAccountKey',
};

/** The asset type a CAI row was read from: its kind, else its class (generic assets). */
function assetTypeOf(body: Body): string | undefined {
  if (body.kind !== 'asset') return GCP_KINDS[body.kind ?? ''];
  const cls = String(body.attributes?.class ?? '');
  return GCP_CLASSES[cls] ?? (ASSET_TYPE.test(cls) ? cls : undefined);
}

/** Whether a scope already ends in an asset type (`…/compute.googleapis.com/Instance`). */
function isListing(scope: string): boolean {
  const parts = scope.split('/');
  return parts.length >= 3 && ASSET_TYPE.test(parts.slice(-2).join('/'));
}

/**
 * The place a stored scope names: itself, but a project whose id is `organizations`,
 * `folders` or `projects` moves under `gcp:projects/`, where its family cannot cover the
 * scopes of organizations and folders.
 */
function placeOf(scope: string): string {
  return /^gcp:(?:organizations|folders|projects)$/.test(scope)
    ? `gcp:projects/${scope.slice(4)}` : scope;
}

/**
 * Migration 15. An owner (from a `team` or `owner` label) goes with the listing of a row in
 * its project that names it, that of the run that wrote it first, else with the project's
 * own listing. Rows already in a listing stay where they are.
 */
export function scopeGcpByAssetType(db: Database.Database): void {
  const moves: [from: string, sourceId: string, to: string][] = [];
  const owners: { readonly row: Row; readonly key: string | undefined }[] = [];
  // Old scope and owner key → the types (and runs) of the rows naming that owner.
  const naming = new Map<string, { type: string; run: string }[]>();
  for (const row of rowsOf(db, GCP)) {
    if (isListing(row.scope)) continue;
    const body = JSON.parse(row.body) as Body;
    if (body.kind === 'owner') {
      owners.push({ row, key: body.keys?.[0]?.value });
      continue;
    }
    const type = assetTypeOf(body);
    if (!type) continue;
    moves.push([row.scope, row.source_id, `${placeOf(row.scope)}/${type}`]);
    for (const r of body.relations ?? []) {
      if (r.type !== 'owned-by' || r.target.type !== 'owner') continue;
      const at = `${row.scope}\u0000${r.target.value}`;
      naming.set(at, [...(naming.get(at) ?? []), { type, run: row.run_id }]);
    }
  }
  for (const { row, key } of owners) {
    const named = naming.get(`${row.scope}\u0000${key}`) ?? [];
    const type = named.find((n) => n.run === row.run_id)?.type ??
      named.map((n) => n.type).sort()[0] ?? PROJECT;
    moves.push([row.scope, row.source_id, `${placeOf(row.scope)}/${type}`]);
  }
  const move = scopeMover(db, GCP);
  for (const [from, sourceId, to] of moves) move(from, sourceId, to);
}
