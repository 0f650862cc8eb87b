import {
  checkObservation, DEFAULT_FIELD_LIMITS, type FieldLimits,
} from '../model/field-guard.js';
import { RosterError } from '../model/errors.js';
import { userScopeProblem } from '../model/scopes.js';
import { maskSecrets, withoutSecret } from '../model/secret-shapes.js';
import type { Rejection, Warning } from '../model/types.js';
import type { Clock } from '../model/time.js';
import type { ParseOptions, SourceFormat, SourceInput } from '../sources/format.js';
import type { RunCounts, RunRecord, Store, StoreTx } from '../store/port.js';
import { newRunId } from './ids.js';
import type { PrecedenceRules } from './rules.js';
import { RunState } from './run-state.js';

export interface IngestOptions extends ParseOptions {
  /** Generation time to use when the file carries none (ISO instant). */
  readonly asOf?: string;
  /**
   * Fallback as-of (the file's mtime) when neither the file nor the flag gives one. One later
   * than the clock is passed over for the clock: a file copied or checked out after the
   * judgement's time says nothing of when its source made it.
   */
  readonly fallbackAsOf?: string;
  /**
   * How far past the clock a run's as-of may lie, for clock skew between the exporting host
   * and this one (default {@link DEFAULT_CLOCK_SKEW_SECONDS}). A later as-of is refused.
   */
  readonly clockSkewSeconds?: number;
  /** Overrides the format's own completeness. */
  readonly complete?: boolean;
  readonly rules: PrecedenceRules;
  readonly clock: Clock;
  readonly onProgress?: (p: { bytes: number; observations: number }) => void;
}

export interface IngestResult {
  readonly run: RunRecord;
  readonly counts: RunCounts;
  readonly rejections: readonly Rejection[];
  readonly warnings: readonly Warning[];
}

const CHUNK = 2000;

/**
 * Ingests one input as one run: parse, match, merge, mark missing, all in one transaction so
 * that the run commits whole or not at all (DESIGN.md rules 3 and 4). Bad rows are reported
 * and the good rows still land.
 */
export async function ingest(
  store: Store,
  format: SourceFormat,
  input: SourceInput,
  options: IngestOptions,
): Promise<IngestResult> {
  const startedAt = options.clock.now();
  const runId = newRunId(startedAt);
  // Rule 5: a file name can hold a secret too (`ghp_….csv`, `user:pw@db.csv`): the run, its
  // problems and what prints them keep the name with each secret part masked.
  const path = maskSecrets(input.path);
  if (path !== input.path) input = { ...input, path };
  const state = new RunState(format, runId, options, input.path);
  if (options.types && !format.takesTypes) {
    state.warnings.push({
      file: input.path,
      field: 'types',
      message: `format ${format.name} does not read types (only formats that list several ` +
        'kinds of object do): ignored',
      code: 'TYPES_IGNORED',
    });
  }
  const limits = options.limits ?? DEFAULT_FIELD_LIMITS;
  try {
    const scopeProblem = options.scope === undefined ? undefined : userScopeProblem(options.scope);
    if (scopeProblem) throw new RosterError('BAD_INPUT', scopeProblem, { field: 'scope' });
    return await store.transaction(async (tx) => {
      try {
        const parseOptions = {
          ...options,
          runAsOf: state.defaultAsOf().asOf,
          latestAsOf: state.latestAsOf(),
        };
        await readAll(format, input, parseOptions, state, limits, tx);
      } catch (err) {
        // A parser stopped on an input unreadable as a whole: that is the error to give.
        input.verify?.();
        throw err;
      }
      // Refused as a whole (a byte that is not UTF-8) after the parser read on: nothing stays.
      input.verify?.();
      await state.flush(tx);
      await state.finish(tx);
      const run = state.runRecord(input.path, startedAt, options.clock.now(), 'committed');
      await tx.putRun(run);
      return {
        run,
        counts: state.counts(),
        rejections: state.rejections,
        warnings: state.warnings,
      };
    });
  } catch (err) {
    // The transaction rolled back; keep a trace of the failed run in a transaction of its own.
    const failed = state.runRecord(input.path, startedAt, options.clock.now(), 'failed');
    await store.transaction((tx) => tx.putRun(failed)).catch(() => undefined);
    throw err;
  }
}

/** Reads every event of the input into the run: observations checked, then stored by chunks. */
async function readAll(
  format: SourceFormat,
  input: SourceInput,
  options: IngestOptions,
  state: RunState,
  limits: FieldLimits,
  tx: StoreTx,
): Promise<void> {
  for await (const ev of format.parse(input, options)) {
    if (ev.type === 'observation') {
      // Rule 5 and hostile input: every string of every format's rows, before it is stored.
      const problem = checkObservation(ev.observation, limits);
      if (problem) {
        state.refuse(ev.observation, problem);
        continue;
      }
      state.pending.push(ev.observation);
      if (state.pending.length >= CHUNK) await state.flush(tx);
    } else if (ev.type === 'reject') state.rejections.push(withoutSecret(ev.rejection));
    else if (ev.type === 'warning') state.warnings.push(withoutSecret(ev.warning));
    else if (ev.type === 'meta') state.applyMeta(ev.meta);
    else options.onProgress?.({ bytes: ev.bytes, observations: state.seen });
  }
}
