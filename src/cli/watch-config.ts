import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { RosterError } from '../model/errors.js';
import { readYamlFile } from '../model/text-file.js';
import { userScopeSchema, zoneSchema } from '../config.js';
import { formatProblem, typesProblem } from '../sources/registry.js';

const UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90`, `30s`, `15m`, `4h`, `2d` → seconds. */
export function parseDuration(v: string | number): number | undefined {
  if (typeof v === 'number') return v > 0 ? v : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$/i.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]) * (UNITS[(m[2] || 's').toLowerCase()] ?? 1);
  return n > 0 ? n : undefined;
}

const duration = z.union([z.string(), z.number()]).transform((v, c) => {
  const s = parseDuration(v);
  if (s === undefined) {
    c.addIssue({ code: 'custom', message: `'${v}' is not a duration (30s, 15m, 4h, 2d)` });
    return z.NEVER;
  }
  return s;
});

const sourceSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/),
    /** A file or a folder of exports. */
    path: z.string().min(1).optional(),
    /** A program (argv, no shell) whose standard output is an export. */
    command: z.array(z.string().min(1)).min(1).optional(),
    format: z.string().optional(),
    every: duration,
    /** No new export for this long: the source is silent (default three intervals). */
    silentAfter: duration.optional(),
    scope: userScopeSchema.optional(),
    timezone: zoneSchema.optional(),
    mapping: z.string().optional(),
    complete: z.boolean().optional(),
    /** The object types the export is asked for (gcloud --asset-types, kubectl resources). */
    types: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict()
  .refine((s) => (s.path === undefined) !== (s.command === undefined), {
    message: 'give either path or command',
  })
  .superRefine((s, ctx) => {
    if (s.format === undefined) return;
    const unknown = formatProblem(s.format);
    if (unknown) ctx.addIssue({ code: 'custom', path: ['format'], message: unknown });
    // Types are read by the format: with one named, a type it cannot read is refused here.
    const problem = !unknown && s.types ? typesProblem(s.format, s.types) : undefined;
    if (problem) ctx.addIssue({ code: 'custom', path: ['types'], message: problem });
  });

const watchSchema = z
  .object({
    /** How often the loop wakes to look for due sources, deliveries and plans. */
    tick: duration.default(60),
    /**
     * Classes that come and go (pods, CI jobs): their disappearance from a complete run is
     * the end of their life, not a `missing-from-source` problem.
     */
    ephemeralClasses: z.array(z.string()).default(['k8s-pod', 'k8s-job', 'ci-job']),
    sources: z.array(sourceSchema).min(1),
  })
  .strict();

export type WatchSource = z.infer<typeof sourceSchema> & {
  readonly silentAfter: number;
  /** The configuration file's folder: a `command` runs there, as `path`s are read from it. */
  readonly cwd: string;
};
export interface WatchConfig {
  readonly file: string;
  readonly tick: number;
  readonly ephemeralClasses: readonly string[];
  readonly sources: readonly WatchSource[];
}

/**
 * Reads a watch configuration (YAML). Paths are relative to the file's folder, and commands
 * run in it, so that a configuration means the same from wherever `roster watch` starts.
 *
 * @example
 * sources:
 *   - { name: cmdb, path: exports/cmdb.csv, every: 1h }
 *   - { name: aws-creds, command: [aws, iam, get-credential-report], every: 4h }
 */
export function loadWatchConfig(file: string): WatchConfig {
  return parseWatchConfig(readYamlFile(file, 'watch configuration'), file);
}

export function parseWatchConfig(raw: unknown, file: string): WatchConfig {
  const parsed = watchSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new RosterError('CONFIG', `${file}: ${issues.join('; ')}`);
  }
  const base = dirname(resolve(file));
  const names = new Set<string>();
  const sources = parsed.data.sources.map((s) => {
    if (names.has(s.name)) throw new RosterError('CONFIG', `${file}: source '${s.name}' twice`);
    names.add(s.name);
    const at = (p: string | undefined) => (p === undefined || isAbsolute(p) ? p : resolve(base, p));
    return {
      ...s,
      ...(s.path !== undefined ? { path: at(s.path) } : {}),
      ...(s.mapping !== undefined ? { mapping: at(s.mapping) } : {}),
      silentAfter: s.silentAfter ?? s.every * 3,
      cwd: base,
    };
  });
  return { file, tick: parsed.data.tick, ephemeralClasses: parsed.data.ephemeralClasses, sources };
}
