import { z } from 'zod';
import { namesSecret } from './request-secrets.js';

/*
 * The request shapes of the OpenID AuthZEN Authorization API 1.0 (sections 5 to 8). Unknown
 * fields are ignored, as the spec requires for forward compatibility: zod objects strip them.
 */

const properties = z.record(z.string(), z.unknown());
/**
 * Longest type, id or action name a request may give: an inventory key is at most 1,024
 * characters (ingest.maxKeyLength's default), so a longer id names nothing Roster holds, and
 * the decision log keeps what a request names.
 */
const NAME_MAX = 1024;
const name = z.string().min(1).max(NAME_MAX).refine((v) => !namesSecret(v), {
  // The type, id or action goes into the decision log as it is: never a secret (rule 5).
  message: 'holds what looks like a secret (a token, password or key); Roster never stores one',
});

export const subjectSchema = z.object({
  type: name,
  id: name,
  properties: properties.optional(),
});

export const resourceSchema = subjectSchema;

export const actionSchema = z.object({
  name,
  properties: properties.optional(),
});

export const contextSchema = z.record(z.string(), z.unknown());

export const evaluationSchema = z.object({
  subject: subjectSchema,
  action: actionSchema,
  resource: resourceSchema,
  context: contextSchema.optional(),
});

export type AuthzenEntity = z.infer<typeof subjectSchema>;
export type AuthzenAction = z.infer<typeof actionSchema>;
export type EvaluationRequest = z.infer<typeof evaluationSchema>;

const partialEntity = z.object({
  type: name.optional(),
  id: name.optional(),
  properties: properties.optional(),
});
const partialAction = z.object({
  name: name.optional(),
  properties: properties.optional(),
});

export const SEMANTICS = ['execute_all', 'deny_on_first_deny', 'permit_on_first_permit'] as const;
export type EvaluationsSemantic = (typeof SEMANTICS)[number];

/** Items are checked one by one after defaults merge: a bad item is a deny, not a 400. */
export const evaluationsSchema = z.object({
  subject: partialEntity.optional(),
  action: partialAction.optional(),
  resource: partialEntity.optional(),
  context: contextSchema.optional(),
  evaluations: z.array(z.record(z.string(), z.unknown())).optional(),
  options: z.object({ evaluations_semantic: z.enum(SEMANTICS).optional() }).optional(),
});

export type EvaluationsRequest = z.infer<typeof evaluationsSchema>;

const page = z.object({
  token: z.string().optional(),
  limit: z.number().int().positive().max(1000).optional(),
});

/** Subject search: the subject's type is required, its id ignored (section 8.4). */
export const subjectSearchSchema = z.object({
  subject: z.object({ type: z.string().min(1), properties: properties.optional() }),
  action: actionSchema,
  resource: resourceSchema,
  context: contextSchema.optional(),
  page: page.optional(),
});

/** Resource search: the resource's type is required, its id ignored (section 8.5). */
export const resourceSearchSchema = z.object({
  subject: subjectSchema,
  action: actionSchema,
  resource: z.object({ type: z.string().min(1), properties: properties.optional() }),
  context: contextSchema.optional(),
  page: page.optional(),
});

/** Action search: no action at all (section 8.6). */
export const actionSearchSchema = z.object({
  subject: subjectSchema,
  resource: resourceSchema,
  context: contextSchema.optional(),
  page: page.optional(),
});

export type SubjectSearch = z.infer<typeof subjectSearchSchema>;
export type ResourceSearch = z.infer<typeof resourceSearchSchema>;
export type ActionSearch = z.infer<typeof actionSearchSchema>;

/** Zod issues as one message that names each field: `subject.id: expected string`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`)
    .join('; ');
}

/**
 * Merges the evaluations defaults into one item, entity by entity: an item's `resource`
 * replaces the default, falling back to the default's `type` and `id` where the item has none
 * (the AuthZEN certification scenario's reading of section 7.1.1).
 */
export function mergeItem(
  defaults: EvaluationsRequest,
  item: Record<string, unknown>,
): z.ZodSafeParseResult<EvaluationRequest> {
  const pick = (name: 'subject' | 'resource' | 'action'): unknown => {
    const own = item[name];
    const base = defaults[name] as Record<string, unknown> | undefined;
    if (own === undefined) return base;
    if (!own || typeof own !== 'object' || Array.isArray(own) || !base) return own;
    const keys = name === 'action' ? ['name'] : ['type', 'id'];
    const merged: Record<string, unknown> = { ...(own as Record<string, unknown>) };
    for (const k of keys) if (merged[k] === undefined && base[k] !== undefined) merged[k] = base[k];
    return merged;
  };
  return evaluationSchema.safeParse({
    subject: pick('subject'),
    action: pick('action'),
    resource: pick('resource'),
    context: item['context'] ?? defaults.context,
  });
}
