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
): TokenVerifier {
  const verifier = new TokenVerifier(tokens, now, cache);
  // Callback hooks: a token found in the cache is checked without a promise or a microtask.
  server.addHook('onRequest', (request, _reply, done) => {
    request.clientCertificate = verifiedClientCertificate(request);
    if (scopeOf(request) === 'public') return done();
    const failed = (err: unknown): void => {
      request.authFailure =
        err instanceof ApiError ? err : new ApiError('UNAUTHORIZED', 'invalid token');
      done();
    };
    let result: Principal | Promise<Principal>;
    try {
      result = verifier.authenticate(request.headers.authorization);
    } catch (err) {
      return failed(err);
    }
    if (!(result instanceof Promise)) {
      request.principal = result;
      return done();
    }
    result.then((p) => {
      request.principal = p;
      done();
    }, failed);
  });
  server.addHook('preParsing', (request, _reply, payload, done) => {
    const needed = scopeOf(request);
    if (needed === 'public') return done(null, payload);
    if (!request.principal) return done(request.authFailure ?? missingToken());
    if (!hasScope(request.principal, needed)) {
      const message = `this needs a token with scope '${needed}'`;
      return done(new ApiError('FORBIDDEN', message, { scope: needed }));
    }
    done(null, payload);
  });
  return verifier;
}

function missingToken(): ApiError {
  return new ApiError('UNAUTHORIZED', "send an API token as 'Authorization: Bearer <token>'");
}

const INVALID = 'the token is not valid or was revoked';
const BEARER = /^bearer +(\S+)\s*$/i;

/**
 * RFC 6750 section 2.1: `Authorization: Bearer <token>`; the scheme is case-insensitive.
 * A token found valid is kept in `cache` for its short lifetime (keyed by SHA-256 of the
 * token); failures are never cached. Last use is written at most once a minute per token.
 */
export class TokenVerifier {
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

  /** Synchronous when the token is cached and its last use needs no write. */
  authenticate(header: string | undefined): Principal | Promise<Principal> {
    const m = header ? BEARER.exec(header) : null;
    if (!m) throw missingToken();
    const key = TokenCache.keyOf(m[1]!);
    const cached = this.#cache.get(key);
    if (cached && this.#touchDue(cached) === undefined) return principalOf(cached);
    return this.#slow(m[1]!, key, cached);
  }

  /**
   * The caller of a token this process verified within the cache's lifetime and whose last
   * use needs no write now; undefined for anything else (which `authenticate` then settles).
   */
  cachedPrincipal(header: string | undefined): Principal | undefined {
    const m = header ? BEARER.exec(header) : null;
    if (!m) return undefined;
    const cached = this.#cache.get(TokenCache.keyOf(m[1]!));
    return cached && this.#touchDue(cached) === undefined ? principalOf(cached) : undefined;
  }

  async #slow(bearer: string, key: string, cached?: StoredToken): Promise<Principal> {
    const stored = cached ?? (await this.#verify(bearer, key));
    const at = this.#touchDue(stored);
    if (at !== undefined) {
      if (this.#touched.size >= 4096) this.#touched.clear();
      this.#touched.set(stored.id, Date.parse(at));
      await this.#tokens.touch(stored.id, at);
    }
    return principalOf(stored);
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

  /** The time to record as last use, when the last write is a minute old or more. */
  #touchDue(stored: StoredToken): string | undefined {
    const at = this.#now();
    const last = Math.max(this.#touched.get(stored.id) ?? -Infinity,
      stored.lastUsedAt ? Date.parse(stored.lastUsedAt) : -Infinity);
    return Date.parse(at) - last < TOUCH_EVERY_MS ? undefined : at;
  }
}

function principalOf(t: StoredToken): Principal {
  return { tokenId: t.id, name: t.name, scopes: t.scopes };
}

function verifiedClientCertificate(request: FastifyRequest): X509Certificate | undefined {
  return verifiedPeerCertificate(request.raw.socket);
}

/** The client certificate of an mTLS connection that the TLS handshake verified. */
export function verifiedPeerCertificate(s: object): X509Certificate | undefined {
  const socket = s as Partial<TLSSocket>;
  if (!socket.authorized || typeof socket.getPeerX509Certificate !== 'function') return undefined;
  return socket.getPeerX509Certificate();
}
