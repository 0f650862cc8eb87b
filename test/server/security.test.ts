import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    empty: true,
    server: { rateLimit: { max: 3, windowMs: 60_000 }, corsOrigins: ['https://console.example'] },
  });
});
afterAll(() => h.close());

describe('rate limits and CORS', () => {
  it('limits each token on its own, with 429 RATE_LIMITED and Retry-After', async () => {
    const me = (scope: 'read' | 'ingest') =>
      h.rs.server.inject({ url: '/api/v1/me', headers: h.auth(scope) });
    for (let i = 0; i < 3; i++) expect((await me('read')).statusCode).toBe(200);
    const limited = await me('read');
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await me('ingest')).statusCode).toBe(200);
    // Health probes are never limited.
    for (let i = 0; i < 5; i++) {
      expect((await h.rs.server.inject({ url: '/healthz' })).statusCode).toBe(200);
    }
  });

  it('answers a configured origin, and no other', async () => {
    const pre = (origin: string) => h.rs.server.inject({
      method: 'OPTIONS', url: '/api/v1/summary',
      headers: {
        origin,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    const ok = await pre('https://console.example');
    expect(ok.headers['access-control-allow-origin']).toBe('https://console.example');
    const other = await pre('https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
