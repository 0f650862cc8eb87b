import { z } from 'zod';
import { TOKEN_SCOPES } from '../../store/api-port.js';
import { component, cursorParam, Instant, limitParam, textParam } from './common.js';

export const TokenScope = z.enum(TOKEN_SCOPES);

export const TokenInfo = component(
  'TokenInfo',
  z.object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(TokenScope),
    createdAt: Instant,
    createdBy: z.string().nullable(),
    lastUsedAt: Instant.nullable(),
    revokedAt: Instant.nullable(),
  }),
  'An API token as stored: never the token itself.',
);

export const TokenList = component('TokenList', z.object({ items: z.array(TokenInfo) }));

export const TokenCreate = component(
  'TokenCreate',
  z
    .object({
      name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/),
      scopes: z.array(TokenScope).min(1).max(4),
    })
    .strict(),
);

export const TokenCreated = component(
  'TokenCreated',
  z.object({ token: z.string().describe('shown once; store it now'), info: TokenInfo }),
);

export const Me = component(
  'Me',
  z.object({ tokenId: z.string(), name: z.string(), scopes: z.array(TokenScope) }),
  'The token making the request.',
);

export const AuditEntry = component(
  'AuditEntry',
  z.object({
    seq: z.number().int(),
    at: Instant,
    actorId: z.string(),
    actorName: z.string(),
    action: z.string(),
    target: z.string().nullable(),
    requestId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  }),
  'One write or admin action; the log only grows.',
);

export const AuditPage = component(
  'AuditPage',
  z.object({ items: z.array(AuditEntry), next: z.string().nullable() }),
);

export const AuditQuery = z
  .object({
    action: textParam(100).optional(),
    actor: textParam(100).optional().describe('token id'),
    limit: limitParam,
    cursor: cursorParam,
  })
  .strict();

export const TokenListQuery = z
  .object({ revoked: z.enum(['true', 'false']).default('false') })
  .strict();
