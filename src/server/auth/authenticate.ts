import type { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TokenScope, TokenStore } from '../../store/api-port.js';
import { ApiError } from '../errors.js';
import { parseToken, secretMatches } from './token-secret.js';

/** What a route requires: no token, any valid token, or a token with this scope. */
export type RouteScope = 'public' | 'any' | TokenScope;

/** Who is calling, once their token checked out. */
export interface Principal {
  readonly tokenId: string;
  readonly name: string;
  readonly scopes: readonly TokenScope[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required scope; a route that declares none needs `admin` (fail closed). */
    scope?: RouteScope;
  }
  interface FastifyRequest {
    principal?: Principal;
    authFailure?: ApiError;
    /** The verified client certificate under mTLS (for SPIFFE subjects in decisions). */
    clientCertificate?: X509Certificate;
  }
}

/** Last-used times are written at most this often per token, so reads stay reads. */
const TOUCH_EVERY_MS = 60_000;

export function hasScope(p: Principal, needed: RouteScope): boolean {
  if (needed === 'public' || needed === 'any') return true;
  return p.scopes.includes('admin') || p.scopes.includes(needed);
}

/** The scope a request's route needs; unknown paths under /api need a token (no probing). */
export function scopeOf(request: FastifyRequest): RouteScope {
  if (request.is404) return request.url.startsWith('/api/') ? 'any' : 'public';
  return request.routeOptions.config.scope ?? 'admin';
}

/**
 * Two hooks. `onRequest` identifies the caller (before the per-token rate limit, which keys on
 * the token), and `preParsing` refuses the request before its body is read: an unauthenticated
 * upload is never buffered.
 */
export function registerAuth(server: FastifyInstance, tokens: TokenStore, now: () => string): void {
  server.addHook('onRequest', async (request) => {
    request.clientCertificate = verifiedClientCertificate(request);
    if (scopeOf(request) === 'public') return;
    try {
      request.principal = await authenticate(request.headers.authorization, tokens, now);
    } catch (err) {
      request.authFailure =
        err instanceof ApiError ? err : new ApiError('UNAUTHORIZED', 'invalid token');
    }
  });
  server.addHook('preParsing', async (request) => {
    const needed = scopeOf(request);
    if (needed === 'public') return;
    if (!request.principal) throw request.authFailure ?? missingToken();
    if (!hasScope(request.principal, needed)) {
      const message = `this needs a token with scope '${needed}'`;
      throw new ApiError('FORBIDDEN', message, { scope: needed });
    }
  });
}

function missingToken(): ApiError {
  return new ApiError('UNAUTHORIZED', "send an API token as 'Authorization: Bearer <token>'");
}

/** RFC 6750 section 2.1: `Authorization: Bearer <token>`; the scheme is case-insensitive. */
async function authenticate(
  header: string | undefined,
  tokens: TokenStore,
  now: () => string,
): Promise<Principal> {
  const m = header ? /^bearer +(\S+)\s*$/i.exec(header) : null;
  if (!m) throw missingToken();
  const parsed = parseToken(m[1]!);
  const stored = parsed ? await tokens.get(parsed.id) : undefined;
  // One message for every failure, so that a caller learns nothing about which part was wrong.
  if (!parsed || !stored || !secretMatches(parsed.secret, stored.secretHash) || stored.revokedAt) {
    throw new ApiError('UNAUTHORIZED', 'the token is not valid or was revoked');
  }
  const at = now();
  if (!stored.lastUsedAt || Date.parse(at) - Date.parse(stored.lastUsedAt) >= TOUCH_EVERY_MS) {
    await tokens.touch(stored.id, at);
  }
  return { tokenId: stored.id, name: stored.name, scopes: stored.scopes };
}

function verifiedClientCertificate(request: FastifyRequest): X509Certificate | undefined {
  const socket = request.raw.socket as Partial<TLSSocket>;
  if (!socket.authorized || typeof socket.getPeerX509Certificate !== 'function') return undefined;
  return socket.getPeerX509Certificate();
}
