import { z } from 'zod';
import { ACTION_STATES } from '../../lifecycle/plan-types.js';
import { LIFECYCLE_STAGES } from '../../model/types.js';
import { component, Instant, Key, textParam } from './common.js';
import { EntityKind, RecordSummary } from './records.js';

const Reason = textParam(1000, 1).optional().describe('why; kept with the decision');

export const AdmitBody = component(
  'AdmitRequest',
  z.object({
    owner: z.string().trim().min(1).max(200).pipe(textParam(200)),
    purpose: z.string().trim().min(1).max(1000).pipe(textParam(1000)),
    reason: Reason,
  }).strict(),
);

export const ReasonBody = component(
  'ReasonRequest',
  z.object({ reason: Reason }).strict(),
);

export const RetireBody = component(
  'RetireRequest',
  z.object({
    to: z.enum(['retired', 'decommissioning']).default('retired'),
    reason: Reason,
  }).strict(),
);

export const TransitionBody = component(
  'TransitionRequest',
  z.object({ to: z.enum(LIFECYCLE_STAGES), reason: Reason }).strict(),
);

export const PlanTrigger = component(
  'PlanTrigger',
  z.object({
    dimension: z.enum(['lifecycle', 'admission']),
    from: z.string().nullable(),
    to: z.string(),
    source: z.string(),
    format: z.string().optional(),
    runId: z.string().optional(),
    asOf: Instant,
    by: z.string().optional(),
    reason: z.string().optional(),
  }),
  'The move that started offboarding, with its provenance.',
);

const Confirmation = z.object({
  source: z.string(),
  format: z.string(),
  runId: z.string(),
  asOf: Instant,
  field: z.string(),
  value: z.unknown(),
});

export const OffboardingAction = component(
  'OffboardingAction',
  z.object({
    id: z.string().describe('stable; also the idempotency key receivers deduplicate on'),
    type: z.string().describe('e.g. aws-access-key.deactivate-delete, certificate.revoke'),
    target: z.object({
      recordId: z.string(),
      kind: EntityKind,
      name: z.string(),
      keys: z.array(Key),
      details: z.record(z.string(), z.string()),
    }),
    reason: z.string(),
    via: z.string().optional(),
    state: z.enum(ACTION_STATES).describe('stored state; `overdue` once past dueAt'),
    plannedAt: Instant,
    dueAt: Instant,
    sentAt: Instant.optional(),
    sentBy: z.string().optional(),
    confirmedAt: Instant.optional(),
    confirmation: Confirmation.optional(),
    failedAt: Instant.optional(),
    lastError: z.string().optional(),
  }),
  'One revocation in an offboarding plan.',
);

const SharedIdentity = z.object({
  recordId: z.string(),
  name: z.string(),
  alsoServes: z.array(z.object({ id: z.string(), name: z.string() })),
});

export const OffboardingPlan = component(
  'OffboardingPlan',
  z.object({
    id: z.string(),
    subject: z.object({ id: z.string(), kind: EntityKind, name: z.string(), keys: z.array(Key) }),
    trigger: PlanTrigger,
    state: z.enum(['open', 'completed']),
    createdAt: Instant,
    completedAt: Instant.optional(),
    actions: z.array(OffboardingAction),
    shared: z.array(SharedIdentity).describe('identities flagged, not revoked: they serve others'),
  }),
  'What retiring an asset or identity revokes: one action per credential it leaves behind.',
);

export const PlanList = component('PlanList', z.object({ items: z.array(OffboardingPlan) }));

export const PlanListQuery = z
  .object({
    state: z.enum(['open', 'completed']).optional(),
    subject: textParam(200).optional().describe('record id of the retired thing'),
  })
  .strict();

export const CloudEvent = component(
  'CloudEvent',
  z.looseObject({
    specversion: z.literal('1.0'),
    id: z.string(),
    source: z.string(),
    type: z.string(),
    subject: z.string().optional(),
    time: Instant,
    datacontenttype: z.literal('application/json'),
    data: z.unknown(),
  }),
  'A CloudEvents 1.0 event in structured JSON form.',
);

export const DryRun = component(
  'OffboardingDryRun',
  z.object({
    plan: OffboardingPlan,
    executor: z.string().describe('the configured executor that would send the actions'),
    events: z.array(CloudEvent).describe('what a webhook or command would receive'),
  }),
  'The plan a retirement would start, computed and not stored.',
);

