import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.js';
import type { ServerOptions } from './options.js';

/**
 * Security headers, CORS and rate limits. The Content-Security-Policy allows scripts, styles
 * and connections from this origin only: the console is bundled by Vite, with no CDN and no
 * inline script.
 */
export async function registerSecurity(server: FastifyInstance, options: ServerOptions) {
  await server.register(helmet, {
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
}

/** API answers are never cached by browsers or proxies: they carry inventory data. */
export function registerNoStore(server: FastifyInstance): void {
  server.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/') && !request.url.startsWith('/api/v1/docs')) {
      void reply.header('cache-control', 'no-store');
    }
  });
}
