import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { notFound } from '../errors.js';
import { runJson } from '../present.js';
import { IdParams } from '../schemas/common.js';
import { Run, RunListQuery, RunPage } from '../schemas/runs.js';
import { FormatList, Summary } from '../schemas/summary.js';
import { Me } from '../schemas/admin.js';

export function registerRunRoutes(server: FastifyInstance, ctx: ServerContext): void {
  ctx.router.add(server, {
    method: 'GET',
    url: '/api/v1/runs',
    operationId: 'listRuns',
    summary: 'List ingest runs, newest first',
    tag: 'runs',
    scope: 'read',
    query: RunListQuery,
    response: RunPage,
    handler: async ({ query }) => {
      const page = await ctx.stores.queries.pageRuns({
        limit: query.limit,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      return { items: page.items.map(runJson), next: page.next ?? null };
    },
  });
  ctx.router.add(server, {
    method: 'GET',
    url: '/api/v1/runs/:id',
    operationId: 'getRun',
    summary: 'Get one run',
    tag: 'runs',
    scope: 'read',
    params: IdParams,
    response: Run,
    errors: [404],
    handler: async ({ params }) => {
      const run = await ctx.stores.queries.getRun(params.id);
      if (!run) throw notFound('run');
      return runJson(run);
    },
  });
}

/** Overview counts, the formats that can be uploaded, and who the caller is. */
export function registerOverviewRoutes(server: FastifyInstance, ctx: ServerContext): void {
  ctx.router.add(server, {
    method: 'GET',
    url: '/api/v1/summary',
    operationId: 'getSummary',
    summary: 'Counts by kind, admission, lifecycle and environment; findings and their trend',
    tag: 'overview',
    scope: 'read',
    response: Summary,
    handler: async () => {
      const s = await ctx.stores.queries.summary();
      return { ...s, findingsOverTime: s.findingsOverTime.map((p) => ({ ...p })) };
    },
  });
  ctx.router.add(server, {
    method: 'GET',
    url: '/api/v1/formats',
    operationId: 'listFormats',
    summary: 'Input formats the ingest endpoint reads',
    tag: 'ingest',
    scope: 'any',
    response: FormatList,
    handler: async () => ({
      items: ctx.formats.list().map((f) => ({
        name: f.name,
        source: f.source,
        systemOfRecord: f.systemOfRecord,
        description: f.description,
      })),
    }),
  });
  ctx.router.add(server, {
    method: 'GET',
    url: '/api/v1/me',
    operationId: 'getMe',
    summary: 'The token making the request (for sign-in)',
    tag: 'access',
    scope: 'any',
    response: Me,
    handler: async ({ principal }) => ({
      tokenId: principal!.tokenId,
      name: principal!.name,
      scopes: [...principal!.scopes],
    }),
  });
}
