import { compileErrors, validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loggerOptions } from '../../src/server/options.js';
import { startHarness, type Harness } from './harness.js';

const lines: string[] = [];
let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    server: { logger: loggerOptions('info', { write: (l: string) => void lines.push(l) }) },
    extensions: [{
      name: 'test-failure',
      register: ({ route }) => route({
        method: 'GET', url: '/api/v1/test/explode', operationId: 'explode', summary: 'fails',
        tag: 'test', scope: 'read', response: z.object({}),
        handler: async () => {
          throw new Error('SQLITE_CORRUPT: database disk image is malformed at /srv/secret.db');
        },
      }),
    }],
  });
});
afterAll(() => h.close());

describe('OpenAPI document', () => {
  it('is public and validates as OpenAPI 3.1 with @readme/openapi-parser', async () => {
    const r = await h.rs.server.inject({ url: '/api/v1/openapi.json' });
    expect(r.statusCode).toBe(200);
    const doc = r.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(doc) as Parameters<typeof validate>[0]);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
  });

  it('documents every operation the router declared, with its scope', async () => {
    const doc = (await h.rs.server.inject({ url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, Record<string, { operationId: string; 'x-roster-scope': string }>>;
    };
    for (const route of h.rs.router.routes) {
      const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const op = doc.paths[path]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.url}`).toMatchObject({
        operationId: route.operationId, 'x-roster-scope': route.scope,
      });
    }
    const ids = h.rs.router.routes.map((r) => r.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('documents the AuthZEN endpoints the server answers, with their scopes', async () => {
    const doc = (await h.rs.server.inject({ url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, Record<string, { operationId: string; 'x-roster-scope': string }>>;
    };
    const authzen = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/access/') || path.startsWith('/.well-known/'));
    const scopeOf = (item: Record<string, { 'x-roster-scope': string }>) =>
      (item.post ?? item.get)?.['x-roster-scope'];
    expect(authzen.map(([path, item]) => [path, Object.keys(item), scopeOf(item)])).toEqual([
      ['/access/v1/evaluation', ['post'], 'decide'],
      ['/access/v1/evaluations', ['post'], 'decide'],
      ['/access/v1/search/subject', ['post'], 'decide'],
      ['/access/v1/search/resource', ['post'], 'decide'],
      ['/access/v1/search/action', ['post'], 'decide'],
      ['/.well-known/authzen-configuration', ['get'], 'public'],
    ]);
    for (const [path, item] of authzen) {
      const method = item.post ? 'POST' : 'GET';
      const payload = method === 'POST' ? {} : undefined;
      const r = await h.rs.server.inject({ method, url: path, payload });
      // Served: a POST without a token is refused by auth, the metadata document is public.
      expect(r.statusCode, path).toBe(method === 'POST' ? 401 : 200);
    }
  });

  it('has a reference page served by Roster, with its script from this origin', async () => {
    const page = await h.rs.server.inject({ url: '/api/v1/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<script type="module" src="/api/v1/docs/docs.js">');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const js = await h.rs.server.inject({ url: '/api/v1/docs/docs.js' });
    expect(js.body).toContain("fetch('/api/v1/openapi.json')");
  });
});

describe('errors', () => {
  it('an internal error answers a generic message; the log has the cause', async () => {
    const r = await h.rs.server.inject({ url: '/api/v1/test/explode', headers: h.auth('read') });
    expect(r.statusCode).toBe(500);
    const body = r.json() as { error: { code: string; message: string; requestId: string } };
    expect(body).toEqual({ error: {
      code: 'INTERNAL',
      message: 'internal error; see the server log with this request id',
      requestId: r.headers['x-request-id'],
    } });
    expect(r.body).not.toContain('SQLITE');
    expect(r.body).not.toContain('secret.db');
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l['reqId'] === body.error.requestId && l['level'] === 50);
    expect(JSON.stringify(logged)).toContain('SQLITE_CORRUPT');
  });

  it('bad input is 400 INVALID_INPUT naming the field', async () => {
    const r = await h.rs.server.inject({ url: '/api/v1/assets?limit=0', headers: h.auth('read') });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({
      error: { code: 'INVALID_INPUT', details: { issues: [{ path: 'limit' }] } },
    });
    const cursor = await h.rs.server.inject({
      url: '/api/v1/assets?cursor=nonsense',
      headers: h.auth('read'),
    });
    expect(cursor.json()).toMatchObject({ error: {
      code: 'INVALID_INPUT',
      details: { field: 'cursor' },
    } });
    const json = await h.rs.server.inject({
      method: 'POST', url: '/api/v1/tokens', headers: {
        ...h.auth('admin'),
        'content-type': 'application/json',
      },
      payload: '{"name": ',
    });
    expect(json.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });

  it('a JSON body over the limit is 413', async () => {
    const r = await h.rs.server.inject({
      method: 'POST', url: '/api/v1/tokens', headers: {
        ...h.auth('admin'),
        'content-type': 'application/json',
      },
      payload: JSON.stringify({ name: 'x', scopes: ['read'], pad: 'x'.repeat(1_100_000) }),
    });
    expect(r.statusCode).toBe(413);
    expect(r.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('sets security headers and keeps API answers out of caches; CORS is off', async () => {
    const r = await h.rs.server.inject({
      url: '/api/v1/summary', headers: { ...h.auth('read'), origin: 'https://evil.example' },
    });
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('logs', () => {
  it('are JSON, one child logger per request with its id, no header or token', async () => {
    lines.length = 0;
    const secretish = 'AKIAIOSFODNN7EXAMPLE';
    await h.rs.server.inject({
      url: `/api/v1/assets?q=${secretish}`,
      headers: { ...h.auth('read'), cookie: 'session=abc123', 'x-api-key': 'k3y' },
    });
    await h.rs.server.inject({ url: '/api/v1/me', headers: { authorization: 'Bearer rst_wrong' } });
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const incoming = parsed.filter((l) => l['msg'] === 'incoming request');
    const done = parsed.filter((l) => l['msg'] === 'request completed');
    expect(incoming).toHaveLength(2);
    expect(done).toHaveLength(2);
    const ids = incoming.map((l) => l['reqId']);
    expect(done.map((l) => l['reqId'])).toEqual(ids);
    expect(new Set(ids).size).toBe(2);
    expect(incoming[0]!['req']).toEqual({
      method: 'GET',
      path: '/api/v1/assets',
      remoteAddress: '127.0.0.1',
    });
    const all = lines.join('\n');
    for (const leak of [
      h.tokens.read,
      'rst_wrong',
      'Bearer',
      'abc123',
      'k3y',
      secretish,
      'authorization',
    ]) {
      expect(all).not.toContain(leak);
    }
  });
});

describe('readiness', () => {
  it('answers 503 until the inventory is loaded, then 200; health is always 200', async () => {
    const cold = await startHarness({ empty: true, ready: false });
    try {
      const s = cold.rs.server;
      expect((await s.inject({ url: '/healthz' })).statusCode).toBe(200);
      const before = await s.inject({ url: '/readyz' });
      expect(before.statusCode).toBe(503);
      expect(before.json()).toEqual({ status: 'starting', reason: 'starting' });
      const api = await s.inject({ url: '/api/v1/summary', headers: cold.auth('read') });
      expect(api.statusCode).toBe(503);
      expect(api.json()).toMatchObject({ error: { code: 'NOT_READY' } });
      cold.rs.readiness.markReady();
      expect((await s.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });
      expect((await s.inject({
        url: '/api/v1/summary',
        headers: cold.auth('read'),
      })).statusCode).toBe(200);
    } finally {
      await cold.close();
    }
  });
});
