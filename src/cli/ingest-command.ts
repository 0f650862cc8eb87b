import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { parse as parseYaml } from 'yaml';
import { pc } from './paint.js';
import type { App } from '../app.js';
import { judgeInventoryInto } from '../judge-app.js';
import { DeliveryNotReady } from '../lifecycle-app.js';
import { RosterError } from '../model/errors.js';
import { maskSecrets } from '../model/secret-shapes.js';
import { readTextFile } from '../model/text-file.js';
import { parseGivenInstant, type Clock } from '../model/time.js';
import type { Rejection, Warning } from '../model/types.js';
import { ingest, type IngestResult } from '../reconcile/ingest.js';
import { fileInput } from '../sources/read-file.js';
import type { Mapping } from '../sources/mapped/index.js';
import { mappedExport, pickFormat } from '../sources/pick-format.js';
import type { JudgementCounts } from '../store/port.js';
import type { CliContext } from './main.js';

export interface IngestFlags {
  readonly format?: string;
  readonly asOf?: string;
  readonly scope?: string;
  readonly timezone?: string;
  readonly mapping?: string;
  readonly complete?: boolean;
  readonly partial?: boolean;
  readonly types?: readonly string[];
  readonly judge?: boolean;
  readonly quiet?: boolean;
}

export interface FileOutcome {
  readonly file: string;
  readonly format?: string;
  readonly result?: IngestResult;
  readonly error?: string;
}

/** Where the files given to ingestFiles came from, when not a user's own export files. */
export interface FileOrigin {
  /** Shown as each run's file: a watch command's output file is deleted after the read. */
  readonly label?: string;
  /** The file was just written (a command's output): its mtime is no export time. */
  readonly ignoreMtime?: boolean;
}

const PROGRESS_MIN_BYTES = 8 * 1024 * 1024;

/** Expands folders into the files below them (hidden files skipped), sorted. */
export function expandPaths(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new RosterError('BAD_INPUT', `${p}: no such file or folder`);
    }
    if (!st.isDirectory()) {
      out.push(p);
      continue;
    }
    const below = readdirSync(p)
      .filter((n) => !n.startsWith('.'))
      .sort()
      .map((n) => join(p, n));
    out.push(...expandPaths(below));
  }
  return out;
}

/** Reads a mapping file (YAML or JSON) for mapped formats and CMDB column mappings. */
export function readMapping(path: string): unknown {
  const text = readTextFile(path, 'mapping file');
  try {
    return extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    const syntax = extname(path) === '.json' ? 'JSON' : 'YAML';
    throw new RosterError('CONFIG', `${path}: not valid ${syntax}: ${why}`);
  }
}

export function parseAsOf(v: string | undefined, flag = '--as-of'): string | undefined {
  if (v === undefined) return undefined;
  const t = parseGivenInstant(v);
  if (!t.ok) throw new RosterError('BAD_INPUT', `${flag}: ${t.error}`);
  return t.value;
}

/** Ingests each file as its own run; one bad file does not stop the others. */
export async function ingestFiles(
  app: App,
  paths: readonly string[],
  flags: IngestFlags,
  clock: Clock,
  log: (line: string) => void,
  origin: FileOrigin = {},
): Promise<FileOutcome[]> {
  const files = expandPaths(paths);
  const asOf = parseAsOf(flags.asOf);
  const mapping = flags.mapping ? readMapping(flags.mapping) : undefined;
  // A mapping with no --format, or with a mapped format, is a mapped export: validate it now,
  // before any file is read, so that its errors name the mapping file and field.
  const mapped = flags.mapping ? mappedExport(mapping, flags.format, flags.mapping) : undefined;
  const ctx = mapped
    ? { asOf, mapping: mapped, mapped, clock, log, origin }
    : { asOf, mapping, clock, log, origin };
  const outcomes: FileOutcome[] = [];
  for (const file of files) outcomes.push(await ingestOne(app, file, flags, ctx));
  return outcomes;
}

