import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { apiStoresOf, buildServer, issueToken, type RosterServer } from '../../src/api-app.js';
import { openApp, type App } from '../../src/app.js';
import { fixedClock } from '../../src/model/time.js';
import { roster } from '../helpers/cli.js';
import { sharedIpCsv } from '../helpers/shared-ip.js';
import type { ApiStores, TokenScope } from '../../src/store/api-port.js';
import type { ApiExtension } from '../../src/server/extensions.js';
import type { ServerOptions } from '../../src/server/options.js';

/** The instant the example estate is judged at (as `roster demo` does). */
export const NOW = '2026-12-01T12:00:00.000Z';

export interface Harness {
  readonly dir: string;
  readonly db: string;
  readonly app: App;
  readonly stores: ApiStores;
  readonly rs: RosterServer;
  /** One token per scope, made before the tests. */
  readonly tokens: Record<TokenScope, string>;
  auth(scope: TokenScope): { authorization: string };
  /** GETs `url` with a token of `scope` (default read), expects 200, and returns the body. */
  getJson<T>(url: string, scope?: TokenScope): Promise<T>;
  close(): Promise<void>;
}

/**
 * A server over a fresh database, loaded with the example estate unless `empty`, with one
 * token per scope; responses are checked against their declared schemas.
 */
export async function startHarness(
  options: {
    empty?: boolean;
    server?: Partial<ServerOptions>;
    ready?: boolean;
    extensions?: readonly ApiExtension[];
  } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'roster-api-'));
  const db = join(dir, 'roster.db');
  if (!options.empty) {
    const demo = await roster('--db', db, 'demo');
    if (demo.code !== 0) throw new Error(`demo failed: ${demo.err}`);
  }
  const app = await openApp({ db });
  const stores = apiStoresOf(app);
  const clock = fixedClock(NOW);
  const deps = { app, stores, clock, extensions: options.extensions ?? [] };
  const rs = await buildServer(deps, { checkResponses: true, ...options.server });
  if (options.ready !== false) rs.readiness.markReady();
  const tokens = {} as Record<TokenScope, string>;
  for (const scope of ['read', 'ingest', 'decide', 'admin'] as const) {
    const t = await issueToken(stores.tokens, {
      name: `test-${scope}`, scopes: [scope], createdBy: 'test', now: NOW,
    });
    tokens[scope] = t.token;
  }
  const auth = (scope: TokenScope) => ({ authorization: `Bearer ${tokens[scope]}` });
  return {
    dir, db, app, stores, rs, tokens, auth,
    async getJson<T>(url: string, scope: TokenScope = 'read'): Promise<T> {
      const r = await rs.server.inject({ url, headers: auth(scope) });
      expect(r.statusCode, `${url}: ${r.body}`).toBe(200);
      return r.json() as T;
    },
    close: async () => {
      await rs.server.close();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Uploads {@link sharedIpCsv}: web-old-01 joins the estate, holding web-prod-01's IP address. */
export async function uploadSharedIp(h: Harness): Promise<void> {
  const r = await h.rs.server.inject({
    method: 'POST',
    url: '/api/v1/ingest?filename=cmdb-extra.csv&asOf=2026-11-30T07:00:00Z' +
      '&timezone=Europe/Stockholm&complete=false',
    headers: { ...h.auth('ingest'), 'content-type': 'text/csv' },
    payload: sharedIpCsv(),
  });
  expect(r.statusCode, r.body).toBe(201);
}