export const LifecycleResult = component(
  'LifecycleResult',
  z.object({
    record: RecordSummary.describe('the record after the decision'),
    runId: z.string().describe('the run of roster-admission or roster-attestation that holds it'),
    plans: z.array(OffboardingPlan).describe('offboarding plans of the record, if any'),
  }),
  'The outcome of an operator decision.',
);

export const Evidence = component(
  'OffboardingEvidence',
  z.object({
    planId: z.string(),
    complete: z.boolean(),
    summary: z.string(),
    retired: z.object({
      id: z.string(),
      kind: z.string(),
      name: z.string(),
      keys: z.array(z.string()),
      transition: z.string(),
      source: z.string(),
      runId: z.string().nullable(),
      asOf: Instant,
      by: z.string().nullable(),
      reason: z.string().nullable(),
    }),
    actions: z.array(z.object({
      id: z.string(),
      type: z.string(),
      target: z.object({ recordId: z.string(), name: z.string(), kind: z.string() }),
      identifiers: z.record(z.string(), z.string()),
      reason: z.string(),
      state: z.string(),
      plannedAt: Instant,
      sentAt: Instant.nullable(),
      sentBy: z.string().nullable(),
      confirmedAt: Instant.nullable(),
      confirmedBy: Confirmation.nullable(),
    })),
    sharedIdentities: z.array(SharedIdentity),
    plannedAt: Instant,
    completedAt: Instant.nullable(),
    references: z.array(z.string()).describe('OWASP-NHI1:2025, OWASP-NHI7:2025, ID.AM-08'),
    generatedAt: Instant,
  }),
  'The whole story of one offboarding: what was retired, what ran, what confirmed it.',
);

export const AttestationDue = component(
  'AttestationDue',
  z.object({
    recordId: z.string(),
    name: z.string(),
    kind: z.string(),
    owner: z.string(),
    criticality: z.string().nullable(),
    since: Instant,
    basis: z.enum(['attested', 'admitted', 'first-seen']),
    intervalDays: z.number(),
    dueAt: Instant,
    status: z.enum(['ok', 'due', 'overdue']),
    attestedBy: z.string().nullable(),
  }),
  'When an owner must next confirm a record is still needed.',
);

export const AttestationList = component(
  'AttestationList',
  z.object({ at: Instant, items: z.array(AttestationDue) }),
);

export const AttestationQuery = z
  .object({
    owner: z.string().max(200).optional(),
    all: z.enum(['true', 'false']).default('false').describe('also those not yet due'),
  })
  .strict();

export const Transition = component(
  'Transition',
  z.object({
    id: z.string(),
    recordId: z.string(),
    recordName: z.string(),
    dimension: z.enum(['lifecycle', 'admission']),
    from: z.string().nullable(),
    to: z.string().nullable(),
    source: z.string(),
    format: z.string().nullable(),
    runId: z.string().nullable(),
    at: Instant,
    by: z.string().nullable(),
    reason: z.string().nullable(),
    legal: z.boolean().describe('false: a source reported a move the state machine forbids'),
    note: z.string().nullable(),
    eventSeq: z.number().int(),
  }),
  'An admission or lifecycle move: who, when, why and from which source.',
);

export const TransitionList = component(
  'TransitionList',
  z.object({ items: z.array(Transition) }),
);

export const TransitionQuery = z
  .object({
    record: textParam(200).optional().describe('record id'),
    flagged: z.enum(['true']).optional().describe('only moves the state machine forbids'),
    limit: z.coerce.number().int().min(1).max(5000).default(500),
  })
  .strict();

export const EventPage = component(
  'EventPage',
  z.object({
    items: z.array(CloudEvent),
    next: z.string().describe("pass as 'after' to read on; the same value when nothing is new"),
  }),
  'Change events, oldest first.',
);

export const EventQuery = z
  .object({
    after: z.string().regex(/^\d{1,15}$/).default('0').describe('sequence number last seen'),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

export const EventStreamQuery = z
  .object({
    after: z.string().regex(/^\d{1,15}$/).optional()
      .describe('sequence number last seen (or the Last-Event-ID header); default: from now'),
  })
  .strict();
