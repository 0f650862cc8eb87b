import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSecurityHeaders, isApiPath, securityHeaders } from '../../src/server/security.js';
import { startHarness, type Harness } from './harness.js';

/**
 * The security headers as @fastify/helmet sent them on every answer when it ran per response
 * (recorded from the server before the headers were computed once): the same set must go out
 * on console pages and static files.
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

/** JSON answers: OWASP's REST Security Cheat Sheet set. */
const API_HEADERS = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
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

/** The security headers an answer carries, of all those either set names but cache-control. */
const NAMES = [...new Set([...Object.keys(HELMET_HEADERS), ...Object.keys(API_HEADERS)])]
  .filter((k) => k !== 'cache-control');

function securityOf(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(NAMES.filter((k) => headers[k] !== undefined)
    .map((k) => [k, headers[k]]));
}

/** API_HEADERS without cache-control, which the API set always has (checked apart). */
const { 'cache-control': noStore, ...API_SECURITY } = API_HEADERS;

describe('security headers', () => {
  it.each([
    ['a console page', '/', undefined, 200],
    ['a console route', '/records/ast_1', undefined, 200],
    ['a console file', '/app.js', undefined, 200],
  ] as const)('are helmet\'s on %s', async (_what, url, scope, status) => {
    const res = await h.rs.server.inject({ url, headers: {
      accept: url === '/' || url.startsWith('/records') ? 'text/html' : 'application/json',
      ...(scope ? h.auth(scope) : {}) } });
    expect(res.statusCode).toBe(status);
    expect(securityOf(res.headers)).toEqual(HELMET_HEADERS);
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it.each([
    ['an API answer', '/api/v1/me', 'read', 200],
    ['an API error', '/api/v1/me', undefined, 401],
    ['an unknown API path', '/api/v1/nothing-here', 'read', 404],
    ['a health probe', '/healthz', undefined, 200],
    ['the AuthZEN configuration', '/.well-known/authzen-configuration', undefined, 200],
  ] as const)('are the API set on %s', async (_what, url, scope, status) => {
    const res = await h.rs.server.inject({ url, headers: { accept: 'application/json',
      ...(scope ? h.auth(scope) : {}) } });
    expect(res.statusCode).toBe(status);
    expect(securityOf(res.headers)).toEqual(API_SECURITY);
    expect(res.headers['cache-control']).toBe(noStore);
  });

  it('tells JSON paths from the console and the API reference page', () => {
    expect(['/api/v1/records', '/access/v1/evaluation', '/.well-known/authzen-configuration',
      '/healthz', '/readyz'].filter(isApiPath)).toHaveLength(5);
    expect(['/', '/records/ast_1', '/app.js', '/api/v1/docs', '/api/v1/docs/docs.js',
      '/healthz/x'].filter(isApiPath)).toEqual([]);
    expect(apiSecurityHeaders({ tls: { cert: 'unused', key: 'unused' } }))
      .toEqual({ ...API_HEADERS, 'strict-transport-security': 'max-age=15552000; includeSubDomains' });
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
    expect(securityOf(res.headers)).toEqual(API_SECURITY);
    expect(res.headers['cache-control']).toBe('no-store');
  });
});
