import { z } from 'zod';

/**
 * The `decide:` section of roster.config.yaml (docs/decide.md).
 *
 * @example
 * decide:
 *   policyDir: ./policies.d          # *.cedar files added to the default set
 *   replaceDefaults: false           # true: only the files of policyDir are in force
 *   trustBundles:
 *     - { trustDomain: example.org, path: ./bundle.jwks.json }
 *   jwtAudiences: [roster]
 *   maxStalenessHours: 48
 *   logMaxRows: 100000
 */
export const decideConfigSchema = z
  .object({
    /** A folder of `*.cedar` files (and optionally one `*.cedarschema` replacing the default). */
    policyDir: z.string().optional(),
    /** When true, the files of policyDir replace Roster's default policies instead of adding. */
    replaceDefaults: z.boolean().default(false),
    /** SPIFFE trust bundles (PEM, or SPIFFE bundle JWKS) by trust domain. */
    trustBundles: z
      .array(z.object({ trustDomain: z.string().min(1), path: z.string().min(1) }).strict())
      .default([]),
    /** Audiences a JWT-SVID must name (JWT-SVID spec: `aud` is required and checked). */
    jwtAudiences: z.array(z.string().min(1)).default(['roster']),
    /** Deny everything when the newest committed run is older than this; 0 turns it off. */
    maxStalenessHours: z.number().nonnegative().default(168),
    /** Decisions kept in the decision log; older ones are pruned. */
    logMaxRows: z.number().int().positive().default(100_000),
  })
  .strict();

export type DecideConfig = z.infer<typeof decideConfigSchema>;

export const DEFAULT_DECIDE_CONFIG: DecideConfig = decideConfigSchema.parse({});
