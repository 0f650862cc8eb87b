import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { EntityKind } from '../../model/types.js';
import type { RecordPageQuery } from '../../store/api-port.js';
import type { ResolvedEdge } from '../../store/port.js';
import type { ServerContext } from '../context.js';
import { BY_REF, recordByRef } from '../lookup.js';
import { historyJson, recordDetail, recordSummary } from '../present.js';
import {
  AnyRecordListQuery,
  HistoryPage,
  HistoryQuery,
  RecordDetail,
  RecordListQuery,
  RecordPage,
  RefParams,
  RelationList,
} from '../schemas/records.js';

const PLURAL: Record<EntityKind, string> = {
  asset: 'assets',
  identity: 'identities',
  credential: 'credentials',
  owner: 'owners',
};

const TITLE: Record<EntityKind, string> = {
  asset: 'Assets',
  identity: 'Identities',
  credential: 'Credentials',
  owner: 'Owners',
};

type ListQuery = z.output<typeof AnyRecordListQuery>;

function pageQuery(q: ListQuery, kind: EntityKind | undefined): RecordPageQuery {
  const owner = q.unowned ? null : q.owner;
  return {
    ...(kind ? { kind } : {}),
    ...(q.admission ? { admission: q.admission } : {}),
    ...(q.lifecycle ? { lifecycle: q.lifecycle } : {}),
    ...(q.environment ? { environment: q.environment } : {}),
    ...(q.criticality ? { criticality: q.criticality } : {}),
    ...(owner !== undefined ? { owner } : {}),
    ...(q.q ? { q: q.q } : {}),
    ...(q.cursor ? { cursor: q.cursor } : {}),
    sort: q.sort,
    order: q.order,
    limit: q.limit,
  };
}

async function listPage(ctx: ServerContext, q: ListQuery, kind: EntityKind | undefined) {
  const page = await ctx.stores.queries.pageRecords(pageQuery(q, kind));
  return { items: page.items.map(recordSummary), next: page.next ?? null };
}

/** List and get routes of one kind: `/api/v1/assets`, `/api/v1/assets/:ref`, ... */
function registerKind(server: FastifyInstance, ctx: ServerContext, kind: EntityKind): void {
  const plural = PLURAL[kind];
  ctx.router.add(server, {
    method: 'GET',
    url: `/api/v1/${plural}`,
    operationId: `list${TITLE[kind]}`,
    summary: `List ${plural}`,
    description:
      'Filters combine with AND; `q` finds a substring of a name or key value. Pages follow ' +
      "the `next` cursor; a cursor only fits the sort it was made with.",
    tag: 'inventory',
    scope: 'read',
    query: RecordListQuery,
    response: RecordPage,
    handler: ({ query }) => listPage(ctx, query, kind),
  });
  ctx.router.add(server, {
    method: 'GET',
    url: `/api/v1/${plural}/:ref`,
    operationId: `get${kind[0]!.toUpperCase()}${kind.slice(1)}`,
    summary: `Get one ${kind} by id or any key`,
    description: BY_REF,
    tag: 'inventory',
    scope: 'read',
    params: RefParams,
    response: RecordDetail,
    errors: [404, 409],
    handler: async ({ params }) => recordDetail(await recordByRef(ctx.app.store, params.ref, kind)),
  });
}

export function registerRecordRoutes(server: FastifyInstance, ctx: ServerContext): void {
  for (const kind of Object.keys(PLURAL) as EntityKind[]) registerKind(server, ctx, kind);
  ctx.router.add(server, {
    method: 'GET',
    url: '/api/v1/records',
    operationId: 'listRecords',
    summary: 'List and search records of every kind',
    tag: 'inventory',
    scope: 'read',
    query: AnyRecordListQuery,
    response: RecordPage,
    handler: ({ query }) => listPage(ctx, query, query.kind),
  });
  ctx.router.add(server, {
    method: 'GET',
    url: '/api/v1/records/:ref',
    operationId: 'getRecord',
    summary: 'Get one record of any kind by id or any key',
    description: BY_REF,
    tag: 'inventory',
    scope: 'read',
    params: RefParams,
    response: RecordDetail,
    errors: [404, 409],
    handler: async ({ params }) => recordDetail(await recordByRef(ctx.app.store, params.ref)),
  });
  registerRecordParts(server, ctx);
}

/** History and relations of a record, by a reference as `GET /records/{ref}` takes. */
function registerRecordParts(server: FastifyInstance, ctx: ServerContext): void {
  ctx.router.add(server, {
    method: 'GET',
    url: '/api/v1/records/:ref/history',
    operationId: 'getRecordHistory',
    summary: "A record's change history, oldest first",
    description: 'From the change-event log: additions, attribute and admission changes, ' +
      `merges, and findings opened and closed. ${BY_REF}`,
    tag: 'inventory',
    scope: 'read',
    params: RefParams,
    query: HistoryQuery,
    response: HistoryPage,
    errors: [404, 409],
    handler: async ({ params, query }) => {
      const { id } = await recordByRef(ctx.app.store, params.ref);
      const afterSeq = query.cursor ? Number(query.cursor) : 0;
      const page = { afterSeq, limit: query.limit + 1 };
      const events = await ctx.stores.queries.history(id, page);
      const items = events.slice(0, query.limit).map(historyJson);
      const next = events.length > query.limit ? String(items[items.length - 1]!.seq) : null;
      return { recordId: id, items, next };
    },
  });
  ctx.router.add(server, {
    method: 'GET',
    url: '/api/v1/records/:ref/relations',
    operationId: 'getRecordRelations',
    summary: "A record's relations, resolved to the records at the other end",
    description: BY_REF,
    tag: 'inventory',
    scope: 'read',
    params: RefParams,
    response: RelationList,
    errors: [404, 409],
    handler: async ({ params }) => {
      const { id } = await recordByRef(ctx.app.store, params.ref);
      return { recordId: id, items: await relationsOf(ctx, id) };
    },
  });
}

async function relationsOf(ctx: ServerContext, id: string) {
  const edges = (await ctx.app.store.edgesOf([id])).filter((e) => e.fromId === id || e.toId === id);
  const others = edges.map((e) => otherEnd(e, id).id).filter((x): x is string => x !== null);
  const names = await ctx.stores.queries.names(others);
  const items = edges.map((e) => {
    const other = otherEnd(e, id);
    const known = other.id ? names.get(other.id) : undefined;
    return {
      type: e.type,
      direction: e.fromId === id ? ('out' as const) : ('in' as const),
      other: {
        id: other.id,
        kind: known?.kind ?? null,
        name: known?.name ?? null,
        key: other.key ? { type: other.key.type, value: other.key.value } : null,
      },
      source: e.source,
    };
  });
  return items.sort((a, b) =>
    `${a.type}\u0000${a.other.name ?? ''}`.localeCompare(`${b.type}\u0000${b.other.name ?? ''}`));
}

function otherEnd(e: ResolvedEdge, id: string) {
  return e.fromId === id ? { id: e.toId, key: e.toKey } : { id: e.fromId, key: e.fromKey };
}
