import { basename } from 'node:path';
import type { Row } from './row.js';

/** Records read before the scope is fixed; the rest of the file streams through. */
export const SCOPE_LOOKAHEAD = 500;

/** The table every CI is in: a CMDB export that spans classes lists (part of) it. */
const ALL_CIS = 'cmdb_ci';

/**
 * Works out a file's scope, `servicenow:<instance>/<table>`. The instance is the host of the
 * first Table API link (`https://acme.service-now.com/...` → `acme`), else `options.scope`,
 * else `default`. The table is the one the export came from, because a complete run marks
 * missing what it no longer lists in exactly that scope (DESIGN.md rule 3):
 * - an `options.scope` holding a slash (`acme/cmdb_ci_server`) fixes instance and table;
 * - else the file's name when it is a table's, as ServiceNow names list exports
 *   (`cmdb_ci_server.csv`: that table and its child classes);
 * - else the one class of the first records (`cmdb_ci_linux_server`, `sys_user`);
 * - else, records of several classes (or none named), `cmdb_ci`.
 * Never the first or most common class of a mixed export: one class's table would then be
 * said to have lost every server of another class.
 */
export class ScopeResolver {
  readonly #fixed: string | undefined;
  readonly #fallbackInstance: string;
  readonly #fileTable: string | undefined;
  #instance: string | undefined;
  readonly #classes = new Set<string>();
  #seen = 0;

  constructor(optionScope: string | undefined, file = '') {
    const given = optionScope?.trim();
    this.#fixed = given?.includes('/') ? given : undefined;
    this.#fallbackInstance = given || 'default';
    this.#fileTable = tableOfFileName(file);
  }

  observe(row: Row, className: string | undefined): void {
    if (this.decided) return;
    this.#seen += 1;
    if (className) this.#classes.add(className);
    this.#instance ??= instanceOfRow(row);
  }

  /** Whether enough records were read to fix the scope. */
  get decided(): boolean {
    return this.#fixed !== undefined || this.#seen >= SCOPE_LOOKAHEAD;
  }

  get scope(): string {
    if (this.#fixed) return `servicenow:${this.#fixed}`;
    return `servicenow:${this.#instance ?? this.#fallbackInstance}/${this.table}`;
  }

  /** The table of the scope, once decided. */
  get table(): string {
    if (this.#fileTable) return this.#fileTable;
    const [only, ...others] = this.#classes;
    return only !== undefined && others.length === 0 ? only : ALL_CIS;
  }
}

/** `cmdb_ci_server.csv`, `cmdb_ci (2).json`, `sys_user.csv` → the table; others none. */
export function tableOfFileName(file: string): string | undefined {
  const stem = basename(file).toLowerCase().replace(/\.[a-z0-9]+$/, '')
    .replace(/\s*\(\d+\)$/, '');
  return /^(cmdb_ci(_[a-z0-9]+)*|sys_user)$/.test(stem) ? stem : undefined;
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
