import type { Rejection, Warning } from '../../model/types.js';
import type { ParseEvent } from '../format.js';

/**
 * Rejection codes these parsers use; warnings use the codes in WarningCode. `BAD_CSV` is a CSV
 * record that cannot be read (a broken quote, past the record bound), as in every CSV reader.
 */
export type RejectCode = 'BAD_INPUT' | 'BAD_CSV' | 'SECRET_REFUSED';

export type WarningCode =
  | 'UNKNOWN_COLUMN'
  | 'MISSING_COLUMN'
  | 'UNKNOWN_VALUE'
  | 'DUPLICATE_RECORD'
  | 'DUPLICATE_KEY'
  | 'INVALID_IP'
  | 'INVALID_VALUE'
  | 'FUTURE_TIME'
  | 'TRUNCATED_LISTING';

/**
 * Collects what goes wrong while reading one record (a CSV row, a JSON object), already
 * bound to its file and line so that converters only name the field.
 */
export class RecordIssues {
  readonly warnings: Warning[] = [];
  readonly #file: string;
  readonly #line: number | undefined;

  constructor(file: string, line?: number) {
    this.#file = file;
    this.#line = line;
  }

  warn(code: WarningCode, field: string | undefined, message: string): void {
    this.warnings.push(this.#located({ code, field, message }));
  }

  /** Builds (does not record) a rejection of the whole record. */
  reject(code: RejectCode, field: string | undefined, message: string): Rejection {
    return this.#located({ code, field, message });
  }

  #located<T extends { field: string | undefined }>(o: T): T & { file: string; line?: number } {
    const out: T & { file: string; line?: number } = { ...o, file: this.#file };
    if (this.#line !== undefined) out.line = this.#line;
    if (o.field === undefined) delete out.field;
    return out;
  }
}

export const rejectEvent = (rejection: Rejection): ParseEvent => ({ type: 'reject', rejection });
export const warningEvent = (warning: Warning): ParseEvent => ({ type: 'warning', warning });

/** A rejection of a whole file (no line). */
export function fileRejection(file: string, code: RejectCode, message: string, field?: string) {
  return new RecordIssues(file).reject(code, field, message);
}

/** Meta for a file of which nothing could be read: no earlier record may be taken as gone. */
export const NOTHING_READ: ParseEvent = { type: 'meta', meta: { complete: false } };
