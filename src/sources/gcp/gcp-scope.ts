import type { CaiAsset } from './gcp-line.js';

// App Engine names its application by project id: //appengine.googleapis.com/apps/<project>.
const PROJECT = /(?:^|\/)projects\/([^/]+)|^\/\/appengine\.googleapis\.com\/apps\/([^/]+)/;
const ORG = /(?:^|\/)organizations\/(\d+)/;
const FOLDER = /(?:^|\/)folders\/(\d+)/;

/**
 * Project ids that would read as the start of another place's scope: a project named
 * `organizations` scoped `gcp:organizations` would make its family `gcp:organizations/*`
 * cover every organization's own assets. Such a project is placed under `gcp:projects/`.
 */
const RESERVED_IDS: ReadonlySet<string> = new Set(['organizations', 'folders', 'projects']);

/** The place of a project: `gcp:<id>`, or `gcp:projects/<id>` for a reserved id. */
export function projectPlace(id: string): string {
  return RESERVED_IDS.has(id) ? `gcp:projects/${id}` : `gcp:${id}`;
}

/**
 * Scopes CAI assets by project: `gcp:<project id>` ({@link projectPlace}). Names spell the
 * project by id (`//compute.googleapis.com/projects/project1/...`) or by number
 * (`resource.parent`, `ancestors`, the Project asset's own name); numbers are turned into ids
 * once the export's Project asset has been read, which keeps one entry per project in memory.
 * Assets above any project go to `gcp:organizations/<n>` or `gcp:folders/<n>`.
 */
export class GcpScopes {
  readonly #idByNumber = new Map<string, string>();

  /** Remembers a Project asset's number and id. */
  learn(projectNumber: string | undefined, projectId: string | undefined): void {
    if (projectNumber && projectId) this.#idByNumber.set(projectNumber, projectId);
  }

  scopeOf(asset: CaiAsset, projectId: string | undefined, fallback: string | undefined): string {
    const project = projectId ?? this.#projectOf(asset);
    if (project) return projectPlace(this.#idByNumber.get(project) ?? project);
    const places = [asset.name, asset.parent ?? '', ...asset.ancestors];
    for (const re of [ORG, FOLDER]) {
      for (const p of places) {
        const m = re.exec(p);
        if (m) return `gcp:${re === ORG ? 'organizations' : 'folders'}/${m[1]}`;
      }
    }
    return fallback ?? 'default';
  }

  #projectOf(asset: CaiAsset): string | undefined {
    for (const p of [asset.name, asset.parent ?? '', ...asset.ancestors]) {
      const m = PROJECT.exec(p);
      if (m) return m[1] ?? m[2];
    }
    return undefined;
  }
}
