import { z } from 'zod';
import { component, cursorParam, Instant, limitParam } from './common.js';

export const RunCounts = component(
  'RunCounts',
  z.object({
    added: z.number().int(),
    changed: z.number().int(),
    unchanged: z.number().int(),
    missing: z.number().int(),
    rejected: z.number().int(),
    warnings: z.number().int(),
    older: z.number().int().describe('observations older than what the store holds (ignored)'),
  }),
);

export const Run = component(
  'Run',
  z.object({
    id: z.string(),
    format: z.string(),
    source: z.string(),
    file: z.string().describe('base name of the file read (never its folder on the server)'),
    asOf: Instant,
    asOfOrigin: z.enum(['file', 'flag', 'mtime', 'clock']),
    complete: z.boolean(),
    scopes: z.array(z.string()),
    startedAt: Instant,
    finishedAt: Instant.nullable(),
    status: z.enum(['running', 'committed', 'failed']),
    counts: RunCounts.nullable(),
  }),
  'One ingest of one file: when its source generated it and what it covered.',
);

export const RunPage = component(
  'RunPage',
  z.object({ items: z.array(Run), next: z.string().nullable() }),
);

export const RunListQuery = z.object({ limit: limitParam, cursor: cursorParam }).strict();
