import { z } from 'zod';
import { logItem } from '../../decide/log-item.js';
import type { Store } from '../../store/port.js';
import type { SqliteDecisionLog } from '../../store/sqlite/decision-log.js';
import { ApiError, notFound } from '../errors.js';
import type { ApiExtension } from '../extensions.js';
import { recordByRef } from '../lookup.js';
import { booleanParam, component, Instant, limitParam, textParam } from '../schemas/common.js';
import { registerPolicyRoutes } from './policy-route.js';
import { acquireDecideApp, releaseDecideApp } from './shared-pdp.js';

const Party = z.object({
  type: z.string(),
  id: z.string().describe('as the request named it'),
  recordId: z.string().nullable().describe('the inventory record it resolved to, if any'),
});

export const DecisionFact = component(
  'DecisionFact',
  z.object({
    entity: z.enum(['subject', 'resource']),
    name: z.string().describe('the Cedar attribute, e.g. freshness, ownerStatus, trustTier'),
    value: z.unknown(),
    source: z.string().describe("the source that said it, 'roster' when Roster derived it"),
    field: z.string(),
    asOf: Instant.nullable(),
    text: z.string().describe('the fact in words'),
  }),
  'A fact a decision used, with where it came from and as of when.',
);

export const LoggedDecision = component(
  'LoggedDecision',
  z.object({
    id: z.string().describe('sortable id (ULID), the one returned to the caller'),
    at: Instant,
    decision: z.boolean(),
    subject: Party,
    action: z.object({ name: z.string() }),
    resource: Party,
    reasons: z.array(z.object({ code: z.string(), message: z.string() }))
      .describe('every reason code that applied, primary first (docs/decisions.md)'),
    policies: z.array(z.string()).describe('ids of the policies that decided'),
    facts: z.array(DecisionFact),
    message: z.string(),
    proof: z.object({
      kind: z.string(),
      ok: z.boolean(),
      spiffeId: z.string().nullable(),
      fingerprint: z.string().nullable().describe('SHA-256; the proof itself is never kept'),
    }).nullable(),
    policySet: z.string().nullable().describe('digest of the policy set in force'),
  }),
  'One access decision as the decision log keeps it.',
);

export const DecisionPage = component(
  'DecisionPage',
  z.object({ items: z.array(LoggedDecision), next: z.string().nullable() }),
);

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

const DecisionListQuery = z.object({
  decision: booleanParam.optional().describe('true: allowed only; false: denied only'),
  subject: textParam(500, 1).optional()
    .describe('the subject id as requests named it'),
  record: textParam(1024, 1).optional()
    .describe('an inventory record, by its id or any of its keys: decisions whose subject or ' +
      'resource resolved to it (several records with that key are a 409)'),
  limit: limitParam,
  cursor: z.string().regex(ULID, 'a decision id from a previous page').optional()
    .describe("the 'next' value of the previous page"),
}).strict();

const DecisionIdParams = z.object({ id: z.string().regex(ULID, 'a decision id (ULID)') }).strict();

/**
 * The record id a `record` filter means: the one record its id or key names, else the text
 * itself (the id of a record merged or gone since, which old decisions still name).
 */
async function recordIdOf(store: Store, ref: string): Promise<string> {
  try {
    return (await recordByRef(store, ref)).id;
  } catch (err) {
    if (err instanceof ApiError && err.code === 'NOT_FOUND') return ref;
    throw err;
  }
}

/**
 * `GET /api/v1/decisions` (newest first, keyset pages, filters), `GET /api/v1/decisions/:id`
 * and the policy reload of policy-route.ts
 * over the decision log of the server's decision point (shared with the AuthZEN endpoints, so
 * a decision just made is listed: the log flushes its buffer before it reads).
 */
export const decisionLogExtension: ApiExtension = {
  name: 'decisions',
  register: async (api) => {
    const { server, ctx, route } = api;
    const pdp = await acquireDecideApp(ctx.app, ctx.clock);
    registerPolicyRoutes(api, pdp);
    server.addHook('onClose', async () => releaseDecideApp(ctx.app));
    const log: SqliteDecisionLog = pdp.log;
    route({
      method: 'GET',
      url: '/api/v1/decisions',
      operationId: 'listDecisions',
      summary: 'The decision log, newest first',
      description: 'Every AuthZEN decision with its reasons, deciding policies and facts used.',
      tag: 'decisions',
      scope: 'read',
      query: DecisionListQuery,
      response: DecisionPage,
      handler: async ({ query }) => {
        const record = query.record ? await recordIdOf(ctx.app.store, query.record) : undefined;
        const rows = log.list({
          limit: query.limit + 1,
          ...(query.decision !== undefined ? { decision: query.decision } : {}),
          ...(query.subject ? { subject: query.subject } : {}),
          ...(record ? { record } : {}),
          ...(query.cursor ? { before: query.cursor } : {}),
        });
        const items = rows.slice(0, query.limit).map(logItem);
        return { items, next: rows.length > query.limit ? items[items.length - 1]!.id : null };
      },
    });
    route({
      method: 'GET',
      url: '/api/v1/decisions/:id',
      operationId: 'getDecision',
      summary: 'One decision of the log',
      tag: 'decisions',
      scope: 'read',
      params: DecisionIdParams,
      response: LoggedDecision,
      errors: [404],
      handler: async ({ params }) => {
        const row = log.get(params.id);
        if (!row) throw notFound('decision');
        return logItem(row);
      },
    });
  },
};
