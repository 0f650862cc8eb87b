/**
 * The API's response shapes, taken from the server's zod schemas (declared once, in
 * src/server/schemas). Type-only imports: nothing of the server is bundled.
 */
import type { z } from 'zod';
import type { Finding as FindingSchema, FindingPage } from '../../src/server/schemas/findings.js';
import type {
  HistoryPage as HistoryPageSchema,
  RecordDetail as RecordDetailSchema,
  RecordPage as RecordPageSchema,
  RecordSummary as RecordSummarySchema,
  Relation as RelationSchema,
  RelationList as RelationListSchema,
  Attribute as AttributeSchema,
  Claim as ClaimSchema,
} from '../../src/server/schemas/records.js';
import type { Run as RunSchema, RunPage as RunPageSchema } from '../../src/server/schemas/runs.js';
import type { Summary as SummarySchema } from '../../src/server/schemas/summary.js';
import type { Me as MeSchema } from '../../src/server/schemas/admin.js';
import type { DecisionLogItem } from '../../src/decide/log-item.js';

export type RecordSummary = z.output<typeof RecordSummarySchema>;
export type RecordDetail = z.output<typeof RecordDetailSchema>;
export type RecordPage = z.output<typeof RecordPageSchema>;
export type Attribute = z.output<typeof AttributeSchema>;
export type Claim = z.output<typeof ClaimSchema>;
export type Relation = z.output<typeof RelationSchema>;
export type RelationList = z.output<typeof RelationListSchema>;
export type HistoryPage = z.output<typeof HistoryPageSchema>;
export type Finding = z.output<typeof FindingSchema>;
export type FindingsPage = z.output<typeof FindingPage>;
export type Run = z.output<typeof RunSchema>;
export type RunPage = z.output<typeof RunPageSchema>;
export type Summary = z.output<typeof SummarySchema>;
export type Me = z.output<typeof MeSchema>;

/** One entry of the decision log (GET /api/v1/decisions), as src/decide/log-item.ts keeps it. */
export type DecisionEntry = DecisionLogItem;

export interface DecisionPage {
  readonly items: readonly DecisionEntry[];
  readonly next: string | null;
}
