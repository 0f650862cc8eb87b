import { z } from 'zod';

/**
 * Days between owner attestations, per criticality; `default` for records without one.
 * Critical things are confirmed quarterly, the rest less often.
 */
export const DEFAULT_ATTESTATION_DAYS: Readonly<Record<string, number>> = {
  critical: 90,
  high: 180,
  medium: 365,
  low: 365,
  default: 365,
};

const days = z.number().positive();

const webhookSchema = z
  .object({
    name: z.string().min(1),
    url: z.url({ protocol: /^https?$/ }),
    /**
     * Name of the environment variable that holds the HMAC secret. The secret itself never
     * sits in the file (DESIGN.md rule 5), so the schema has no field for it.
     */
    secretEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
    /** What goes to this hook: offboarding actions, inventory change events, or both. */
    deliver: z.array(z.enum(['actions', 'events'])).min(1).default(['actions', 'events']),
    timeoutSeconds: z.number().positive().default(10),
  })
  .strict();

const commandSchema = z
  .object({
    /** Program run once per action with the action's JSON on stdin. */
    path: z.string().min(1),
    args: z.array(z.string()).default([]),
    timeoutSeconds: z.number().positive().default(60),
  })
  .strict();

/** The `lifecycle:` section of roster.config.yaml (issue #5). */
export const lifecycleConfigSchema = z
  .object({
    attestationDays: z.record(z.string(), days).default({ ...DEFAULT_ATTESTATION_DAYS }),
    /** An attestation is listed as due this many days before it becomes overdue. */
    attestationWarnDays: days.default(14),
    /** Which executor sends offboarding actions out. */
    executor: z.enum(['dry-run', 'webhook', 'command']).default('dry-run'),
    webhooks: z.array(webhookSchema).default([]),
    command: commandSchema.optional(),
    /** An action not confirmed by a later run this many days after planning is overdue. */
    offboardingDueDays: days.default(7),
    delivery: z
      .object({
        maxAttempts: z.number().int().positive().default(10),
        backoffSeconds: z.number().positive().default(30),
        maxBackoffSeconds: z.number().positive().default(3600),
      })
      .strict()
      .default({ maxAttempts: 10, backoffSeconds: 30, maxBackoffSeconds: 3600 }),
    /** CloudEvents `source` of what this Roster emits (a URI reference). */
    eventSource: z.string().min(1).default('/roster'),
    /**
     * Tags on an identity that name the host it runs on (`RunsOn=i-0abc…`): a link for
     * offboarding when no source gives a `runs-on` relation (IAM users, for one).
     */
    hostTags: z.array(z.string().min(1)).default(['RunsOn', 'Host', 'InstanceId', 'Server']),
  })
  .strict();

export type LifecycleConfig = z.infer<typeof lifecycleConfigSchema>;
export type WebhookConfig = z.infer<typeof webhookSchema>;
export type CommandConfig = z.infer<typeof commandSchema>;
export type DeliveryConfig = LifecycleConfig['delivery'];

export const DEFAULT_LIFECYCLE_CONFIG: LifecycleConfig = lifecycleConfigSchema.parse({});

/** Days between attestations for a criticality (or the default). */
export function attestationInterval(
  table: Readonly<Record<string, number>>,
  criticality: string | null,
): number {
  return (criticality ? table[criticality] : undefined) ?? table['default'] ?? 365;
}
