import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { systemClock, type Clock } from '../model/time.js';
import { FORMATS, detectFormat, formatByName } from '../sources/registry.js';
import type { ApiStores } from '../store/api-port.js';
import { registerAuth, type RouteScope } from './auth/authenticate.js';
import { CachingTokenStore, TokenCache } from './auth/token-cache.js';
import { Readiness, writeQueue, type FormatCatalog, type ServerContext } from './context.js';
import { ApiError, handleError } from './errors.js';
import { EvaluationLane } from './authzen/evaluation-lane.js';
import { authzenPlugin, BUILTIN_EXTENSIONS, type ApiExtension } from './extensions.js';
import { DEFAULT_SERVER_OPTIONS, requestId, type ServerOptions } from './options.js';
import { ApiRouter } from './route.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerEventRoutes } from './routes/events.js';
import { registerFindingRoutes } from './routes/findings.js';
import { registerIngestRoutes } from './routes/ingest.js';
import { registerLifecycleRoutes } from './routes/lifecycle.js';
import { registerMetaRoutes, registerReadinessGate } from './routes/meta.js';
import { registerRecordRoutes } from './routes/records.js';
import { registerOverviewRoutes, registerRunRoutes } from './routes/runs.js';
import { registerSecurity } from './security.js';
import { registerWeb } from './web.js';

export interface ServerDeps {
  readonly app: App;
  readonly stores: ApiStores;
  readonly formats?: FormatCatalog;
  readonly clock?: Clock;
  /** Starts not ready unless given; call `readiness.markReady()` once the inventory is loaded. */
  readonly readiness?: Readiness;
  readonly extensions?: readonly ApiExtension[];
}

/** A route as Fastify registered it, whoever declared it (router, plugin, static files). */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  readonly scope: RouteScope;
}

export interface RosterServer {
  readonly server: FastifyInstance;
  readonly readiness: Readiness;
  readonly router: ApiRouter;
  /** Every route Fastify holds, so that tests can check that none escapes authentication. */
  readonly registered: readonly RegisteredRoute[];
  /** The lane that answers most evaluation calls before Fastify's router. */
  readonly evaluationLane: EvaluationLane;
}

/** Distinct tokens kept verified at once; the oldest is dropped first. */
const TOKEN_CACHE_ENTRIES = 1024;

export const REGISTRY_FORMATS: FormatCatalog = {
  list: () => FORMATS,
  byName: formatByName,
  detect: detectFormat,
};

/**
 * Builds the HTTP server: the REST API under /api/v1, health probes, the OpenAPI document and
 * reference page, the console's static files, and the AuthZEN plugin when it exists.
 *
 * @example
 * const { server, readiness } = await buildServer({ app, stores }, { logger: false });
 * readiness.markReady();
 * await server.listen({ host: '127.0.0.1', port: 8080 });
 */
export async function buildServer(
  deps: ServerDeps,
  overrides: Partial<ServerOptions> = {},
): Promise<RosterServer> {
  const options: ServerOptions = { ...DEFAULT_SERVER_OPTIONS, ...overrides };
  const lanes: Lanes = { evaluation: undefined };
  const server = createFastify(options, lanes);
  const readiness = deps.readiness ?? new Readiness();
  const router = new ApiRouter({ checkResponses: options.checkResponses });
  const clock = deps.clock ?? systemClock;
  // Verified tokens are kept briefly; a revocation through this server drops them at once.
  const cache = new TokenCache({ ttlMs: options.tokenCacheMs, maxEntries: TOKEN_CACHE_ENTRIES });
  const tokens = new CachingTokenStore(deps.stores.tokens, cache);
  const ctx = context({ ...deps, stores: { ...deps.stores, tokens } }, readiness, router, clock);

  const registered: RegisteredRoute[] = [];
  server.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      // Read when asked: plugin scopes (console files, AuthZEN) set the scope in their own
      // onRoute hooks, which run after this root one.
      registered.push({
        method,
        url: route.url,
        get scope(): RouteScope {
          return route.config?.scope ?? 'admin';
        },
      });
    }
  });
  server.setErrorHandler(handleError);
  // Hooks of every request take a callback, not a promise: one microtask less each.
  server.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  const closing = closeWhenDone(server);
  const verifier = registerAuth(server, tokens, () => clock.now(), cache);
  const headers = await registerSecurity(server, options);
  // Evaluation calls a PEP makes with a token verified in the last second skip the router.
  const evaluationLane = new EvaluationLane({ verifier, headers: headers.api,
    bodyLimit: options.bodyLimit,
    log: server.log, parseJson: jsonParser(server), closing });
  // With CORS origins configured, every answer carries `Vary: Origin` (@fastify/cors): such a
  // server answers through Fastify alone, so that both ways never differ.
  if (options.corsOrigins.length === 0) lanes.evaluation = evaluationLane;
  registerReadinessGate(server, ctx);

  registerMetaRoutes(server, ctx, options.version);
  registerRecordRoutes(server, ctx);
  registerFindingRoutes(server, ctx);
  registerRunRoutes(server, ctx);
  registerOverviewRoutes(server, ctx);
  registerAdminRoutes(server, ctx);
  registerLifecycleRoutes(server, ctx);
  registerEventRoutes(server, ctx, options.eventPollMs);
  await registerIngestRoutes(server, ctx, options.uploadLimit);
  await registerExtensions(server, ctx, [...BUILTIN_EXTENSIONS, ...(deps.extensions ?? [])]);
  await registerAuthzen(server, deps.app, clock, evaluationLane);
  const spaIndex = await registerWeb(server, options.webRoot);
  setNotFound(server, spaIndex);
  return { server, readiness, router, registered, evaluationLane };
}

