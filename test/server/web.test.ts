import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let web: string;
let h: Harness;
beforeAll(async () => {
  web = mkdtempSync(join(tmpdir(), 'roster-web-'));
  mkdirSync(join(web, 'assets'));
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>Roster console</title>');
  writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
  h = await startHarness({ empty: true, server: { webRoot: web } });
});
afterAll(async () => {
  await h.close();
  rmSync(web, { recursive: true, force: true });
});

describe('the console files', () => {
  it('are served at / without a token, with the security headers', async () => {
    const index = await h.rs.server.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('Roster console');
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    const js = await h.rs.server.inject({ url: '/assets/app.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('javascript');
  });

  it('answer client-side routes with the index page, never API paths', async () => {
    const page = await h.rs.server.inject({
      url: '/records/ast_123',
      headers: { accept: 'text/html' },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Roster console');
    const api = await h.rs.server.inject({
      url: '/api/v1/whatever',
      headers: { accept: 'text/html' },
    });
    expect(api.statusCode).toBe(401);
    const json = await h.rs.server.inject({ url: '/nothing.json' });
    expect(json.statusCode).toBe(404);
    expect(json.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
