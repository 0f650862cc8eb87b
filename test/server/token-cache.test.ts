import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiStoresOf, buildServer, issueToken, type RosterServer } from '../../src/api-app.js';
import { openApp, type App } from '../../src/app.js';
import { TokenCache } from '../../src/server/auth/token-cache.js';
import { hashSecret } from '../../src/server/auth/token-secret.js';
import type { StoredToken, TokenStore } from '../../src/store/api-port.js';
import { NOW, startHarness, type Harness } from './harness.js';

/** Counts the store calls the server makes, so that the cache is seen doing its work. */
function counting(inner: TokenStore) {
  const calls = { get: 0, touch: 0 };
  const store: TokenStore = {
    create: (t) => inner.create(t),
    list: (o) => inner.list(o),
    revoke: (r, at) => inner.revoke(r, at),
    get: async (id) => {
      calls.get++;
      return inner.get(id);
    },
    touch: async (id, at) => {
      calls.touch++;
      return inner.touch(id, at);
    },
  };
  return { store, calls };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('verified tokens, two servers over one database file', () => {
  let a: Harness;
  let appB: App;
  let b: RosterServer;
  let calls: { get: number; touch: number };
  let t = NOW;
  const LIFETIME_MS = 300;

  beforeAll(async () => {
    a = await startHarness({ server: { tokenCacheMs: LIFETIME_MS } });
    appB = await openApp({ db: a.db });
    const counted = counting(apiStoresOf(appB).tokens);
    calls = counted.calls;
    b = await buildServer(
      { app: appB, stores: { ...apiStoresOf(appB), tokens: counted.store },
        clock: { now: () => t }, extensions: [] },
      { checkResponses: true, tokenCacheMs: 60_000 },
    );
    b.readiness.markReady();
  });
  afterAll(async () => {
    await b.server.close();
    await appB.close();
    await a.close();
  });

  const get = (rs: RosterServer, token: string) => rs.server.inject({
    method: 'GET', url: '/api/v1/summary', headers: { authorization: `Bearer ${token}` } });

  it('reads the store once per token while it is cached, and writes last use once a minute',
    async () => {
      const { token } = await issueToken(a.stores.tokens,
        { name: 'cached-reader', scopes: ['read'], createdBy: 'test', now: NOW });
      const before = { ...calls };
      for (let i = 0; i < 5; i++) expect((await get(b, token)).statusCode).toBe(200);
      expect(calls.get - before.get).toBe(1);
      expect(calls.touch - before.touch).toBe(1);
      t = new Date(Date.parse(NOW) + 61_000).toISOString();
      for (let i = 0; i < 3; i++) expect((await get(b, token)).statusCode).toBe(200);
      expect(calls.get - before.get).toBe(1);
      expect(calls.touch - before.touch).toBe(2);
      const stored = await a.stores.tokens.get(token.split('_')[1]!);
      expect(stored?.lastUsedAt).toBe(t);
    });

  it('a token revoked through one server stops at once there and within the lifetime on the '
    + 'other', async () => {
    const { token, info } = await issueToken(a.stores.tokens,
      { name: 'replicated-reader', scopes: ['read'], createdBy: 'test', now: NOW });
    expect((await get(a.rs, token)).statusCode).toBe(200);
    expect((await get(b, token)).statusCode).toBe(200);
    const revoked = await b.server.inject({ method: 'DELETE',
      url: `/api/v1/tokens/${info.id}`, headers: a.auth('admin') });
    expect(revoked.statusCode).toBe(200);
    // Server b revoked it: refused on the very next request, although b keeps tokens a minute.
    const onB = await get(b, token);
    expect(onB.statusCode).toBe(401);
    expect(onB.json()).toMatchObject({
      error: { message: 'the token is not valid or was revoked' },
    });
    // Server a learns it from the database once its cached entry is older than its lifetime.
    await sleep(LIFETIME_MS + 100);
    expect((await get(a.rs, token)).statusCode).toBe(401);
  });

  it('never caches a failure: a wrong secret is refused every time', async () => {
    const { token } = await issueToken(a.stores.tokens,
      { name: 'guessed', scopes: ['read'], createdBy: 'test', now: NOW });
    const wrong = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const before = calls.get;
    expect((await get(b, wrong)).statusCode).toBe(401);
    expect((await get(b, wrong)).statusCode).toBe(401);
    expect(calls.get - before).toBe(2);
    expect((await get(b, token)).statusCode).toBe(200);
  });
});

describe('TokenCache', () => {
  const token = (id: string): StoredToken => ({ id, name: id, scopes: ['read'],
    secretHash: hashSecret(id), createdAt: NOW, createdBy: null, lastUsedAt: null,
    revokedAt: null });

  it('is bounded: the oldest entry goes first', () => {
    const cache = new TokenCache({ ttlMs: 60_000, maxEntries: 2 });
    cache.put('k1', token('t1'));
    cache.put('k2', token('t2'));
    cache.put('k3', token('t3'));
    expect(cache.size).toBe(2);
    expect(cache.get('k1')).toBeUndefined();
    expect(cache.get('k3')?.id).toBe('t3');
  });

  it('forgets an entry after its lifetime and drops a token by id', async () => {
    const cache = new TokenCache({ ttlMs: 50, maxEntries: 8 });
    cache.put('k1', token('t1'));
    cache.put('k2', token('t2'));
    cache.dropToken('t2');
    expect(cache.get('k2')).toBeUndefined();
    expect(cache.get('k1')?.id).toBe('t1');
    await sleep(80);
    expect(cache.get('k1')).toBeUndefined();
  });

  it('keeps nothing when its lifetime is 0', () => {
    const cache = new TokenCache({ ttlMs: 0, maxEntries: 8 });
    cache.put('k1', token('t1'));
    expect(cache.size).toBe(0);
  });

  it('keys by a hash, never by the token text', () => {
    const key = TokenCache.keyOf('rst_0123456789abcdef_secret');
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain('secret');
  });
});
