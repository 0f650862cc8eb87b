import { existsSync } from 'node:fs';
import { z } from 'zod';
import { describeConfigIssues } from './config-issues.js';
import { decideConfigSchema, type DecideConfig } from './decide/config.js';
import { judgeConfigSchema, type JudgeConfig } from './judge/config.js';
import { lifecycleConfigSchema, type LifecycleConfig } from './lifecycle/config.js';
import { RosterError } from './model/errors.js';
import { DEFAULT_FIELD_LIMITS, type FieldLimits } from './model/field-guard.js';
import { readYamlFile } from './model/text-file.js';
import { userScopeProblem } from './model/scopes.js';
import { formatProblem, typesProblem } from './sources/registry.js';
import { DEFAULT_CLOCK_SKEW_SECONDS, isKnownZone } from './model/time.js';
import { withUserPrecedence, type PrecedenceRules } from './reconcile/rules.js';

/** An IANA time zone a user gives in a config or watched source, known to this Node. */
export const zoneSchema = z.string().min(1).refine(isKnownZone, {
  error: (issue) => `unknown time zone '${String(issue.input).slice(0, 100)}'`,
});

/** A scope a user gives in a config or watched source (never a family: model/scopes.ts). */
export const userScopeSchema = z.string().min(1).superRefine((v, ctx) => {
  const problem = userScopeProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const fileSchema = z
  .object({
    precedence: z.record(z.string(), z.array(z.string())).optional(),
    judge: judgeConfigSchema.partial().optional(),
    /**
     * Per format: the time zone of times written without an offset, a default scope, the
     * object types its exports are asked for (`types: ['*']` for full CAI exports).
     */
    formats: z
      .record(z.string(), z.object({
        timezone: zoneSchema.optional(),
        scope: userScopeSchema.optional(),
        types: z.array(z.string().min(1)).min(1).optional(),
      }).strict())
      .superRefine((formats, ctx) => {
        for (const [name, f] of Object.entries(formats)) {
          const unknown = formatProblem(name);
          if (unknown) ctx.addIssue({ code: 'custom', path: [name], message: unknown });
          const problem = !unknown && f.types ? typesProblem(name, f.types) : undefined;
          if (problem) ctx.addIssue({ code: 'custom', path: [name, 'types'], message: problem });
        }
      })
      .optional(),
    /** Admission, attestation, offboarding and executors (issue #5; docs/lifecycle.md). */
    lifecycle: lifecycleConfigSchema.optional(),
    /** The decision point: policies, trust bundles, staleness, log size (docs/decide.md). */
    decide: decideConfigSchema.optional(),
    /**
     * Longest key and value a row may hold, in characters, and how many seconds past the
     * clock a run's as-of may lie (docs/configuration.md).
     */
    ingest: z
      .object({
        maxKeyLength: z.number().int().positive().max(1_048_576).optional(),
        maxValueLength: z.number().int().positive().max(67_108_864).optional(),
        clockSkewSeconds: z.number().int().min(0).max(86_400).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** What roster.config.yaml says of one format's exports, used where a run does not say. */
export interface FormatDefaults {
  readonly timezone?: string;
  readonly scope?: string;
  readonly types?: readonly string[];
}

export interface RosterConfig {
  readonly path: string | undefined;
  readonly precedence: PrecedenceRules;
  readonly judge: JudgeConfig;
  readonly formats: Readonly<Record<string, FormatDefaults>>;
  readonly lifecycle: LifecycleConfig;
  readonly decide: DecideConfig;
  readonly ingest: FieldLimits & { readonly clockSkewSeconds: number };
}

/**
 * Loads roster.config.yaml (or the file named by --config / ROSTER_CONFIG). Every field is
 * optional; errors name the file and the field.
 *
 * @example
 * # roster.config.yaml
 * precedence:
 *   owner: [cmdb, aws]
 * judge:
 *   rotationDays: 60
 * formats:
 *   servicenow-cmdb: { timezone: Europe/Berlin }
 */
export function loadConfig(path?: string): RosterConfig {
  const file = path ?? (existsSync('roster.config.yaml') ? 'roster.config.yaml' : undefined);
  if (!file) return fromParsed(undefined, {});
  const raw = readYamlFile(file, 'config file');
  const parsed = fileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issues = describeConfigIssues(fileSchema, parsed.error);
    throw new RosterError('CONFIG', `${file}: ${issues.join('; ')}`);
  }
  return fromParsed(file, parsed.data);
}

function fromParsed(path: string | undefined, data: z.infer<typeof fileSchema>): RosterConfig {
  const lifecycle = lifecycleConfigSchema.parse(data.lifecycle ?? {});
  return {
    path,
    precedence: withUserPrecedence(data.precedence),
    // Attestation intervals are set under lifecycle; judging reads them for attestation-overdue.
    judge: judgeConfigSchema.parse({ attestationDays: lifecycle.attestationDays, ...data.judge }),
    formats: data.formats ?? {},
    lifecycle,
    decide: decideConfigSchema.parse(data.decide ?? {}),
    ingest: {
      ...DEFAULT_FIELD_LIMITS,
      clockSkewSeconds: DEFAULT_CLOCK_SKEW_SECONDS,
      ...data.ingest,
    },
  };
}
