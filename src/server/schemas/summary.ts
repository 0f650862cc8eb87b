import { z } from 'zod';
import { component, Instant } from './common.js';

const Counts = z.record(z.string(), z.number().int());
const CountsByKind = z.record(z.string(), Counts).describe('kind → value → count');

export const FindingsPoint = component(
  'FindingsPoint',
  z.object({
    at: Instant.describe('when the judgement ran'),
    open: z.number().int(),
    opened: z.number().int(),
    closed: z.number().int(),
    bySeverity: Counts,
  }),
  'Open findings right after one judgement.',
);

export const Summary = component(
  'Summary',
  z.object({
    records: Counts.describe('records by kind'),
    byAdmission: CountsByKind,
    byLifecycle: CountsByKind,
    byEnvironment: CountsByKind,
    findingsByKind: Counts.describe('open findings by kind'),
    findingsBySeverity: Counts.describe('open findings by severity'),
    findingsOverTime: z.array(FindingsPoint),
  }),
  'Counts for an overview; a missing value is counted under `none`.',
);

export const FormatInfo = component(
  'FormatInfo',
  z.object({
    name: z.string(),
    source: z.string(),
    systemOfRecord: z.boolean(),
    description: z.string(),
  }),
  'An input format the ingest endpoint reads.',
);

export const FormatList = component('FormatList', z.object({ items: z.array(FormatInfo) }));

export const Health = component('Health', z.object({ status: z.enum(['ok']) }));

export const Readiness = component(
  'Readiness',
  z.object({ status: z.enum(['ready', 'starting']), reason: z.string().optional() }),
);
