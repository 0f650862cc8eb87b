/**
 * One run in the making: what ingest has read of an input so far, how each observation is
 * placed and stored, and what the run marks missing at its end (DESIGN.md rules 1 and 3).
 */
import { RosterError } from '../model/errors.js';
import type { FieldProblem } from '../model/field-guard.js';
import type { InventoryRecord, KeyConflict } from '../model/record.js';
import { familyPrefix, withoutCovered } from '../model/scopes.js';
import { rejectedRows, type Observation, type Rejection, type Warning } from '../model/types.js';
import type { SourceFormat } from '../sources/format.js';
import type { RunCounts, RunRecord, StoreTx } from '../store/port.js';
import { changedAttributes, transitions } from './changes.js';
import { ChunkIndex, strongKeys } from './chunk-index.js';
import { matchObservation } from './match.js';
import { newRecordId } from './ids.js';
import { mergeRecord } from './merge.js';
import { OtherRuns } from './other-runs.js';
import { RunAsOf } from './run-as-of.js';
import { observationId, sameContent, type StoredObservation } from './observation.js';
import type { IngestOptions } from './ingest.js';

/** An observation's content as one text, to break a tie between two exports of one instant. */
function contentText(o: Pick<Observation, 'kind' | 'keys' | 'attributes' | 'relations'>): string {
  const attributes = Object.entries(o.attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([o.kind, o.keys, attributes, o.relations ?? []]);
}

export class RunState {
  readonly pending: Observation[] = [];
  readonly rejections: Rejection[] = [];
  readonly warnings: Warning[] = [];
  seen = 0;
  readonly #asOf: RunAsOf;
  #scopes = new Set<string>();
  #metaScopes: string[] | undefined;
  #complete: boolean;
  #added = 0;
  #changed = 0;
  #unchanged = 0;
  #missing = 0;
  #older = 0;
  readonly #format: SourceFormat;
  readonly #runId: string;
  readonly #options: IngestOptions;
  readonly #seenIds = new Set<string>();
  readonly #absorbedInto = new Map<string, string>();
  /** The committed runs this one answers to, loaded at its first flush. */
  #others: OtherRuns | undefined;
  readonly #file: string;

  constructor(format: SourceFormat, runId: string, options: IngestOptions, file: string) {
    this.#file = file;
    this.#format = format;
    this.#runId = runId;
    this.#options = options;
    this.#complete = options.complete ?? true;
    this.#asOf = new RunAsOf(file, format.name, options, this.warnings);
  }

  /** A row the field guard refused: reported by file, line and field, its values dropped. */
  refuse(o: Observation, problem: FieldProblem): void {
    this.rejections.push({
      file: this.#file,
      ...(o.line !== undefined ? { line: o.line } : {}),
      ...(o.item !== undefined ? { item: o.item } : {}),
      field: problem.field,
      message: problem.message,
      code: problem.code,
    });
  }

  applyMeta(meta: { asOf?: string; scopes?: readonly string[]; complete?: boolean }): void {
    if (meta.asOf) this.#asOf.fromFile(meta.asOf);
    if (meta.scopes) this.#metaScopes = this.#checkedScopes(meta.scopes);
    if (meta.complete !== undefined && this.#options.complete === undefined) {
      this.#complete = meta.complete;
    }
  }

  /**
   * A run's own scopes as its format gives them. Only a format that lists several types
   * derives families (`gcp:p1/*`) from what its export was asked for; from any other, a
   * family comes from the file's text (a context or instance named `prod/*`) and would make
   * one file retire everything below it: the run is refused.
   */
  #checkedScopes(scopes: readonly string[]): string[] {
    const family = this.#format.takesTypes ? undefined : scopes.find((s) => familyPrefix(s));
    if (family !== undefined) {
      throw new RosterError('BAD_INPUT', `${this.#file}: the export names the scope ` +
        `'${family.slice(0, 200)}', which ends in /* and so names a family of scopes; ` +
        `${this.#format.name} gives no families: the run is refused, nothing of it stored`,
      { field: 'scope' });
    }
    return [...scopes];
  }

  /** The run's as-of, settled at the first call (see RunAsOf). */
  asOf(): string {
    return this.#asOf.value();
  }

  /** The as-of the run takes should the file not give one (not settled, not checked). */
  defaultAsOf(): { asOf: string; origin: RunRecord['asOfOrigin'] } {
    return this.#asOf.byDefault();
  }

  /** The latest as-of the run may take (the clock plus the skew allowed), for the readers. */
  latestAsOf(): string {
    return this.#asOf.latest();
  }

  async flush(tx: StoreTx): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.pending.length);
    const asOf = this.asOf();
    const format = this.#format.name;
    const refs = batch.map((o) => ({ format, scope: o.scope, sourceId: o.sourceId }));
    const existing = await tx.getObservations(refs);
    const others = await this.#loadOthers(tx);
    const index = await ChunkIndex.load(tx, batch, existing.values());
    const dirty = new Set<string>();
    const writes = new Map<string, StoredObservation>();
    const untouched: StoredObservation[] = [];

    for (const o of batch) {
      this.seen++;
      this.#scopes.add(o.scope);
      const id = observationId({ format: this.#format.name, scope: o.scope, sourceId: o.sourceId });
      if (this.#seenIds.has(id)) {
        this.warnings.push({
          file: this.#file,
          ...(o.line !== undefined ? { line: o.line } : {}),
          ...(o.item !== undefined ? { item: o.item } : {}),
          message: `'${o.sourceId}' appears more than once in this input; the last one wins`,
          code: 'DUPLICATE_RECORD',
        });
      }
      this.#seenIds.add(id);
      const before = existing.get(id);
      if (before && before.asOf > asOf) {
        this.#older++; // rule 1: an older fact never overwrites a newer one
        // ...but it is still a sighting: the first one dates the record (firstSeen).
        if (before.firstSeen > asOf) {
          const earlier = { ...before, firstSeen: asOf };
          writes.set(id, earlier);
          existing.set(id, earlier);
          dirty.add(before.recordId);
        }
        continue;
      }
      if (before && before.asOf === asOf && before.runId !== this.#runId &&
          !sameContent(before, { ...before, ...o, relations: o.relations ?? [] })) {
        // Two exports of one instant say different things about it: the same one wins in any
        // order (the content that sorts last), and the runs are named.
        others.noteContentTie(before.runId);
        if (contentText(before) > contentText(o)) {
          this.#unchanged++;
          untouched.push(before);
          continue;
        }
      }
      // Listed here, yet not by a complete run with this very as-of (else the store would hold
      // its sighting at this as-of): the two exports disagree about this instant.
      if (!before || before.asOf < asOf) others.noteDisagreement(o.scope);
      const target = await this.#place(tx, o, before, index, dirty);
      const stored = this.#stored(o, target.recordId, before, target.conflicts, others);
      const sameState = before !== undefined && before.status === stored.status &&
        before.missingSince === stored.missingSince;
      if (before && before.asOf === asOf && sameState &&
          before.recordId === stored.recordId && sameContent(before, stored)) {
        this.#unchanged++;
        untouched.push(before);
        continue;
      }
      // New to the store, yet gone since a newer complete run: it lands missing, and counts so.
      if (!before && stored.status === 'missing') this.#missing++;
      else if (!before) this.#added++;
      else if (sameContent(before, stored) && sameState) this.#unchanged++;
      else this.#changed++;
      writes.delete(id); // a repeated observation is written once, in its last place
      writes.set(id, stored);
      index.add(stored);
      existing.set(id, stored);
      dirty.add(stored.recordId);
      if (before && before.recordId !== stored.recordId) dirty.add(before.recordId);
    }
    // Records absorbed later in the chunk: their pending observations follow them.
    const moved = [...writes.values()].map((w) => {
      const to = this.#absorbedInto.get(w.recordId);
      return to ? { ...w, recordId: to } : w;
    });
    await tx.putObservations(moved);
    await tx.touch(this.#runId, untouched);
    this.#absorbedInto.clear();
    await this.#remerge(tx, dirty);
  }

  async #place(
    tx: StoreTx,
    o: Observation,
    before: StoredObservation | undefined,
    index: ChunkIndex,
    dirty: Set<string>,
  ): Promise<{ recordId: string; conflicts: KeyConflict[] }> {
    const holders = index.matchIndex(o.kind, strongKeys(o.keys), before?.recordId);
    const match = matchObservation(o.kind, o.keys, holders);
    const recordId =
      match.recordId ??
      newRecordId({
        kind: o.kind,
        format: this.#format.name,
        scope: o.scope,
        sourceId: o.sourceId,
      });
    for (const other of match.absorb) {
      await tx.reassign(other, recordId);
      this.#absorbedInto.set(other, recordId);
      index.absorb(o.kind, other, recordId);
      await tx.deleteRecords([other]);
      await tx.appendEvents([this.#event('record.merged', recordId, { absorbed: other })]);
      dirty.add(recordId);
    }
    const asOf = this.asOf();
    const conflicts = match.conflicts.map((c) => ({ ...c, source: this.#format.source, asOf }));
    return { recordId, conflicts };
  }

  #stored(
    o: Observation,
    recordId: string,
    before: StoredObservation | undefined,
    keyConflicts: KeyConflict[],
    others: OtherRuns,
  ): StoredObservation {
    const asOf = this.asOf();
    const goneSince = others.goneSince(o.scope);
    return {
      format: this.#format.name,
      source: this.#format.source,
      scope: o.scope,
      sourceId: o.sourceId,
      kind: o.kind,
      recordId,
      runId: this.#runId,
      asOf,
      firstSeen: before ? (before.firstSeen < asOf ? before.firstSeen : asOf) : asOf,
      ...(goneSince ? { status: 'missing', missingSince: goneSince } : { status: 'present' }),
      keys: o.keys,
      attributes: o.attributes,
      relations: o.relations ?? [],
      systemOfRecord: this.#format.systemOfRecord,
      ...(keyConflicts.length > 0 ? { keyConflicts } : {}),
    };
  }

  async #loadOthers(tx: StoreTx): Promise<OtherRuns> {
    this.#others ??= await OtherRuns.load(tx, this.#format.name, this.asOf(), this.#runId);
    return this.#others;
  }

  async #remerge(tx: StoreTx, dirty: Set<string>): Promise<void> {
    if (dirty.size === 0) return;
    const ids = [...dirty];
    const [observations, previous] = await Promise.all([
      tx.observationsOf(ids),
      tx.getRecordsById(ids),
    ]);
    const records: InventoryRecord[] = [];
    const gone: string[] = [];
    const events = [];
    for (const id of ids) {
      const obs = observations.get(id) ?? [];
      if (obs.length === 0) {
        gone.push(id);
        continue;
      }
      const rec = mergeRecord(id, obs[0]!.kind, obs, this.#options.rules);
      records.push(rec);
      const prev = previous.get(id);
      if (!prev) events.push(this.#event('record.added', id, { kind: rec.kind, name: rec.name }));
      else {
        const fields = changedAttributes(prev, rec);
        if (fields.length > 0) {
          events.push(this.#event('record.changed', id, { fields, ...transitions(prev, rec) }));
        }
      }
    }
    await tx.putRecords(records, previous);
    await tx.deleteRecords(gone);
    await tx.appendEvents(events);
  }

  async finish(tx: StoreTx): Promise<void> {
    // A refused row (secret, bad time, too long, cut short) still exists in its source, so a
    // run with one cannot tell what is gone: it is partial, whatever was asked (rule 3).
    if (this.rejections.length > 0) this.#complete = false;
    if (this.#complete && this.seen === 0 && this.#options.complete === undefined) {
      // An empty export is far likelier a broken connector than an estate gone overnight:
      // only an explicit --complete may mark everything in scope missing.
      this.#complete = false;
      this.warnings.push({
        file: this.#file,
        message: 'lists no records: treated as partial; pass --complete to mark everything ' +
          'in scope missing',
        code: 'EMPTY_RUN',
      });
    }
    if (this.#complete) {
      const scopes = this.#runScopes();
      const others = await this.#loadOthers(tx);
      const marked = await tx.markMissing(this.#format.name, scopes, this.#runId, this.asOf());
      this.#missing += marked.records.length;
      await this.#remerge(tx, new Set(marked.records));
      const kept = marked.kept > 0
        ? others.keptUnlisted(this.#file, scopes, marked.kept, this.#hint())
        : undefined;
      if (kept) this.warnings.push(kept);
    }
    // A run that stored nothing never loaded the others: it disagrees with none.
    this.warnings.push(...(this.#others?.sameAsOfWarnings(this.#file, this.#hint()) ?? []));
  }

  #hint(): string {
    return this.#asOf.origin === 'mtime'
      ? "; this file's as-of is its modification time: pass --as-of with the export's time"
      : '';
  }

  #runScopes(): string[] {
    return withoutCovered([...(this.#metaScopes ?? []), ...this.#scopes]);
  }

  #event(type: string, subjectId: string, data: Record<string, unknown>) {
    return { at: this.asOf(), type, subjectId, runId: this.#runId, data };
  }

  counts(): RunCounts {
    return {
      added: this.#added,
      changed: this.#changed,
      unchanged: this.#unchanged,
      missing: this.#missing,
      rejected: rejectedRows(this.rejections),
      warnings: this.warnings.length,
      older: this.#older,
    };
  }

  runRecord(file: string, startedAt: string, finishedAt: string, status: RunRecord['status']) {
    const run: RunRecord = {
      id: this.#runId,
      format: this.#format.name,
      source: this.#format.source,
      file,
      // A run with no records still gets its as-of by the same rule, labelled by origin.
      asOf: this.asOf(),
      asOfOrigin: this.#asOf.origin,
      // A failed run stored nothing: it covered nothing, whatever it would have.
      complete: status === 'committed' && this.#complete,
      scopes: this.#runScopes(),
      startedAt,
      finishedAt,
      status,
      counts: this.counts(),
    };
    return run;
  }
}
