import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyServerOptions } from 'fastify';

export interface TlsOptions {
  /** PEM certificate chain and key of the server. */
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
  /** PEM CA bundle: when given, clients must present a certificate it signed (mTLS). */
  readonly clientCa?: string | Buffer;
}

export interface ServerOptions {
  /** Largest JSON request body (bytes). */
  readonly bodyLimit: number;
  /** Largest upload to /api/v1/ingest (bytes, per file). */
  readonly uploadLimit: number;
  /** Requests per token (or per address, before a token is known) in each window. */
  readonly rateLimit: { readonly max: number; readonly windowMs: number };
  /** Origins allowed to call the API from a browser; empty keeps CORS off. */
  readonly corsOrigins: readonly string[];
  readonly tls?: TlsOptions;
  /** Folder of the built console (web/dist); served at `/` when it exists. */
  readonly webRoot?: string;
  /** pino options, or false for no logs (tests). */
  readonly logger: FastifyServerOptions['logger'];
  /** Parse each JSON response with its declared schema (tests). */
  readonly checkResponses: boolean;
  /** Trust X-Forwarded-* from a proxy in front (for the client address of rate limits). */
  readonly trustProxy: boolean;
  /** Version shown in the OpenAPI document. */
  readonly version: string;
  /** How often the event stream looks for new change events (ms). */
  readonly eventPollMs: number;
  /**
   * How long a verified API token is trusted without reading the store again (ms, 0 = never).
   * A token revoked by another process over the same database stops working within this time;
   * one revoked through this server stops at once.
   */
  readonly tokenCacheMs: number;
}

export const DEFAULT_SERVER_OPTIONS: ServerOptions = {
  bodyLimit: 1024 * 1024,
  uploadLimit: 64 * 1024 * 1024,
  rateLimit: { max: 600, windowMs: 60_000 },
  corsOrigins: [],
  logger: false,
  checkResponses: false,
  trustProxy: false,
  version: '0.1.0',
  eventPollMs: 1000,
  tokenCacheMs: 1000,
};

/**
 * Structured logs: pino, one child logger per request carrying its id (Fastify's default),
 * and request serializers that keep method, path and client address only: no headers, no
 * query string (a search may hold what a user pasted), no bodies.
 */
export function loggerOptions(
  level: string,
  stream?: { write(line: string): void },
): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: { paths: ['req.headers', 'headers', '*.authorization', 'token'], censor: '[redacted]' },
    serializers: {
      req: (req: { method?: string; url?: string; ip?: string }) => ({
        method: req.method,
        path: (req.url ?? '').split('?')[0],
        remoteAddress: req.ip,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

/** A client's X-Request-Id is kept when it is short and plain; otherwise a new id is made. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  if (typeof given === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(given)) return given;
  return randomUUID();
}
