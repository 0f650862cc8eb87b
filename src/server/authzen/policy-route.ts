import { z } from 'zod';
import type { DecideApp } from '../../decide-app.js';
import type { ExtensionApi } from '../extensions.js';
import { component } from '../schemas/common.js';

export const PolicyReload = component(
  'PolicyReload',
  z.object({
    ok: z.boolean().describe('false: the new files were refused'),
    inForce: z.object({
      policySet: z.string().describe('digest of the set deciding now'),
      policies: z.number().int(),
    }).nullable().describe('the set in force after the reload (the last good one when refused)'),
    problems: z.array(z.object({
      file: z.string(),
      line: z.number().int().nullable(),
      policyId: z.string().nullable(),
      message: z.string(),
    })),
  }),
  'The outcome of reading the policy files again.',
);

/**
 * `POST /api/v1/decide/policies/reload` (admin): reads the policy files again. A set with any
 * problem is refused and the last good one stays in force (DESIGN.md rule 7); either way the
 * answer says which set decides now.
 */
export function registerPolicyRoutes(api: ExtensionApi, pdp: DecideApp): void {
  api.route({
    method: 'POST',
    url: '/api/v1/decide/policies/reload',
    operationId: 'reloadPolicies',
    summary: 'Read the policy files again; a bad set is refused and the last good one stays',
    tag: 'decisions',
    scope: 'admin',
    response: PolicyReload,
    handler: async ({ request }) => {
      const load = pdp.reloadPolicies();
      const set = pdp.service.policies;
      const problems = load.ok ? [] : load.problems.map((p) => ({
        file: p.file, line: p.line ?? null, policyId: p.policyId ?? null, message: p.message,
      }));
      await api.ctx.audit(request, 'policies.reload', set?.digest ?? null,
        { ok: load.ok, problems: problems.length });
      return {
        ok: load.ok,
        inForce: set ? { policySet: set.digest, policies: set.policies.length } : null,
        problems,
      };
    },
  });
}
