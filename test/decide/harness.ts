import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { apiStoresOf, buildServer, issueToken, type RosterServer } from '../../src/api-app.js';
import type { App } from '../../src/app.js';
import type { ServerOptions } from '../../src/server/options.js';
import { fixedClock } from '../../src/model/time.js';
import type { TokenScope } from '../../src/store/api-port.js';
import { NOW, openEstate } from '../helpers/decide-estate.js';

export interface DecideHarness {
  readonly app: App;
  readonly rs: RosterServer;
  auth(scope: TokenScope): { authorization: string };
  post(url: string, body: unknown, scope?: TokenScope): Promise<{
    status: number;
    json: Record<string, unknown>;
    headers: Record<string, unknown>;
  }>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** The decision point's clock (default: the estate's NOW). */
  readonly now?: string;
  /** PEM of a SPIFFE trust bundle for example.org. */
  readonly bundlePem?: string;
  /** decide.policyDir of the configuration. */
  readonly policyDir?: string;
  /** Server options (TLS for the mTLS tests). */
  readonly server?: Partial<ServerOptions>;
}

/**
 * The server over the small decision estate of test/helpers/decide-estate.ts, with one token
 * per scope and responses checked against their declared schemas.
 */
export async function startDecideServer(options: HarnessOptions = {}): Promise<DecideHarness> {
  const base = await openEstate();
  const bundled = options.bundlePem ? withBundle(base, options.bundlePem) : base;
  const app = options.policyDir ? withPolicies(bundled, options.policyDir) : bundled;
  const stores = apiStoresOf(app);
  const clock = fixedClock(options.now ?? NOW);
  const rs = await buildServer({ app, stores, clock }, { checkResponses: true, ...options.server });
  rs.readiness.markReady();
  const tokens = {} as Record<TokenScope, string>;
  for (const scope of ['read', 'ingest', 'decide', 'admin'] as const) {
    const t = await issueToken(stores.tokens, {
      name: `test-${scope}`, scopes: [scope], createdBy: 'test', now: NOW,
    });
    tokens[scope] = t.token;
  }
  const auth = (scope: TokenScope) => ({ authorization: `Bearer ${tokens[scope]}` });
  return {
    app,
    rs,
    auth,
    post: async (url, body, scope = 'decide') => {
      const res = await rs.server.inject({ method: 'POST', url, payload: body as object,
        headers: auth(scope) });
      return { status: res.statusCode, json: res.json(), headers: res.headers };
    },
    close: async () => {
      await rs.server.close();
      await app.close();
    },
  };
}

/** The same app with a SPIFFE trust bundle for example.org in its decide configuration. */
function withBundle(app: App, pem: string): App {
  const path = join(dirname(app.dbPath), 'example.org.bundle.pem');
  writeFileSync(path, pem);
  const decide = { ...app.config.decide, trustBundles: [{ trustDomain: 'example.org', path }] };
  return { ...app, config: { ...app.config, decide } };
}

function withPolicies(app: App, policyDir: string): App {
  return { ...app, config: { ...app.config, decide: { ...app.config.decide, policyDir } } };
}
