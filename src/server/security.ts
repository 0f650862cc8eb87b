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

/** Security headers, CORS and rate limits; answers the security headers it sets. */
export async function registerSecurity(
  server: FastifyInstance,
  options: ServerOptions,
): Promise<Readonly<Record<string, string>>> {
  const headers = await securityHeaders(options);
  server.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers);
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

/** API answers are never cached by browsers or proxies: they carry inventory data. */
export function registerNoStore(server: FastifyInstance): void {
  server.addHook('onSend', (request, reply, payload, done) => {
    if (request.url.startsWith('/api/') && !request.url.startsWith('/api/v1/docs')) {
      void reply.header('cache-control', 'no-store');
    }
    done(null, payload);
  });
}
