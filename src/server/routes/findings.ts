import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { spreadsheetSafe } from '../../present/csv-cell.js';
import type { FindingPageQuery } from '../../store/api-port.js';
import type { StoredFinding } from '../../store/port.js';
import type { ServerContext } from '../context.js';
import { notFound } from '../errors.js';
import { findingJson } from '../present.js';
import { IdParams } from '../schemas/common.js';
import { Finding, FindingListQuery, FindingPage } from '../schemas/findings.js';

type ListQuery = z.output<typeof FindingListQuery>;

const CSV_COLUMNS = [
  'id', 'kind', 'severity', 'status', 'subject_type', 'subject_id', 'subject_name', 'message',
  'references', 'opened_at', 'closed_at',
];

function pageQuery(q: ListQuery, limit: number, cursor?: string): FindingPageQuery {
  return {
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.severity ? { severity: q.severity } : {}),
    ...(q.subject ? { subjectId: q.subject } : {}),
    ...(cursor ? { cursor } : {}),
    status: q.status,
    sort: q.sort,
    order: q.order,
    limit,
  };
}

/** CSV when asked by `format=csv`, or by an Accept header that prefers text/csv to JSON. */
function wantsCsv(q: ListQuery, request: FastifyRequest): boolean {
  if (q.format) return q.format === 'csv';
  const accept = request.headers.accept ?? '';
  return accept.includes('text/csv') && !accept.includes('application/json');
}

function csvRow(f: StoredFinding): string[] {
  return [
    f.id, f.kind, f.severity, f.status, f.subject.type, f.subject.id, f.subject.name, f.message,
    f.references.join(' '), f.openedAt, f.closedAt ?? '',
  ].map(spreadsheetSafe);
}

/** Every matching finding, page by page, so that a large export streams in bounded memory. */
async function* csvChunks(ctx: ServerContext, q: ListQuery): AsyncGenerator<string> {
  yield stringify([CSV_COLUMNS]);
  let cursor: string | undefined;
  do {
    const page = await ctx.stores.queries.pageFindings(pageQuery(q, 1000, cursor));
    if (page.items.length) yield stringify(page.items.map(csvRow));
    cursor = page.next;
  } while (cursor);
}

export function registerFindingRoutes(server: FastifyInstance, ctx: ServerContext): void {
  ctx.router.add(server, {
    method: 'GET',
    url: '/api/v1/findings',
    operationId: 'listFindings',
    summary: 'List findings, or export them as CSV',
    description: 'Open findings by default, most severe first. With `format=csv` or ' +
      '`Accept: text/csv` the answer is every matching finding as CSV (no paging).',
    tag: 'findings',
    scope: 'read',
    query: FindingListQuery,
    response: FindingPage,
    alsoProduces: { 'text/csv': 'every matching finding, one per row, with a header row' },
    handler: async ({ query, request, reply }) => {
      if (wantsCsv(query, request)) {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="roster-findings.csv"')
          .send(Readable.from(csvChunks(ctx, query)));
      }
      const q = pageQuery(query, query.limit, query.cursor);
      const page = await ctx.stores.queries.pageFindings(q);
      return { items: page.items.map(findingJson), next: page.next ?? null };
    },
  });
  ctx.router.add(server, {
    method: 'GET',
    url: '/api/v1/findings/:id',
    operationId: 'getFinding',
    summary: 'Get one finding with its evidence and references',
    tag: 'findings',
    scope: 'read',
    params: IdParams,
    response: Finding,
    errors: [404],
    handler: async ({ params }) => {
      const f = await ctx.stores.queries.getFinding(params.id);
      if (!f) throw notFound('finding');
      return findingJson(f);
    },
  });
}
