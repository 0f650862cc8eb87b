import { judgeInventory } from '../../judge-app.js';
import { RosterError } from '../../model/errors.js';
import { parseGivenInstant } from '../../model/time.js';
import type { Rejection, Warning } from '../../model/types.js';
import { ingest, type IngestResult } from '../../reconcile/ingest.js';
import type { Mapping } from '../../sources/mapped/index.js';
import { mappedExport, pickFormat } from '../../sources/pick-format.js';
import type { ServerContext } from '../context.js';
import { ApiError } from '../errors.js';
import { bufferInput, type Upload, type UploadedFile } from './uploads.js';

/** Problems listed per file in an answer; the totals say how many there were. */
const MAX_PROBLEMS = 200;

export interface IngestParams {
  readonly format?: string;
  readonly asOf?: string;
  readonly scope?: string;
  readonly timezone?: string;
  readonly complete?: boolean;
  readonly types?: readonly string[];
  readonly judge: boolean;
}

export interface UploadOutcome {
  readonly file: string;
  readonly format: string | null;
  readonly result?: IngestResult;
  readonly error?: { code: string; message: string };
}

/** Reads an `asOf` parameter as the CLI reads `--as-of` (DESIGN.md rule 1). */
export function parseAsOfParam(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const t = parseGivenInstant(value);
  if (!t.ok) throw new ApiError('INVALID_INPUT', `asOf: ${t.error}`, { field: 'asOf' });
  return t.value;
}

/**
 * Ingests each uploaded file as its own run, exactly as `roster ingest` does: one transaction
 * per file, so that a file commits whole or not at all, and bad rows are reported while the
 * good rows land (DESIGN.md rules 3 and 4).
 */
export async function ingestUploads(
  ctx: ServerContext,
  upload: Upload,
  params: IngestParams,
  log: (err: unknown, file: string) => void,
): Promise<UploadOutcome[]> {
  const asOf = parseAsOfParam(params.asOf);
  const mapped = mappedOf(upload, params.format);
  const mapping = { raw: mapped ?? upload.mapping, mapped };
  const outcomes: UploadOutcome[] = [];
  for (const file of upload.files) {
    outcomes.push(await ingestOne(ctx, file, { ...params, asOf }, mapping, log));
  }
  return outcomes;
}

/**
 * The upload's mapping, validated before any file is read when it describes a mapped export,
 * as `roster ingest --mapping` does: an invalid one is 400 naming the mapping part's file and
 * each bad field, and nothing is stored.
 */
function mappedOf(upload: Upload, forced: string | undefined): Mapping | undefined {
  try {
    return mappedExport(upload.mapping, forced, upload.mappingName ?? 'mapping');
  } catch (err) {
    if (!(err instanceof RosterError)) throw err;
    throw new ApiError('INVALID_INPUT', err.message, { field: 'mapping', ...err.details });
  }
}

async function ingestOne(
  ctx: ServerContext,
  file: UploadedFile,
  params: IngestParams,
  mapping: { raw: unknown; mapped: Mapping | undefined },
  log: (err: unknown, file: string) => void,
): Promise<UploadOutcome> {
  let formatName: string | null = null;
  try {
    const input = bufferInput(file.name, file.data);
    const format = pickFormat(input, params.format, mapping.mapped, ctx.formats);
    formatName = format.name;
    const perFormat = ctx.app.config.formats[format.name] ?? {};
    const scope = params.scope ?? perFormat.scope;
    const timezone = params.timezone ?? perFormat.timezone;
    const types = params.types ?? perFormat.types;
    const result = await ingest(ctx.app.store, format, input, {
      ...(params.asOf ? { asOf: params.asOf } : {}),
      ...(params.complete !== undefined ? { complete: params.complete } : {}),
      ...(scope ? { scope } : {}),
      ...(timezone ? { timezone } : {}),
      ...(types ? { types } : {}),
      ...(mapping.raw !== undefined ? { mapping: mapping.raw } : {}),
      rules: ctx.app.config.precedence,
      limits: ctx.app.config.ingest,
      clockSkewSeconds: ctx.app.config.ingest.clockSkewSeconds,
      clock: ctx.clock,
    });
    return { file: file.name, format: formatName, result };
  } catch (err) {
    return { file: file.name, format: formatName, error: describeFailure(err, file.name, log) };
  }
}

/** What a client may read of a failed file: Roster's own errors and parse errors, no internals. */
function describeFailure(
  err: unknown,
  file: string,
  log: (err: unknown, file: string) => void,
): { code: string; message: string } {
  if (err instanceof RosterError) return { code: err.code, message: err.message };
  if (err instanceof SyntaxError) return { code: 'BAD_INPUT', message: `${file}: ${err.message}` };
  log(err, file);
  const message = `${file}: the file could not be ingested; nothing was stored`;
  return { code: 'INGEST_FAILED', message };
}

/** Judges the whole inventory once after the runs, as the CLI does, then runs the hooks. */
export async function afterUploads(ctx: ServerContext, outcomes: UploadOutcome[], judge: boolean) {
  const runIds = outcomes.flatMap((o) => (o.result ? [o.result.run.id] : []));
  if (runIds.length === 0) return null;
  return afterRuns(ctx, runIds, judge, ctx.clock.now());
}

/** After runs committed (an upload, an operator decision): judge, then the after-ingest steps. */
export async function afterRuns(
  ctx: ServerContext,
  runIds: readonly string[],
  judge: boolean,
  now: string,
) {
  let judged = null;
  if (judge) {
    const findings = await judgeInventory(ctx.app, now);
    const { opened, closed } = await ctx.app.store.saveJudgement(findings, now);
    judged = { at: now, open: findings.length, opened: opened.length, closed: closed.length };
  }
  for (const hook of ctx.app.afterIngest) await hook(ctx.app, runIds, now);
  return judged;
}

function problems(list: readonly (Rejection | Warning)[]) {
  return list.slice(0, MAX_PROBLEMS).map((p) => ({ ...p }));
}

export function outcomeJson(o: UploadOutcome) {
  const r = o.result;
  return {
    file: o.file,
    format: o.format,
    run: r ? runBrief(r) : null,
    counts: r ? { ...r.counts } : null,
    rejections: r ? problems(r.rejections) : [],
    warnings: r ? problems(r.warnings) : [],
    rejectionsTotal: r?.rejections.length ?? 0,
    warningsTotal: r?.warnings.length ?? 0,
    error: o.error ?? null,
  };
}

function runBrief(r: IngestResult) {
  const run = r.run;
  return {
    ...run,
    scopes: [...run.scopes],
    finishedAt: run.finishedAt ?? null,
    counts: run.counts ? { ...run.counts } : null,
  };
}
