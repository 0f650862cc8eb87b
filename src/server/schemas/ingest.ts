import { z } from 'zod';
import { component, textParam } from './common.js';
import { Run, RunCounts } from './runs.js';
import { userScopeProblem } from '../../model/scopes.js';
import { isKnownZone } from '../../model/time.js';
import { splitTypes } from '../../sources/format.js';
import { formatProblem, typesProblem } from '../../sources/registry.js';

export const Problem = component(
  'Problem',
  z.object({
    file: z.string(),
    line: z.number().int().optional(),
    item: z.number().int().optional().describe('a JSON document\'s record number, for readers ' +
      'that cannot know its line'),
    field: z.string().optional(),
    message: z.string(),
    code: z.string(),
    rows: z.number().int().optional().describe('how many rows a rejection stands for when ' +
      'more than one (the lines a badly quoted CSV record took); the run\'s rejected count ' +
      'adds them up'),
  }),
  'A rejected row or a warning, naming file, line (or item) and field.',
);

export const FileOutcome = component(
  'IngestFile',
  z.object({
    file: z.string(),
    format: z.string().nullable(),
    run: Run.nullable().describe('absent when nothing was stored'),
    counts: RunCounts.nullable(),
    rejections: z.array(Problem),
    warnings: z.array(Problem),
    rejectionsTotal: z.number().int(),
    warningsTotal: z.number().int(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
  }),
  'One uploaded file: one run, committed whole or not at all.',
);

export const IngestResult = component(
  'IngestResult',
  z.object({
    files: z.array(FileOutcome),
    judged: z
      .object({
        at: z.iso.datetime(),
        open: z.number().int(),
        opened: z.number().int(),
        closed: z.number().int(),
      })
      .nullable(),
  }),
);

export const IngestQuery = z
  .object({
    format: textParam(100).optional().describe(
      'format name; when absent, taken from a mapping part, else detected from content'),
    filename: textParam(255).optional().describe('file name for messages (raw bodies)'),
    asOf: textParam(64).optional().describe('generation time when the file has none'),
    scope: textParam(500).superRefine((v, ctx) => {
      const problem = userScopeProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }).optional(),
    timezone: textParam(64).refine(isKnownZone, { message: 'unknown time zone' }).optional(),
    complete: z.enum(['true', 'false']).optional(),
    types: textParam(2000).refine((v) => splitTypes(v).length > 0, {
      message: 'no type given',
    }).optional().describe('object types the export was asked for, ' +
      "comma-separated: gcloud's --asset-types ('*' for all), kubectl get's resources"),
    judge: z.enum(['true', 'false']).default('true'),
  })
  .strict()
  .superRefine((q, ctx) => {
    // Refused before any file is read, as roster ingest --format F --types T is.
    if (q.format === undefined) return;
    const unknown = formatProblem(q.format);
    if (unknown) ctx.addIssue({ code: 'custom', path: ['format'], message: unknown });
    const problem = !unknown && q.types ? typesProblem(q.format, splitTypes(q.types)) : undefined;
    if (problem) ctx.addIssue({ code: 'custom', path: ['types'], message: problem });
  });