/**
 * Graceful shutdown: once close() is called, answers in flight still go out, each with
 * `Connection: close`, so that a keep-alive client does not hold the server open.
 */
function closeWhenDone(server: FastifyInstance): () => boolean {
  let closing = false;
  server.addHook('preClose', async () => {
    closing = true;
  });
  server.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });
  return () => closing;
}

/** Fastify's default JSON body parser (prototype poisoning refused) as a function. */
function jsonParser(server: FastifyInstance): (text: string) => unknown {
  type Done = (err: Error | null, body?: unknown) => void;
  const parse = server.getDefaultJsonParser('error', 'error') as unknown as
    (req: unknown, body: string, done: Done) => void;
  return (text) => {
    let failure: Error | null = null;
    let out: unknown;
    parse(undefined, text, (err, body) => {
      failure = err;
      out = body;
    });
    if (failure) throw failure;
    return out;
  };
}

/** Handlers that answer requests before Fastify's router; set once the server is built. */
interface Lanes {
  evaluation: EvaluationLane | undefined;
}

function createFastify(options: ServerOptions, lanes: Lanes): FastifyInstance {
  const tls = options.tls;
  const https = tls
    ? {
        cert: tls.cert,
        key: tls.key,
        ...(tls.clientCa ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
      }
    : null;
  return Fastify({
    logger: options.logger,
    bodyLimit: options.bodyLimit,
    genReqId: requestId,
    requestIdHeader: false,
    trustProxy: options.trustProxy,
    return503OnClosing: true,
    ...(https ? { https } : {}),
    // Fastify's own HTTP/1 server, with the lanes in front of its handler.
    serverFactory: (handler, opts) => {
      const listener = (req: IncomingMessage, res: ServerResponse): void => {
        if (!lanes.evaluation?.take(req, res)) handler(req, res);
      };
      const o = opts as { keepAliveTimeout?: number; requestTimeout?: number;
        connectionTimeout?: number };
      const raw = https ? createHttpsServer(https, listener) : createServer(listener);
      raw.keepAliveTimeout = o.keepAliveTimeout ?? raw.keepAliveTimeout;
      raw.requestTimeout = o.requestTimeout ?? raw.requestTimeout;
      raw.setTimeout(o.connectionTimeout ?? 0);
      return raw;
    },
  }) as unknown as FastifyInstance;
}

function context(deps: ServerDeps, readiness: Readiness, router: ApiRouter, clock: Clock) {
  const ctx: ServerContext = {
    app: deps.app,
    stores: deps.stores,
    formats: deps.formats ?? REGISTRY_FORMATS,
    clock,
    readiness,
    router,
    exclusive: writeQueue(),
    audit: async (request: FastifyRequest, action, target, details) => {
      const p = request.principal;
      await deps.stores.audit.append({
        at: clock.now(),
        actorId: p ? `token:${p.tokenId}` : 'anonymous',
        actorName: p?.name ?? 'anonymous',
        action,
        target,
        requestId: request.id,
        details,
      });
    },
  };
  return ctx;
}

async function registerExtensions(
  server: FastifyInstance,
  ctx: ServerContext,
  extensions: readonly ApiExtension[],
): Promise<void> {
  for (const ext of extensions) {
    await server.register(async (scope) => {
      await ext.register({ server: scope, ctx, route: (def) => ctx.router.add(scope, def) });
    });
  }
}

/** The AuthZEN endpoints, behind the `decide` scope unless a route says otherwise. */
async function registerAuthzen(server: FastifyInstance, app: App, clock: Clock,
  lane: EvaluationLane): Promise<void> {
  const plugin = authzenPlugin;
  if (!plugin) return;
  await server.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { scope: 'decide', ...route.config };
    });
    await scope.register(plugin, { app, clock, lane });
  });
}

function setNotFound(server: FastifyInstance, spaIndex: string | undefined): void {
  server.setNotFoundHandler(async (request, reply) => {
    const wantsPage = request.method === 'GET' && !request.url.startsWith('/api/') &&
      (request.headers.accept ?? '').includes('text/html');
    if (spaIndex && wantsPage) return reply.type('text/html; charset=utf-8').send(spaIndex);
    throw new ApiError('NOT_FOUND', 'no such route');
  });
}
