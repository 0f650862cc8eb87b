import { z } from 'zod';
import { API_ERROR_CODES } from '../errors.js';
import { hasControl } from '../../present/visible.js';

/** Named schemas published under `#/components/schemas` of the OpenAPI document. */
export const components = z.registry<{ id: string; description?: string }>();

/** Declares a schema once and names it in the OpenAPI document. */
export function component<T extends z.ZodType>(id: string, schema: T, description?: string): T {
  components.add(schema, description ? { id, description } : { id });
  return schema;
}

/** Canonical UTC instant, as `Date#toISOString()` writes it. */
export const Instant = z.iso.datetime();

export const ErrorBody = component(
  'Error',
  z.object({
    error: z.object({
      code: z.enum(API_ERROR_CODES),
      message: z.string(),
      requestId: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  }),
  'Every error: a stable code, a message for people, and the request id to quote.',
);

export const Key = component(
  'Key',
  z.object({ type: z.string(), value: z.string() }),
  'An identifier of a record, normalised by its type (e.g. aws-instance-id, hostname).',
);

export const limitParam = z.coerce
  .number()
  .int()
  .min(1)
  .max(500)
  .default(50)
  .describe('page size (1-500)');

export const cursorParam = z
  .string()
  .max(2000)
  .optional()
  .describe("the 'next' value of the previous page");

export const orderParam = z.enum(['asc', 'desc']);

export const booleanParam = z.enum(['true', 'false']).transform((v) => v === 'true');

export const IdParams = z.object({ id: z.string().min(1).max(200) }).strict();

/**
 * A free-text parameter (a search, a filter value, a name): at most `max` characters and no
 * control character (C0, DEL, C1) or bidi control, which no name, key or search needs and
 * which would reach logs, SQL and people's terminals. A 400 names the parameter.
 */
export function textParam(max: number, min = 0) {
  return z.string().min(min).max(max).refine((v) => !hasControl(v), {
    message: 'must not hold control characters (C0, DEL, C1) or bidi controls',
  });
}
