import cors from '@fastify/cors';
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { ApiError } from './errors.js';
import type { ServerOptions } from './options.js';

/**
 * The helmet options: a Content-Security-Policy that allows scripts, styles and connections
 * from this origin only (the console is bundled by Vite, with no CDN and no inline script).
 */
function helmetOptions(options: Pick<ServerOptions, 'tls'>): FastifyHelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // HSTS only means something over TLS (RFC 6797 section 7.2: ignored over plain HTTP).
    hsts: options.tls ? { maxAge: 15_552_000 } : false,
  };
}

/** Headers of the probe's answer that Fastify and Node set, not helmet. */
const NOT_HELMETS = new Set(['content-type', 'content-length', 'date', 'connection',
  'keep-alive']);

/**
 * The security headers helmet sends with these options. They are the same on every answer
 * (no nonces, no per-route options), so helmet runs once, on a throw-away server at start-up,
 * and each answer gets the result in one call instead of helmet parsing its CSP directives
 * per response.
 */
export async function securityHeaders(
  options: Pick<ServerOptions, 'tls'>,
): Promise<Readonly<Record<string, string>>> {
  const probe = Fastify({ logger: false });
  await probe.register(helmet, helmetOptions(options));
  probe.get('/', async () => '');
  const res = await probe.inject({ url: '/' });
  await probe.close();
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (NOT_HELMETS.has(name) || typeof value !== 'string') continue;
    headers[name] = value;
  }
  if (Object.keys(headers).length === 0) throw new Error('helmet set no security headers');
  return Object.freeze(headers);
}

/**
 * The headers of a JSON answer (the API, AuthZEN, health probes), as OWASP's REST Security
 * Cheat Sheet lists them for APIs: nothing may be cached, framed, sniffed as another type or
 * run as a document, and no referrer leaks; HSTS over TLS. The console's pages and files get
 * helmet's full set (securityHeaders), whose other headers govern what a document may load.
 */
export function apiSecurityHeaders(
  options: Pick<ServerOptions, 'tls'>,
): Readonly<Record<string, string>> {
  return Object.freeze({
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    ...(options.tls ? { 'strict-transport-security': 'max-age=15552000; includeSubDomains' }
      : {}),
  });
}

/** True for the paths that answer JSON; the API reference page under /api/v1/docs is HTML. */
export function isApiPath(url: string): boolean {
  if (url.startsWith('/api/')) return !url.startsWith('/api/v1/docs');
  return url.startsWith('/access/') || url.startsWith('/.well-known/') ||
    url === '/healthz' || url === '/readyz';
}

export interface SecurityHeaders {
  /** Console pages and files. */
  readonly console: Readonly<Record<string, string>>;
  /** JSON answers (isApiPath). */
  readonly api: Readonly<Record<string, string>>;
}

/** Security headers, CORS and rate limits; answers the security headers it sets. */
export async function registerSecurity(
  server: FastifyInstance,
  options: ServerOptions,
): Promise<SecurityHeaders> {
  const headers = { console: await securityHeaders(options), api: apiSecurityHeaders(options) };
  server.addHook('onRequest', (request, reply, done) => {
    void reply.headers(isApiPath(request.url) ? headers.api : headers.console);
    done();
  });
  if (options.corsOrigins.length > 0) {
    await server.register(cors, {
      origin: [...options.corsOrigins],
      methods: ['GET', 'POST', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'x-request-id'],
      exposedHeaders: ['x-request-id', 'retry-after'],
      maxAge: 600,
    });
  }
  await server.register(rateLimit, {
    global: true,
    max: options.rateLimit.max,
    timeWindow: options.rateLimit.windowMs,
    // Runs after the token check (a root hook), so a known token has its own budget and
    // unauthenticated attempts share their address's.
    keyGenerator: (request) =>
      request.principal ? `token:${request.principal.tokenId}` : `ip:${request.ip}`,
    errorResponseBuilder: (_request, context) =>
      new ApiError('RATE_LIMITED', `too many requests; retry in ${context.after}`),
  });
  return headers;
}
