import { z } from 'zod';
import {
  ADMISSIONS,
  CRITICALITIES,
  ENTITY_KINDS,
  LIFECYCLE_STAGES,
} from '../../model/types.js';
import {
  component, cursorParam, Instant, Key, limitParam, orderParam, textParam,
} from './common.js';

const RELATION_TYPES = [
  'runs-on', 'belongs-to', 'owned-by', 'hosted-on', 'issued-by', 'names', 'instance-of',
] as const;

export const EntityKind = z.enum(ENTITY_KINDS);

export const RecordSummary = component(
  'RecordSummary',
  z.object({
    id: z.string(),
    kind: EntityKind,
    name: z.string(),
    keys: z.array(Key),
    admission: z.enum(ADMISSIONS),
    lifecycle: z.enum(LIFECYCLE_STAGES).nullable(),
    owner: z.string().nullable(),
    environment: z.string().nullable(),
    criticality: z.enum(CRITICALITIES).nullable(),
    class: z.string().nullable(),
    runState: z.string().nullable().optional().describe(
      'assets: the run state a source that still lists the asset reports (running, stopped, ' +
      '...), or missing once none does; null when no source says'),
    runStateLastReported: z.object({ value: z.string(), source: z.string(),
      missingSince: Instant }).optional()
      .describe('assets whose runState is missing: what was last reported, by whom, since when'),
    lastSeen: z.record(z.string(), Instant).describe('newest sighting per source'),
    firstSeen: Instant,
    updatedAt: Instant,
  }),
  'A reconciled asset, identity, credential or owner, as listed.',
);

const AttrValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);

export const Claim = component(
  'Claim',
  z.object({
    value: AttrValue,
    source: z.string(),
    format: z.string(),
    runId: z.string(),
    asOf: Instant,
    field: z.string().optional(),
  }),
  "One source's claim for one attribute, with its as-of time.",
);

export const Attribute = component(
  'Attribute',
  Claim.extend({ conflicts: z.array(Claim) }),
  'A merged attribute: the winning claim and every disagreeing one.',
);

export const Sighting = component(
  'Sighting',
  z.object({
    source: z.string(),
    format: z.string(),
    scope: z.string(),
    runId: z.string(),
    lastSeen: Instant,
    discovered: z.boolean(),
    status: z.enum(['present', 'missing']),
    missingSince: Instant.optional(),
  }),
);

export const KeyConflict = component(
  'KeyConflict',
  z.object({
    keyType: z.string(),
    values: z.array(z.string()),
    recordIds: z.array(z.string()),
    source: z.string(),
    asOf: Instant,
  }),
  'A merge refused because two strong keys disagreed.',
);

export const RecordDetail = component(
  'Record',
  RecordSummary.extend({
    attributes: z.record(z.string(), Attribute),
    sightings: z.array(Sighting),
    keyConflicts: z.array(KeyConflict),
  }),
  'The merged record with every attribute\'s provenance.',
);

export const RecordPage = component(
  'RecordPage',
  z.object({ items: z.array(RecordSummary), next: z.string().nullable() }),
);

export const Relation = component(
  'Relation',
  z.object({
    type: z.enum(RELATION_TYPES),
    direction: z.enum(['out', 'in']),
    other: z.object({
      id: z.string().nullable(),
      kind: EntityKind.nullable(),
      name: z.string().nullable(),
      key: Key.nullable().describe('the key the relation names, when no record holds it yet'),
    }),
    source: z.string(),
  }),
  'A relation of a record, resolved to the record at the other end where one exists.',
);

export const RelationList = component(
  'RelationList',
  z.object({ recordId: z.string(), items: z.array(Relation) }),
);

export const HistoryEvent = component(
  'HistoryEvent',
  z.object({
    seq: z.number().int(),
    at: Instant,
    type: z.string().describe('record.added, record.changed, record.merged, finding.opened, ...'),
    runId: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
  }),
);

export const HistoryPage = component(
  'HistoryPage',
  z.object({ recordId: z.string(), items: z.array(HistoryEvent), next: z.string().nullable() }),
);

export const RecordListQuery = z
  .object({
    q: textParam(200, 1).optional().describe('substring of a name or key value'),
    admission: z.enum(ADMISSIONS).optional(),
    lifecycle: z.enum(LIFECYCLE_STAGES).optional(),
    environment: textParam(100).optional(),
    criticality: z.enum(CRITICALITIES).optional(),
    owner: textParam(200).optional().describe('owner display name'),
    unowned: z.enum(['true']).optional().describe('only assets and identities nobody owns'),
    sort: z.enum(['name', 'updatedAt', 'firstSeen', 'id']).default('name'),
    order: orderParam.default('asc'),
    limit: limitParam,
    cursor: cursorParam,
  })
  .strict();

export const AnyRecordListQuery = RecordListQuery.extend({ kind: EntityKind.optional() }).strict();

export const RefParams = z
  .object({ ref: z.string().min(1).max(2048).describe('record id, `type:value` key, or bare key') })
  .strict();

export const HistoryQuery = z
  .object({ limit: limitParam, cursor: z.string().regex(/^\d+$/).optional() })
  .strict();
