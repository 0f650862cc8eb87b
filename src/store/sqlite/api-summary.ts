import type Database from 'better-sqlite3';
import { StatementCache } from './statement-cache.js';
import type { FindingsPoint, InventorySummary } from '../api-port.js';

type Counts = Record<string, Record<string, number>>;

/** How many judgements the findings-over-time series keeps (the newest). */
const MAX_POINTS = 500;

/**
 * Counts for the overview. Grouping a million records takes a moment, so the result is kept
 * until the database changes: `data_version` moves when another connection commits and
 * `total_changes()` when this one writes.
 */
export class SqliteSummary {
  readonly #db: Database.Database;
  readonly #sql: StatementCache;
  #cache: { key: string; value: InventorySummary } | undefined;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#sql = new StatementCache(db);
  }

  async get(): Promise<InventorySummary> {
    const key = this.#version();
    if (this.#cache?.key === key) return this.#cache.value;
    const value = this.#compute();
    this.#cache = { key, value };
    return value;
  }

  #version(): string {
    const dataVersion = this.#db.pragma('data_version', { simple: true }) as number;
    const changes = this.#sql.prepare('SELECT total_changes() AS n').get() as { n: number };
    return `${dataVersion}:${changes.n}`;
  }

  #compute(): InventorySummary {
    const kinds = this.#sql
      .prepare('SELECT kind, COUNT(*) AS n FROM records GROUP BY kind')
      .all() as { kind: string; n: number }[];
    return {
      records: Object.fromEntries(kinds.map((k) => [k.kind, k.n])),
      // Admission applies to assets and identities only.
      byAdmission: this.#byKind('admission', "kind IN ('asset', 'identity')"),
      byLifecycle: this.#byKind('lifecycle'),
      byEnvironment: this.#byKind('environment'),
      findingsByKind: this.#openFindingsBy('kind'),
      findingsBySeverity: this.#openFindingsBy('severity'),
      findingsOverTime: this.#overTime(),
    };
  }

  /** `{asset: {approved: 3, unknown: 1}, ...}`; a missing value counts under `none`. */
  #byKind(column: 'admission' | 'lifecycle' | 'environment', where = '1'): Counts {
    const rows = this.#sql
      .prepare(
        `SELECT kind, COALESCE(${column}, 'none') AS v, COUNT(*) AS n FROM records
         WHERE ${where} GROUP BY kind, v`,
      )
      .all() as { kind: string; v: string; n: number }[];
    const out: Counts = {};
    for (const r of rows) (out[r.kind] ??= {})[r.v] = r.n;
    return out;
  }

  #openFindingsBy(column: 'kind' | 'severity'): Record<string, number> {
    const rows = this.#sql
      .prepare(`SELECT ${column} AS v, COUNT(*) AS n FROM findings WHERE status = 'open'
        GROUP BY v`)
      .all() as { v: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.v, r.n]));
  }

  /**
   * Open findings after each judgement, replayed from the `finding.opened` and `finding.closed`
   * events that saveJudgement writes. Severity is the finding's current one.
   */
  #overTime(): FindingsPoint[] {
    const rows = this.#sql
      .prepare(
        `SELECT e.at AS at, e.type AS type, COALESCE(f.severity, 'info') AS severity,
           COUNT(*) AS n
         FROM events e LEFT JOIN findings f ON f.id = json_extract(e.data, '$.id')
         WHERE e.type IN ('finding.opened', 'finding.closed')
         GROUP BY e.at, e.type, severity ORDER BY e.at`,
      )
      .all() as { at: string; type: string; severity: string; n: number }[];
    const open: Record<string, number> = {};
    const points: FindingsPoint[] = [];
    let current: { at: string; opened: number; closed: number } | undefined;
    const flush = (): void => {
      if (!current) return;
      const bySeverity = Object.fromEntries(Object.entries(open).filter(([, n]) => n > 0));
      const total = Object.values(bySeverity).reduce((a, b) => a + b, 0);
      points.push({ ...current, open: total, bySeverity });
    };
    for (const r of rows) {
      if (current?.at !== r.at) {
        flush();
        current = { at: r.at, opened: 0, closed: 0 };
      }
      const sign = r.type === 'finding.opened' ? 1 : -1;
      open[r.severity] = (open[r.severity] ?? 0) + sign * r.n;
      if (sign > 0) current.opened += r.n;
      else current.closed += r.n;
    }
    flush();
    return points.slice(-MAX_POINTS);
  }
}
