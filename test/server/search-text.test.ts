import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

interface ErrorBody { error: { code: string; message: string; details?: unknown } }

async function get(url: string, scope: 'read' | 'admin' = 'read') {
  const r = await h.rs.server.inject({ url, headers: h.auth(scope) });
  return { status: r.statusCode, body: r.json() as ErrorBody };
}

describe('free text with control characters', () => {
  it('is a 400 naming the parameter for q, never a 500 (tester: q=a%00b)', async () => {
    for (const q of ['a%00b', 'web%00', '%1B%5B31m', '%E2%80%AEabc', 'x%7F', '%C2%9Bx']) {
      const r = await get(`/api/v1/assets?q=${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code).toBe('INVALID_INPUT');
      expect(r.body.error.details).toEqual({ issues: [{ path: 'q',
        message: 'must not hold control characters (C0, DEL, C1) or bidi controls' }] });
    }
    expect((await get('/api/v1/records?q=a%00b&kind=asset')).status).toBe(400);
  });

  it('is a 400 on every free-text filter', async () => {
    const urls = [
      '/api/v1/assets?owner=a%00b', '/api/v1/assets?environment=%1B', '/api/v1/findings?kind=%00',
      '/api/v1/findings?subject=a%00', '/api/v1/decisions?subject=a%00b',
      '/api/v1/decisions?record=a%1Bb', '/api/v1/offboarding/plans?subject=%00',
      '/api/v1/transitions?record=%00',
    ];
    for (const url of urls) expect((await get(url)).status, url).toBe(400);
    expect((await get('/api/v1/audit?action=%00', 'admin')).status).toBe(400);
  });

  it('keeps FTS5 syntax and quotes as plain text', async () => {
    for (const q of ['%22', 'web%22prod', 'AND%20OR', 'NEAR(x)', '*', 'a%22%20OR%20%22b']) {
      expect((await get(`/api/v1/assets?q=${q}`)).status, q).toBe(200);
    }
  });
});
