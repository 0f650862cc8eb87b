import { z } from 'zod';
import { SEVERITIES } from '../../judge/finding.js';
import { component, cursorParam, Instant, limitParam, orderParam, textParam } from './common.js';
import { EntityKind } from './records.js';

export const Evidence = component(
  'Evidence',
  z.object({
    source: z.string(),
    format: z.string().optional(),
    field: z.string(),
    value: z.unknown(),
    asOf: Instant.optional(),
    runId: z.string().optional(),
    recordId: z.string().optional(),
  }),
  'Which source said what, in which field, as of when.',
);

export const Finding = component(
  'Finding',
  z.object({
    id: z.string(),
    kind: z.string().describe('e.g. unowned-asset, orphaned-credential, unrotated-credential'),
    severity: z.enum(SEVERITIES),
    subject: z.object({
      type: z.union([EntityKind, z.literal('source')])
        .describe('a record kind, or source for a source-silent finding (id source:<name>)'),
      id: z.string(),
      name: z.string(),
    }),
    message: z.string(),
    references: z.array(z.string()).describe('e.g. OWASP-NHI1:2025, NIST-CSF-2.0:ID.AM-08'),
    evidence: z.array(Evidence),
    status: z.enum(['open', 'closed']),
    openedAt: Instant,
    closedAt: Instant.nullable(),
    lastJudgedAt: Instant,
  }),
  'A judged problem with its subject, evidence and framework references.',
);

export const FindingPage = component(
  'FindingPage',
  z.object({ items: z.array(Finding), next: z.string().nullable() }),
);

export const FindingListQuery = z
  .object({
    kind: textParam(100).optional(),
    severity: z.enum(SEVERITIES).optional(),
    status: z.enum(['open', 'closed', 'all']).default('open'),
    subject: textParam(200).optional().describe('record id of the subject'),
    sort: z.enum(['severity', 'openedAt', 'id']).default('severity'),
    order: orderParam.default('desc'),
    limit: limitParam,
    cursor: cursorParam,
    format: z
      .enum(['json', 'csv'])
      .optional()
      .describe('csv exports every matching finding (also with Accept: text/csv)'),
  })
  .strict();
