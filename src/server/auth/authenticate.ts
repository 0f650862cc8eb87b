import type { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { StoredToken, TokenScope, TokenStore } from '../../store/api-port.js';
import { ApiError } from '../errors.js';
import { TokenCache } from './token-cache.js';
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
export function registerAuth(
  server: FastifyInstance,
  tokens: TokenStore,
  now: () => string,
  cache: TokenCache = new TokenCache({ ttlMs: 0, maxEntries: 0 }),
): void {
  const verifier = new TokenVerifier(tokens, now, cache);
  server.addHook('onRequest', async (request) => {
    request.clientCertificate = verifiedClientCertificate(request);
    if (scopeOf(request) === 'public') return;
    try {
      request.principal = await verifier.authenticate(request.headers.authorization);
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

const INVALID = 'the token is not valid or was revoked';

/**
 * RFC 6750 section 2.1: `Authorization: Bearer <token>`; the scheme is case-insensitive.
 * A token found valid is kept in `cache` for its short lifetime (keyed by SHA-256 of the
 * token); failures are never cached. Last use is written at most once a minute per token.
 */
class TokenVerifier {
  readonly #tokens: TokenStore;
  readonly #now: () => string;
  readonly #cache: TokenCache;
  /** When this process last wrote each token's last use (ms since the epoch). */
  readonly #touched = new Map<string, number>();

  constructor(tokens: TokenStore, now: () => string, cache: TokenCache) {
    this.#tokens = tokens;
    this.#now = now;
    this.#cache = cache;
  }

  async authenticate(header: string | undefined): Promise<Principal> {
    const m = header ? /^bearer +(\S+)\s*$/i.exec(header) : null;
    if (!m) throw missingToken();
    const key = TokenCache.keyOf(m[1]!);
    const stored = this.#cache.get(key) ?? (await this.#verify(m[1]!, key));
    await this.#touch(stored);
    return { tokenId: stored.id, name: stored.name, scopes: stored.scopes };
  }

  async #verify(bearer: string, key: string): Promise<StoredToken> {
    const parsed = parseToken(bearer);
    const stored = parsed ? await this.#tokens.get(parsed.id) : undefined;
    // One message for every failure, so that a caller learns nothing about which part was wrong.
    if (!parsed || !stored || !secretMatches(parsed.secret, stored.secretHash) ||
      stored.revokedAt) {
      throw new ApiError('UNAUTHORIZED', INVALID);
    }
    this.#cache.put(key, stored);
    return stored;
  }

  async #touch(stored: StoredToken): Promise<void> {
    const at = this.#now();
    const atMs = Date.parse(at);
    const last = Math.max(this.#touched.get(stored.id) ?? -Infinity,
      stored.lastUsedAt ? Date.parse(stored.lastUsedAt) : -Infinity);
    if (atMs - last < TOUCH_EVERY_MS) return;
    if (this.#touched.size >= 4096) this.#touched.clear();
    this.#touched.set(stored.id, atMs);
    await this.#tokens.touch(stored.id, at);
  }
}

function verifiedClientCertificate(request: FastifyRequest): X509Certificate | undefined {
  const socket = request.raw.socket as Partial<TLSSocket>;
  if (!socket.authorized || typeof socket.getPeerX509Certificate !== 'function') return undefined;
  return socket.getPeerX509Certificate();
}
