import { hash } from 'node:crypto';
import type { StoredToken, TokenInfo, TokenStore } from '../../store/api-port.js';

/** A token that checked out against the store, kept for a short while. */
export interface CachedToken {
  readonly token: StoredToken;
  /** `performance.now()` after which the store is asked again. */
  readonly until: number;
}

export interface TokenCacheOptions {
  /** How long a verified token is trusted without asking the store (ms); 0 turns it off. */
  readonly ttlMs: number;
  /** Most tokens kept at once; the oldest entry goes first. */
  readonly maxEntries: number;
}

export const DEFAULT_TOKEN_CACHE: TokenCacheOptions = { ttlMs: 1000, maxEntries: 1024 };

/**
 * Verified tokens of this process, keyed by SHA-256 of the whole bearer token (never the token
 * itself). Only successes are kept. An entry lives `ttlMs` at most, so a token revoked by
 * another process (another replica over the same database) stops working within that time;
 * a revocation through this process drops its entries at once (see `CachingTokenStore`).
 */
export class TokenCache {
  readonly #entries = new Map<string, CachedToken>();
  readonly #options: TokenCacheOptions;

  constructor(options: TokenCacheOptions = DEFAULT_TOKEN_CACHE) {
    this.#options = options;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** SHA-256 of the bearer: the cache never holds a token. One-shot, as it runs per request. */
  static keyOf(bearer: string): string {
    return hash('sha256', bearer, 'base64url');
  }

  get(key: string): StoredToken | undefined {
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    if (performance.now() < hit.until) return hit.token;
    this.#entries.delete(key);
    return undefined;
  }

  put(key: string, token: StoredToken): void {
    if (this.#options.ttlMs <= 0 || this.#options.maxEntries <= 0) return;
    this.#entries.delete(key);
    while (this.#entries.size >= this.#options.maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
    this.#entries.set(key, { token, until: performance.now() + this.#options.ttlMs });
  }

  /** Drops every entry of one token (by id). */
  dropToken(id: string): void {
    for (const [key, entry] of this.#entries) {
      if (entry.token.id === id) this.#entries.delete(key);
    }
  }
}

/**
 * The token store the server uses: the store itself, except that a revocation also empties
 * the cache of the revoked token, so that it is refused by this process on its next request.
 */
export class CachingTokenStore implements TokenStore {
  readonly #inner: TokenStore;
  readonly cache: TokenCache;

  constructor(inner: TokenStore, cache: TokenCache) {
    this.#inner = inner;
    this.cache = cache;
  }

  create(token: StoredToken): Promise<void> {
    return this.#inner.create(token);
  }

  get(id: string): Promise<StoredToken | undefined> {
    return this.#inner.get(id);
  }

  list(options?: { includeRevoked?: boolean }): Promise<TokenInfo[]> {
    return this.#inner.list(options);
  }

  async revoke(idOrName: string, at: string): Promise<TokenInfo | undefined> {
    const revoked = await this.#inner.revoke(idOrName, at);
    if (revoked) this.cache.dropToken(revoked.id);
    return revoked;
  }

  touch(id: string, at: string): Promise<void> {
    return this.#inner.touch(id, at);
  }
}
