import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import { issueToken } from '../auth/token-secret.js';
import { IdParams } from '../schemas/common.js';
import {
  AuditPage,
  AuditQuery,
  TokenCreate,
  TokenCreated,
  TokenInfo,
  TokenList,
  TokenListQuery,
} from '../schemas/admin.js';

export function registerAdminRoutes(server: FastifyInstance, ctx: ServerContext): void {
  registerTokenRoutes(server, ctx);
  ctx.router.add(server, {
    method: 'GET',
    url: '/api/v1/audit',
    operationId: 'listAudit',
    summary: 'The audit log of writes and admin actions, newest first',
    tag: 'access',
    scope: 'admin',
    query: AuditQuery,
    response: AuditPage,
    handler: async ({ query }) => {
      const before = query.cursor ? seqCursor(query.cursor) : undefined;
      const rows = await ctx.stores.audit.list({
        limit: query.limit + 1,
        ...(query.action ? { action: query.action } : {}),
        ...(query.actor ? { actorId: query.actor } : {}),
        ...(before !== undefined ? { before } : {}),
      });
      const items = rows.slice(0, query.limit).map((e) => ({ ...e, details: { ...e.details } }));
      const next = rows.length > query.limit ? String(items[items.length - 1]!.seq) : null;
      return { items, next };
    },
  });
}

function seqCursor(text: string): number {
  if (!/^\d{1,15}$/.test(text)) {
    throw new ApiError('INVALID_INPUT', 'cursor is not valid for this query', { field: 'cursor' });
  }
  return Number(text);
}

function registerTokenRoutes(server: FastifyInstance, ctx: ServerContext): void {
  ctx.router.add(server, {
    method: 'GET',
    url: '/api/v1/tokens',
    operationId: 'listTokens',
    summary: 'List API tokens (never the tokens themselves)',
    tag: 'access',
    scope: 'admin',
    query: TokenListQuery,
    response: TokenList,
    handler: async ({ query }) => {
      const items = await ctx.stores.tokens.list({ includeRevoked: query.revoked === 'true' });
      return { items: items.map((t) => ({ ...t, scopes: [...t.scopes] })) };
    },
  });
  ctx.router.add(server, {
    method: 'POST',
    url: '/api/v1/tokens',
    operationId: 'createToken',
    summary: 'Create an API token; the answer is the only time it is shown',
    tag: 'access',
    scope: 'admin',
    body: TokenCreate,
    response: TokenCreated,
    status: 201,
    errors: [409],
    handler: async ({ body, request, principal }) => {
      const created = await issueToken(ctx.stores.tokens, {
        name: body.name,
        scopes: body.scopes,
        createdBy: `token:${principal!.tokenId}`,
        now: ctx.clock.now(),
      });
      await ctx.audit(request, 'token.create', created.info.id, {
        name: created.info.name,
        scopes: created.info.scopes,
      });
      return { token: created.token, info: { ...created.info, scopes: [...created.info.scopes] } };
    },
  });
  ctx.router.add(server, {
    method: 'DELETE',
    url: '/api/v1/tokens/:id',
    operationId: 'revokeToken',
    summary: 'Revoke an API token by id or name',
    tag: 'access',
    scope: 'admin',
    params: IdParams,
    response: TokenInfo,
    errors: [404],
    handler: async ({ params, request }) => {
      const revoked = await ctx.stores.tokens.revoke(params.id, ctx.clock.now());
      if (!revoked) throw notFound('live token');
      await ctx.audit(request, 'token.revoke', revoked.id, { name: revoked.name });
      return { ...revoked, scopes: [...revoked.scopes] } satisfies z.input<typeof TokenInfo>;
    },
  });
}
