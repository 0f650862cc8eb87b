import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openApp } from '../../src/app.js';
import type { CliContext } from '../../src/cli/main.js';
import { startServe, type ServeFlags } from '../../src/cli/serve-cli.js';
import { systemClock } from '../../src/model/time.js';
import type { ApiExtension } from '../../src/server/extensions.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { makePki, type TestPki } from './certs.js';
import { roster } from '../helpers/cli.js';

let dir: string;
let db: string;
let pki: TestPki;
let adminToken: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'roster-serve-'));
  db = join(dir, 'roster.db');
  pki = await makePki();
  for (const [name, text] of Object.entries({
    'ca.pem': pki.caPem, 'server.pem': pki.server.cert, 'server.key': pki.server.key,
  })) writeFileSync(join(dir, name), text);
  const demo = await roster('--db', db, 'demo');
  expect(demo.code).toBe(0);
  const created = await roster('--db', db, 'token', 'create', '--name', 'me', '--scope', 'admin');
  expect(created.code).toBe(0);
  adminToken = created.out.trim();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(out: string[] = []): CliContext {
  return {
    out: (t) => void out.push(t), err: (t) => void out.push(t), color: false, exitCode: 0,
    open: () => openApp({ db }), clock: () => systemClock,
  };
}

const flags = (more: Partial<ServeFlags> = {}): ServeFlags =>
  ({ host: '127.0.0.1', port: '0', logLevel: 'warn', ...more });

/** Shows the verified client certificate's SAN to the test, through the public extension API. */
const whoami: ApiExtension = {
  name: 'whoami',
  register: ({ route }) => route({
    method: 'GET', url: '/api/v1/test/peer', operationId: 'peer', summary: 'peer', tag: 'test',
    scope: 'read', response: z.object({ san: z.string().nullable() }),
    handler: async ({ request }) => ({ san: request.clientCertificate?.subjectAltName ?? null }),
  }),
};

