import { z } from 'zod';
import { DEFAULT_ATTESTATION_DAYS } from '../lifecycle/config.js';
import { DEFAULT_CONFLICT_ATTRIBUTES } from '../reconcile/rules.js';

/** Thresholds for judging, all in days unless said. Every one can be set in roster.config.yaml. */
export const judgeConfigSchema = z.object({
  /** A credential unused this long is `unused-credential`. */
  unusedDays: z.number().int().positive().default(90),
  /** New keys get this long to be used before "never used" counts. */
  newCredentialGraceDays: z.number().int().nonnegative().default(7),
  /** An active key older than this is `unrotated-credential`. */
  rotationDays: z.number().int().positive().default(90),
  /** A certificate or secret expiring within this window is `expiring-credential`. */
  expiringDays: z.number().int().positive().default(30),
  /** A credential living longer than this (or forever) is `long-lived-credential`. */
  maxCredentialLifetimeDays: z.number().int().positive().default(397),
  /** A console sign-in of a non-human identity within this window is `human-use-of-nhi`. */
  humanUseDays: z.number().int().positive().default(90),
  /** Freshness windows by asset class; `default` for the rest. */
  freshnessDays: z.record(z.string(), z.number().positive()).default({
    default: 7,
    'aws-ec2-instance': 2,
    'k8s-pod': 1,
    'k8s-node': 2,
    endpoint: 14,
    'spire-agent': 2,
  }),
  /** Attributes whose disagreement between sources is a finding. */
  conflictAttributes: z.array(z.string()).default([...DEFAULT_CONFLICT_ATTRIBUTES]),
  /** Minimum RSA key size, EC key size. */
  minRsaBits: z.number().int().positive().default(2048),
  minEcBits: z.number().int().positive().default(256),
  /** Days between owner attestations by criticality (`default` for the rest); issue #5. */
  attestationDays: z.record(z.string(), z.number().positive()).default({
    ...DEFAULT_ATTESTATION_DAYS,
  }),
}).strict();

export type JudgeConfig = z.infer<typeof judgeConfigSchema>;

export const DEFAULT_JUDGE_CONFIG: JudgeConfig = judgeConfigSchema.parse({});

export function freshnessWindow(config: JudgeConfig, assetClass: string | undefined): number {
  const days = config.freshnessDays;
  return (assetClass !== undefined ? days[assetClass] : undefined) ?? days['default'] ?? 7;
}
