import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { authzenPathItems } from '../authzen/openapi.js';
import type { ServerContext } from '../context.js';
import { DOCS_CSS, DOCS_HTML, DOCS_JS } from '../docs-page.js';
import { ApiError } from '../errors.js';
import { buildOpenApi } from '../openapi.js';
import { Health, Readiness } from '../schemas/summary.js';

const OpenApiDocument = z.record(z.string(), z.unknown()).describe('this document');

/** Health probes, the OpenAPI document and the reference page. */
export function registerMetaRoutes(server: FastifyInstance, ctx: ServerContext, version: string) {
  const noLimit = { rateLimit: false };
  ctx.router.add(server, {
    method: 'GET',
    url: '/healthz',
    operationId: 'health',
    summary: 'Liveness: the process answers',
    tag: 'health',
    scope: 'public',
    response: Health,
    config: noLimit,
    handler: async () => ({ status: 'ok' as const }),
  });
  ctx.router.add(server, {
    method: 'GET',
    url: '/readyz',
    operationId: 'ready',
    summary: 'Readiness: the inventory is migrated and loaded (503 until then)',
    tag: 'health',
    scope: 'public',
    response: Readiness,
    errors: [503],
    config: noLimit,
    handler: async ({ reply }) => {
      if (ctx.readiness.ready) return { status: 'ready' as const };
      return reply.code(503).send({ status: 'starting', reason: ctx.readiness.reason });
    },
  });
  let document: Record<string, unknown> | undefined;
  ctx.router.add(server, {
    method: 'GET',
    url: '/api/v1/openapi.json',
    operationId: 'openapi',
    summary: 'This API as an OpenAPI 3.1 document',
    tag: 'meta',
    scope: 'public',
    response: OpenApiDocument,
    handler: async () =>
      (document ??= buildOpenApi(ctx.router.routes, { version }, authzenPathItems())),
  });
  registerDocsPage(server);
}

/** The reference page: a shell and its script, public because they hold no data. */
function registerDocsPage(server: FastifyInstance): void {
  const page = (url: string, type: string, body: string): void => {
    server.get(url, { config: { scope: 'public' } }, async (_req, reply) =>
      reply.type(type).header('cache-control', 'no-cache').send(body));
  };
  page('/api/v1/docs', 'text/html; charset=utf-8', DOCS_HTML);
  page('/api/v1/docs/docs.js', 'text/javascript; charset=utf-8', DOCS_JS);
  page('/api/v1/docs/docs.css', 'text/css; charset=utf-8', DOCS_CSS);
}

/** While the inventory loads, every API route answers 503 NOT_READY. */
export function registerReadinessGate(server: FastifyInstance, ctx: ServerContext): void {
  server.addHook('preHandler', async (request) => {
    if (ctx.readiness.ready || !request.url.startsWith('/api/')) return;
    throw new ApiError('NOT_READY', `the inventory is not ready yet (${ctx.readiness.reason})`);
  });
}
