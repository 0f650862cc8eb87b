import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteScope } from '../../src/server/auth/authenticate.js';
import type { TokenScope } from '../../src/store/api-port.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
let base: string;

beforeAll(async () => {
  h = await startHarness();
  await h.rs.server.listen({ host: '127.0.0.1', port: 0 });
  const addr = h.rs.server.server.address() as { port: number };
  base = `http://127.0.0.1:${addr.port}`;
});
afterAll(() => h.close());

/** One request; only the status and (when JSON) the error code are read, then it is dropped. */
async function call(method: string, url: string, token?: string) {
  const res = await fetch(base + url, {
    method,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  let code: string | undefined;
  if ((res.headers.get('content-type') ?? '').startsWith('application/json')) {
    const body = (await res.json()) as { error?: { code: string } };
    code = body.error?.code;
  } else {
    await res.body?.cancel();
  }
  return { status: res.status, code };
}

const SCOPES: readonly TokenScope[] = ['read', 'ingest', 'decide', 'admin'];

/** Tokens that must be refused for a route of this scope: every one but admin and its own. */
function wrongScopes(scope: RouteScope): TokenScope[] {
  if (scope === 'public' || scope === 'any') return [];
  return SCOPES.filter((s) => s !== scope && s !== 'admin');
}

describe('authentication and scopes on every route', () => {
  it('knows the routes: every router operation is registered, and there are many', () => {
    const registered = new Set(h.rs.registered.map((r) => `${r.method} ${r.url}`));
    for (const r of h.rs.router.routes) expect(registered).toContain(`${r.method} ${r.url}`);
    expect(h.rs.router.routes.length).toBeGreaterThanOrEqual(35);
    // Only health, the OpenAPI document, its reference page and console files are public.
    const publicApi = h.rs.registered.filter((r) => r.scope === 'public')
      .map((r) => r.url).filter((u) => u.startsWith('/api/') || u.endsWith('z'));
    expect(publicApi.sort()).toEqual([
      '/api/v1/docs', '/api/v1/docs/docs.css', '/api/v1/docs/docs.js', '/api/v1/openapi.json',
      '/healthz', '/readyz',
    ]);
  });

  it('401 without a token, 403 with a wrong scope, neither with the right scope', async () => {
    const bogus = `rst_${'0'.repeat(16)}_${'A'.repeat(43)}`;
    const checked: string[] = [];
    for (const route of h.rs.registered) {
      const url = route.url.replace(/:([A-Za-z0-9_]+)/g, 'x');
      const what = `${route.method} ${route.url}`;
      if (route.scope === 'public') {
        const r = await call(route.method, url);
        expect([401, 403], what).not.toContain(r.status);
        continue;
      }
      const none = await call(route.method, url);
      expect({ what, status: none.status, code: none.code })
        .toEqual({ what, status: 401, code: 'UNAUTHORIZED' });
      const bad = await call(route.method, url, bogus);
      expect({ what, status: bad.status }).toEqual({ what, status: 401 });
      for (const wrong of wrongScopes(route.scope)) {
        const r = await call(route.method, url, h.tokens[wrong]);
        expect({ what, wrong, status: r.status, code: r.code })
          .toEqual({ what, wrong, status: 403, code: 'FORBIDDEN' });
      }
      const right = route.scope === 'any' ? ['read' as const] : [route.scope, 'admin' as const];
      for (const scope of right) {
        const r = await call(route.method, url, h.tokens[scope]);
        expect([401, 403], `${what} with ${scope}`).not.toContain(r.status);
      }
      checked.push(what);
    }
    expect(checked.length).toBeGreaterThanOrEqual(30);
  });

  it('refuses unknown /api paths without a token as 401, with one as 404', async () => {
    expect((await call('GET', '/api/v1/nothing-here')).status).toBe(401);
    const r = await call('GET', '/api/v1/nothing-here', h.tokens.read);
    expect(r).toEqual({ status: 404, code: 'NOT_FOUND' });
  });
});

describe('tokens', () => {
  it('a revoked token stops working at once', async () => {
    const created = await h.rs.server.inject({
      method: 'POST', url: '/api/v1/tokens', headers: h.auth('admin'),
      payload: { name: 'short-lived', scopes: ['read'] },
    });
    expect(created.statusCode).toBe(201);
    const { token, info } = created.json() as { token: string; info: { id: string } };
    const me = await h.rs.server.inject({
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.json()).toMatchObject({ tokenId: info.id, name: 'short-lived', scopes: ['read'] });
    const revoked = await h.rs.server.inject({
      method: 'DELETE', url: '/api/v1/tokens/short-lived', headers: h.auth('admin'),
    });
    expect(revoked.json()).toMatchObject({ id: info.id, revokedAt: expect.any(String) });
    const after = await h.rs.server.inject({
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    const audit = await h.rs.server.inject({
      url: '/api/v1/audit?action=token.revoke',
      headers: h.auth('admin'),
    });
    expect(audit.json().items[0]).toMatchObject({
      action: 'token.revoke', target: info.id, actorName: 'test-admin',
      details: { name: 'short-lived' },
    });
  });

  it('stores only the hash of the secret, and never lists either', async () => {
    const created = await h.rs.server.inject({
      method: 'POST', url: '/api/v1/tokens', headers: h.auth('admin'),
      payload: { name: 'hash-check', scopes: ['ingest', 'read'] },
    });
    const { token, info } = created.json() as { token: string; info: { id: string } };
    const secret = token.slice('rst_'.length + 16 + 1);
    const db = (h.app.store as SqliteStore).connection;
    const row = db.prepare('SELECT * FROM api_tokens WHERE id = ?')
      .get(info.id) as Record<string, string>;
    expect(row['secret_hash']).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(secret);
    const list = await h.rs.server.inject({ url: '/api/v1/tokens', headers: h.auth('admin') });
    expect(list.body).not.toContain(secret);
    expect(list.body).not.toContain(row['secret_hash']);
    expect(list.json().items.map((t: { name: string }) => t.name)).toContain('hash-check');
  });

  it('a token with a right id and a wrong secret is refused', async () => {
    const id = h.tokens.read.slice(4, 20);
    const forged = `rst_${id}_${'B'.repeat(43)}`;
    const r = await h.rs.server.inject({
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(r.statusCode).toBe(401);
  });

  it('records when a token was last used', async () => {
    await h.rs.server.inject({ url: '/api/v1/me', headers: h.auth('decide') });
    const list = await h.rs.server.inject({ url: '/api/v1/tokens', headers: h.auth('admin') });
    const decide = list.json().items.find((t: { name: string }) => t.name === 'test-decide');
    expect(decide.lastUsedAt).toBe('2026-12-01T12:00:00.000Z');
  });
});
