import type { ChangeEvent, Store } from '../store/port.js';
import type { OffboardingAction, OffboardingPlan } from './plan-types.js';

/**
 * A CloudEvents 1.0 event in structured content mode (CloudEvents JSON Event Format 1.0):
 * the context attributes and `data` in one JSON object, sent as
 * `application/cloudevents+json`. Extension attributes are lower-case letters and digits.
 */
export interface CloudEvent {
  readonly specversion: '1.0';
  /** Unique within `source`; a consumer may treat a repeated source + id as a duplicate. */
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject?: string;
  readonly time: string;
  readonly datacontenttype: 'application/json';
  readonly data: unknown;
  readonly [extension: string]: unknown;
}

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';

/** Event types are reverse-DNS names, as the CloudEvents spec recommends. */
export const EVENT_TYPE_PREFIX = 'dev.roster.';
export const ACTION_EVENT_TYPE = `${EVENT_TYPE_PREFIX}offboarding.action`;

/**
 * The event that carries one offboarding action. Its id is the action id, the idempotency key:
 * every retry of the same action is the same event.
 */
export function actionEvent(
  plan: OffboardingPlan,
  action: OffboardingAction,
  source: string,
): CloudEvent {
  return {
    specversion: '1.0',
    id: action.id,
    source: `${source}/offboarding`,
    type: ACTION_EVENT_TYPE,
    subject: action.target.recordId,
    time: action.plannedAt,
    datacontenttype: 'application/json',
    rosterplan: plan.id,
    data: {
      idempotencyKey: action.id,
      planId: plan.id,
      action: action.type,
      target: action.target,
      reason: action.reason,
      retired: { id: plan.subject.id, name: plan.subject.name, kind: plan.subject.kind },
      trigger: plan.trigger,
      plannedAt: action.plannedAt,
      dueAt: action.dueAt,
    },
  };
}

/**
 * An inventory change (record added, changed, merged; finding opened or closed; offboarding
 * progress) as a CloudEvent: type `dev.roster.<event type>`, id from the event log's sequence.
 */
export function changeEvent(ev: ChangeEvent, source: string): CloudEvent {
  return {
    specversion: '1.0',
    id: `evt-${ev.seq}`,
    source,
    type: `${EVENT_TYPE_PREFIX}${ev.type}`,
    ...(ev.subjectId ? { subject: ev.subjectId } : {}),
    time: ev.at,
    datacontenttype: 'application/json',
    rosterseq: ev.seq,
    data: { ...ev.data, ...(ev.runId ? { runId: ev.runId } : {}) },
  };
}

/**
 * Change events after `afterSeq`, oldest first, as CloudEvents: what the server streams to
 * PEPs and SIEMs (issue #6) and what webhooks receive.
 *
 * @example for (const ev of await readEvents(store, lastSeen)) send(ev);
 */
export async function readEvents(
  store: Store,
  afterSeq: number,
  options: { limit?: number; source?: string } = {},
): Promise<CloudEvent[]> {
  const events = await store.events(afterSeq, options.limit ?? 1000);
  return events.map((e) => changeEvent(e, options.source ?? '/roster'));
}
