/**
 * The committed runs of a format that a run in the making must answer to (DESIGN.md rules 1
 * and 3): complete runs with a later as-of, which date what this older run lists as already
 * gone, and runs with this very as-of, with which it may disagree. Loaded once per run.
 */
import { ScopeCover } from '../model/scopes.js';
import type { Warning } from '../model/types.js';
import type { RunRecord, StoreTx } from '../store/port.js';

export class OtherRuns {
  /** Complete runs of this format newer than this one, oldest first. */
  readonly #newer: readonly RunRecord[];
  /** Committed runs of this format with this very as-of. */
  readonly #sameAsOf: readonly RunRecord[];
  /** Per complete run with this as-of: how many of this run's records it did not list. */
  readonly #disagreements = new Map<string, number>();
  /** Per run with this as-of: how many records it describes differently from this run. */
  readonly #contentTies = new Map<string, number>();
  /** The scopes of each run, asked once per observation. */
  readonly #covers = new Map<string, ScopeCover>();
  readonly #asOf: string;

  private constructor(newer: readonly RunRecord[], sameAsOf: readonly RunRecord[], asOf: string) {
    this.#newer = newer;
    this.#sameAsOf = sameAsOf;
    this.#asOf = asOf;
  }

  /** The runs of `format` that run `runId`, as of `asOf`, answers to. */
  static async load(tx: StoreTx, format: string, asOf: string, runId: string): Promise<OtherRuns> {
    const later = await tx.committedRunsSince(format, asOf);
    return new OtherRuns(
      later.filter((r) => r.complete && r.asOf > asOf),
      later.filter((r) => r.asOf === asOf && r.id !== runId),
      asOf,
    );
  }

  /**
   * When a newer complete run of this scope is already stored, it did not list what this
   * older run lists (else the store would hold the newer sighting): the observation lands as
   * missing since the first such run, as if the runs had come in time order (rule 3).
   */
  goneSince(scope: string): string | undefined {
    return this.#newer.find((r) => this.#coverOf(r).covers(scope))?.asOf;
  }

  /** A record run `runId`, of this as-of, describes otherwise than this run. */
  noteContentTie(runId: string): void {
    this.#contentTies.set(runId, (this.#contentTies.get(runId) ?? 0) + 1);
  }

  /** A record this run lists in `scope` that a complete run of this as-of did not list. */
  noteDisagreement(scope: string): void {
    for (const r of this.#sameAsOf) {
      if (r.complete && this.#coverOf(r).covers(scope)) {
        this.#disagreements.set(r.id, (this.#disagreements.get(r.id) ?? 0) + 1);
      }
    }
  }

  /**
   * Records another run with this very as-of listed and this complete run did not: neither
   * export overrules the other at one instant, so they stay present (fail-safe: ambiguous
   * evidence never marks a record missing) and the runs are named.
   */
  keptUnlisted(file: string, scopes: readonly string[], kept: number, hint: string):
    Warning | undefined {
    const others = this.#sameAsOf.filter((r) => this.#coverOf(r).overlaps(scopes));
    if (others.length === 0) return undefined;
    return {
      file,
      message: `${kept} record(s) listed by ${others.map(named).join(', ')} with the same ` +
        `as-of ${this.#asOf} are not in this complete export; two exports of one instant ` +
        `disagree, so they stay present (not marked missing)${hint}`,
      code: 'SAME_AS_OF_CONFLICT',
    };
  }

  /** What this run lists that runs of the same as-of did not, or said otherwise: once a run. */
  sameAsOfWarnings(file: string, hint: string): Warning[] {
    const out: Warning[] = [];
    for (const [id, count] of this.#disagreements) {
      const r = this.#sameAsOf.find((x) => x.id === id)!;
      out.push({
        file,
        message: `${count} record(s) of this export are not in the complete export ` +
          `${named(r)} with the same as-of ${this.#asOf}; two exports of one instant ` +
          `disagree, so they stay present (not marked missing)${hint}`,
        code: 'SAME_AS_OF_CONFLICT',
      });
    }
    for (const [id, count] of this.#contentTies) {
      const r = this.#sameAsOf.find((x) => x.id === id);
      out.push({
        file,
        message: `${count} record(s) of this export say something else than ` +
          `${r ? named(r) : `run ${id}`} with the same as-of ${this.#asOf}; the same one of ` +
          `the two is kept whatever the order (the one whose content sorts last)${hint}`,
        code: 'SAME_AS_OF_CONFLICT',
      });
    }
    return out;
  }

  #coverOf(r: RunRecord): ScopeCover {
    let cover = this.#covers.get(r.id);
    if (!cover) this.#covers.set(r.id, (cover = new ScopeCover(r.scopes)));
    return cover;
  }
}

/** A run by file and id, flagging an as-of that is only a file's modification time. */
function named(r: RunRecord): string {
  const origin = r.asOfOrigin === 'mtime' ? ', as-of from its modification time' : '';
  return `'${r.file}' (${r.id}${origin})`;
}