function get(url: string, options: { ca?: string; cert?: string; key?: string; token?: string }) {
  return new Promise<{
    status: number; body: string; headers: Record<string,
    unknown>,
  }>((resolve, reject) => {
    const req = request(url, {
      ca: options.ca, cert: options.cert, key: options.key,
      headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
    }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('roster token', () => {
  it('creates, lists (no secrets, last use) and revokes by name', async () => {
    const made = await roster(
      '--db',
      db,
      'token',
      'create',
      '--name',
      'ci',
      '--scope',
      'ingest,read',
    );
    expect(made.code).toBe(0);
    const token = made.out.trim();
    expect(token).toMatch(/^rst_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(made.err).toContain("'ci' (ingest, read); it is shown once");
    const list = await roster('--db', db, 'token', 'list', '-o', 'json');
    expect(list.out).not.toContain(token.slice(21));
    const rows = JSON.parse(list.out) as {
      name: string;
      scopes: string[];
      lastUsedAt: string | null;
    }[];
    expect(rows.find((r) => r.name === 'ci')).toMatchObject({
      scopes: ['ingest', 'read'],
      lastUsedAt: null,
    });
    const revoked = await roster('--db', db, 'token', 'revoke', 'ci');
    expect(revoked.code).toBe(0);
    expect(revoked.out).toMatch(/^revoked token [0-9a-f]{16} 'ci'$/);
    const gone = await roster('--db', db, 'token', 'revoke', 'ci');
    expect(gone.code).toBe(1);
    expect(gone.err).toContain("no live token with id or name 'ci'");
  });

  it('refuses an unknown scope and a bad name', async () => {
    const scope = await roster('--db', db, 'token', 'create', '--name', 'x', '--scope', 'root');
    expect(scope.code).toBe(2);
    expect(scope.err).toContain("--scope: 'root' is not a scope; use read, ingest, decide, admin");
    const name = await roster('--db', db, 'token', 'create', '--name', 'a b', '--scope', 'read');
    expect(name.code).toBe(2);
  });
});

describe('roster serve', () => {
  it('prints the address and a fresh admin token, which replaces the previous one', async () => {
    const out: string[] = [];
    const first = await startServe(cli(out), flags({ issueAdminToken: 'console' }));
    const token1 = out.find((l) => l.startsWith('  rst_'))!.trim();
    expect(out[0]).toMatch(/^Roster is serving .* at http:\/\/127\.0\.0\.1:\d+\//);
    const me = await fetch(
      `${first.url}/api/v1/me`,
      { headers: { authorization: `Bearer ${token1}` } },
    );
    expect(await me.json()).toMatchObject({ name: 'console', scopes: ['admin'] });
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    await first.close();
    const out2: string[] = [];
    const second = await startServe(cli(out2), flags({ issueAdminToken: 'console' }));
    const token2 = out2.find((l) => l.startsWith('  rst_'))!.trim();
    expect(token2).not.toBe(token1);
    const old = await fetch(
      `${second.url}/api/v1/me`,
      { headers: { authorization: `Bearer ${token1}` } },
    );
    expect(old.status).toBe(401);
    await second.close();
  });

  it('shuts down gracefully: a request in flight finishes, then the database closes', async () => {
    let release!: () => void;
    const started = new Promise<void>((r) => (release = r));
    const slow: ApiExtension = {
      name: 'slow',
      register: ({ route }) => route({
        method: 'GET', url: '/api/v1/test/slow', operationId: 'slow', summary: 'slow', tag: 'test',
        scope: 'read', response: z.object({ done: z.boolean() }),
        handler: async () => {
          release();
          await new Promise((r) => setTimeout(r, 300));
          return { done: true };
        },
      }),
    };
    const running = await startServe(cli(), flags(), { extensions: [slow] });
    const inflight = fetch(`${running.url}/api/v1/test/slow`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    await started;
    const closing = running.close();
    expect(running.rs.readiness.ready).toBe(false);
    const res = await inflight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await closing;
    expect((running.app.store as SqliteStore).connection.open).toBe(false);
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
  });

  it('serves HTTPS with --tls-cert and --tls-key, with HSTS', async () => {
    const running = await startServe(cli(), flags({
      tlsCert: join(dir, 'server.pem'), tlsKey: join(dir, 'server.key'),
    }));
    try {
      expect(running.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const health = await get(`${running.url}/healthz`, { ca: pki.caPem });
      expect(health.status).toBe(200);
      const me = await get(`${running.url}/api/v1/me`, { ca: pki.caPem, token: adminToken });
      expect(JSON.parse(me.body)).toMatchObject({ name: 'me' });
      expect(me.headers['strict-transport-security']).toBe('max-age=15552000; includeSubDomains');
      await expect(get(
        `${running.url}/healthz`,
        {},
      )).rejects.toThrow(/self.signed|unable to verify/i);
    } finally {
      await running.close();
    }
  });

  it('requires a client certificate of --client-ca under mTLS, shown to handlers', async () => {
    const running = await startServe(cli(), flags({
      tlsCert: join(dir, 'server.pem'),
      tlsKey: join(dir, 'server.key'),
      clientCa: join(dir, 'ca.pem'),
    }), { extensions: [whoami] });
    try {
      const ok = await get(`${running.url}/api/v1/test/peer`, {
        ca: pki.caPem, cert: pki.client.cert, key: pki.client.key, token: adminToken,
      });
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.body)).toEqual({ san: 'URI:spiffe://example.org/ci' });
      await expect(get(`${running.url}/healthz`, { ca: pki.caPem })).rejects.toThrow();
      await expect(get(`${running.url}/healthz`, {
        ca: pki.caPem, cert: pki.stranger.cert, key: pki.stranger.key,
      })).rejects.toThrow();
    } finally {
      await running.close();
    }
  });

  it('says which flag is wrong', async () => {
    await expect(startServe(cli(), flags({ tlsCert: join(dir, 'server.pem') })))
      .rejects.toThrow('--tls-cert and --tls-key go together');
    await expect(startServe(cli(), flags({ clientCa: join(dir, 'ca.pem') })))
      .rejects.toThrow('--client-ca needs --tls-cert and --tls-key');
    await expect(startServe(cli(), flags({ logLevel: 'loud' })))
      .rejects.toThrow('--log-level must be one of fatal, error, warn, info, debug');
    await expect(startServe(cli(), flags({ port: '99999' })))
      .rejects.toThrow("--port must be 0-65535 (got '99999')");
  });
});
