import type { Row } from './row.js';

/** Records read before the scope is fixed; the rest of the file streams through. */
export const SCOPE_LOOKAHEAD = 500;

/**
 * Works out a file's scope, `servicenow:<instance>/<table>`. The instance is the host of the
 * first Table API link (`https://acme.service-now.com/...` → `acme`), else `options.scope`,
 * else `default`; the table is the most common class among the first records. An
 * `options.scope` holding a slash (`acme/cmdb_ci_server`) fixes both.
 */
export class ScopeResolver {
  readonly #fixed: string | undefined;
  readonly #fallbackInstance: string;
  #instance: string | undefined;
  readonly #classes = new Map<string, number>();
  #seen = 0;

  constructor(optionScope: string | undefined) {
    const given = optionScope?.trim();
    this.#fixed = given?.includes('/') ? given : undefined;
    this.#fallbackInstance = given || 'default';
  }

  observe(row: Row, className: string | undefined): void {
    if (this.decided) return;
    this.#seen += 1;
    if (className) this.#classes.set(className, (this.#classes.get(className) ?? 0) + 1);
    this.#instance ??= instanceOfRow(row);
  }

  /** Whether enough records were read to fix the scope. */
  get decided(): boolean {
    return this.#fixed !== undefined || this.#seen >= SCOPE_LOOKAHEAD;
  }

  get scope(): string {
    if (this.#fixed) return `servicenow:${this.#fixed}`;
    return `servicenow:${this.#instance ?? this.#fallbackInstance}/${this.#table()}`;
  }

  #table(): string {
    let best: [string, number] | undefined;
    for (const entry of this.#classes) if (!best || entry[1] > best[1]) best = entry;
    return best?.[0] ?? 'cmdb_ci';
  }
}

function instanceOfRow(row: Row): string | undefined {
  for (const cell of row.cells.values()) {
    const instance = cell.link ? instanceOfLink(cell.link) : undefined;
    if (instance) return instance;
  }
  return undefined;
}

/** `https://acme.service-now.com/api/now/table/sys_user/…` → `acme`; other hosts stay whole. */
export function instanceOfLink(link: string): string | undefined {
  let host: string;
  try {
    host = new URL(link).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  const m = /^([^.]+)\.(service-now|servicenowservices)\.com$/.exec(host);
  return m ? m[1] : host || undefined;
}
