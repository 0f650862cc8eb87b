import type { Rejection, Warning } from '../../model/types.js';

/**
 * What one parse of one file accumulates beside its rows: warnings waiting to be yielded and
 * the once-per-file notes (unknown columns, the assumed time zone).
 */
export class FileContext {
  readonly file: string;
  readonly timezone: string | undefined;
  #warnings: Warning[] = [];
  #once = new Set<string>();

  constructor(file: string, timezone: string | undefined) {
    this.file = file;
    this.timezone = timezone;
  }

  warn(code: string, message: string, line?: number, field?: string): void {
    this.#warnings.push({
      file: this.file,
      ...(line !== undefined ? { line } : {}),
      ...(field !== undefined ? { field } : {}),
      code,
      message,
    });
  }

  /** Warns only the first time `token` is seen in this file. */
  warnOnce(token: string, code: string, message: string, line?: number, field?: string): void {
    if (this.#once.has(token)) return;
    this.#once.add(token);
    this.warn(code, message, line, field);
  }

  reject(code: string, message: string, line?: number, field?: string): Rejection {
    return {
      file: this.file,
      ...(line !== undefined ? { line } : {}),
      ...(field !== undefined ? { field } : {}),
      code,
      message,
    };
  }

  /** Hands over the warnings gathered so far and forgets them. */
  drainWarnings(): Warning[] {
    const out = this.#warnings;
    this.#warnings = [];
    return out;
  }
}