async function ingestOne(
  app: App,
  file: string,
  flags: IngestFlags,
  ctx: {
    asOf?: string;
    mapping: unknown;
    mapped?: Mapping;
    clock: Clock;
    log: (l: string) => void;
    origin: FileOrigin;
  },
): Promise<FileOutcome> {
  let formatName: string | undefined;
  // The name printed and kept: a secret in it (`/tmp/ghp_….csv`) is masked (rule 5).
  const label = maskSecrets(ctx.origin.label ?? file);
  try {
    const input = { ...fileInput(file), path: label };
    const format = pickFormat(input, flags.format, ctx.mapped);
    formatName = format.name;
    const perFormat = app.config.formats[format.name] ?? {};
    const size = statSync(file).size;
    const bar = progressBar(size, flags.quiet);
    const complete = flags.complete ? true : flags.partial ? false : undefined;
    const timezone = flags.timezone ?? perFormat.timezone;
    const scope = flags.scope ?? perFormat.scope;
    const types = flags.types ?? perFormat.types;
    const result = await ingest(app.store, format, input, {
      ...(ctx.asOf ? { asOf: ctx.asOf } : {}),
      ...mtimeFallback(file, ctx.origin),
      clockSkewSeconds: app.config.ingest.clockSkewSeconds,
      ...(complete !== undefined ? { complete } : {}),
      ...(scope ? { scope } : {}),
      ...(timezone ? { timezone } : {}),
      ...(types ? { types } : {}),
      ...(ctx.mapping !== undefined ? { mapping: ctx.mapping } : {}),
      rules: app.config.precedence,
      limits: app.config.ingest,
      clock: ctx.clock,
      onProgress: (p) => bar?.update(p.bytes),
    });
    bar?.update(size);
    bar?.stop();
    return { file: label, format: format.name, result };
  } catch (err) {
    const message = maskSecrets(err instanceof Error ? err.message : String(err));
    return { file: label, ...(formatName ? { format: formatName } : {}), error: message };
  }
}

/**
 * The file's mtime as the as-of of last resort (ingest passes over one later than the clock).
 * A command's output was just written: its mtime is no export time.
 */
function mtimeFallback(file: string, origin: FileOrigin) {
  if (origin.ignoreMtime) return {};
  return { fallbackAsOf: statSync(file).mtime.toISOString() };
}

function progressBar(size: number, quiet: boolean | undefined): SingleBar | undefined {
  if (quiet || size < PROGRESS_MIN_BYTES || !process.stderr.isTTY) return undefined;
  const format = '  {bar} {percentage}% | {value}/{total} bytes | eta {eta}s';
  const bar = new SingleBar({ format, stream: process.stderr }, Presets.shades_classic);
  bar.start(size, 0);
  return bar;
}

/**
 * After ingest: judge the whole inventory at `now`, with the source health watch keeps, and
 * keep the finding set, written as it is made (memory does not grow with the finding count).
 * Answers the counts.
 */
export async function judgeAndSave(app: App, now: string): Promise<JudgementCounts> {
  return judgeInventoryInto(app, now);
}

/**
 * The steps that follow an ingest once its runs committed and were judged (lifecycle tracking,
 * offboarding plans, event delivery): every command that ingests runs them through here.
 * Executors that cannot be set up do not undo the committed work: the error is printed, the
 * outbox keeps its items, and the answer is false (the command exits 1, as for bad rows).
 */
export async function runAfterIngest(
  app: App,
  runIds: readonly string[],
  now: string,
  io: Pick<CliContext, 'err' | 'color'>,
): Promise<boolean> {
  try {
    for (const hook of app.afterIngest) await hook(app, runIds, now);
    return true;
  } catch (err) {
    if (!(err instanceof DeliveryNotReady)) throw err;
    io.err(`${io.color ? pc.red('error') : 'error'}: ${err.message}`);
    return false;
  }
}

export function describeProblem(p: Rejection | Warning): string {
  const at = p.line !== undefined ? `line ${p.line}` : p.item !== undefined ? `item ${p.item}` : '';
  const where = [p.file, at]
    .filter(Boolean)
    .join(':');
  const field = p.field ? ` field ${p.field}:` : '';
  return `${where}${field} ${p.message} [${p.code}]`;
}
