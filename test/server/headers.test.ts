import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityHeaders } from '../../src/server/security.js';
import { startHarness, type Harness } from './harness.js';

/**
 * The security headers as @fastify/helmet sent them on every answer when it ran per response
 * (recorded from the server before the headers were computed once): the same set must go out
 * on API answers, errors, console pages and static files.
 */
const HELMET_HEADERS = {
  'content-security-policy': "default-src 'self';script-src 'self';style-src 'self';" +
    "img-src 'self' data:;font-src 'self';connect-src 'self';object-src 'none';" +
    "base-uri 'self';form-action 'self';frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

let h: Harness;
let web: string;
beforeAll(async () => {
  web = mkdtempSync(join(tmpdir(), 'roster-web-'));
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>Roster</title>');
  writeFileSync(join(web, 'app.js'), 'export {};');
  h = await startHarness({ empty: true, server: { webRoot: web } });
});
afterAll(async () => {
  await h.close();
  rmSync(web, { recursive: true, force: true });
});

function securityOf(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(HELMET_HEADERS).map((k) => [k, headers[k]]));
}

describe('security headers', () => {
  it.each([
    ['an API answer', '/api/v1/me', 'read', 200],
    ['an API error', '/api/v1/me', undefined, 401],
    ['a console page', '/', undefined, 200],
    ['a console route', '/records/ast_1', undefined, 200],
    ['a console file', '/app.js', undefined, 200],
    ['a health probe', '/healthz', undefined, 200],
  ] as const)('are the same on %s', async (_what, url, scope, status) => {
    const res = await h.rs.server.inject({ url, headers: {
      accept: url === '/' || url.startsWith('/records') ? 'text/html' : 'application/json',
      ...(scope ? h.auth(scope) : {}) } });
    expect(res.statusCode).toBe(status);
    expect(securityOf(res.headers)).toEqual(HELMET_HEADERS);
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('are the set helmet computes, with HSTS only over TLS', async () => {
    expect(await securityHeaders({})).toEqual(HELMET_HEADERS);
    const tls = { cert: 'unused', key: 'unused' };
    expect(await securityHeaders({ tls })).toEqual({ ...HELMET_HEADERS,
      'strict-transport-security': 'max-age=15552000; includeSubDomains' });
  });

  it('go out on an evaluation answer too', async () => {
    const res = await h.rs.server.inject({ method: 'POST', url: '/access/v1/evaluation',
      headers: h.auth('decide'), payload: { subject: { type: 'host', id: 'x' },
        action: { name: 'read' }, resource: { type: 'host', id: 'y' } } });
    expect(securityOf(res.headers)).toEqual(HELMET_HEADERS);
  });
});
