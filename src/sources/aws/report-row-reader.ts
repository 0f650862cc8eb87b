import { isNoneTime } from '../../model/time.js';
import { parseAwsTime } from './aws-time.js';
import type { RecordIssues } from './record-issues.js';

/** What a row's past events may not come after: an instant and what it is, for messages. */
export interface ReportAsOf {
  readonly at: string;
  readonly what: string;
}

/**
 * Reads typed values out of one credential-report row. The report writes `N/A` where a value
 * does not apply, `no_information` where IAM has no data and `not_supported` for the root
 * account's password fields (IAM User Guide, "Getting credential reports"): all mean "none".
 * The first unreadable value is kept as `error` so the caller can reject the row.
 */
export class ReportRowReader {
  error: { field: string; message: string } | undefined;
  readonly #row: Readonly<Record<string, string>>;
  readonly #issues: RecordIssues;
  readonly #asOf: ReportAsOf | undefined;

  constructor(row: Readonly<Record<string, string>>, issues: RecordIssues, asOf?: ReportAsOf) {
    this.#row = row;
    this.#issues = issues;
    this.#asOf = asOf;
  }

  /** Text of a column, or undefined for a missing column or a "none" marker. */
  text(column: string): string | undefined {
    const v = this.#row[column]?.trim();
    return v === undefined || isNoneTime(v) ? undefined : v;
  }

  /** `true`/`false` in any case; anything else but a "none" marker is reported. */
  bool(column: string): boolean | undefined {
    const v = this.text(column)?.toLowerCase();
    if (v === undefined) return undefined;
    if (v === 'true' || v === 'false') return v === 'true';
    this.#issues.warn('UNKNOWN_VALUE', column, `expected true or false, found '${v}'`);
    return undefined;
  }

  /**
   * An ISO instant. A past event later than the report's own generation time (else the run's
   * as-of) is reported; `scheduled` marks columns meant to lie ahead (password_next_rotation).
   */
  time(column: string, scheduled = false): string | undefined {
    const raw = this.#row[column];
    const r = parseAwsTime(raw);
    if (!r.ok) {
      this.error ??= { field: column, message: r.error };
      return undefined;
    }
    const asOf = this.#asOf;
    if (!scheduled && r.value && asOf && Date.parse(r.value) > Date.parse(asOf.at)) {
      const message = `${r.value} is later than ${asOf.what} ${asOf.at}`;
      this.#issues.warn('FUTURE_TIME', column, message);
    }
    return r.value;
  }
}
