import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Principal, RouteScope } from './auth/authenticate.js';
import { ApiError } from './errors.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HandlerContext<Q, P, B> {
  readonly query: Q;
  readonly params: P;
  readonly body: B;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  /** The caller; undefined only on public routes. */
  readonly principal: Principal | undefined;
}

/** A body that is not JSON (uploads): its content types and schemas, for the document only. */
export interface RawBodyDoc {
  readonly description: string;
  readonly content: Readonly<Record<string, { schema: Record<string, unknown> }>>;
}

/**
 * One API operation, declared once: its path, scope, schemas and handler. The router registers
 * it with Fastify, validates input with the zod schemas, and the OpenAPI document is built from
 * the same declarations.
 */
export interface RouteDef<
  Q extends z.ZodType = z.ZodType,
  P extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  readonly method: HttpMethod;
  /** Fastify path syntax: `/api/v1/assets/:ref`. */
  readonly url: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  readonly scope: RouteScope;
  readonly query?: Q;
  readonly params?: P;
  readonly body?: B;
  readonly rawBody?: RawBodyDoc;
  readonly response: R;
  readonly status?: 200 | 201;
  /**
   * The one media type of a success that is not JSON (e.g. text/event-stream); the handler
   * then answers through `reply` and `response` documents nothing.
   */
  readonly produces?: { readonly type: string; readonly description: string };
  /** Other media types the operation can answer with (e.g. text/csv). */
  readonly alsoProduces?: Readonly<Record<string, string>>;
  /** Error statuses worth documenting besides 401, 403, 429 and 500. */
  readonly errors?: readonly number[];
  readonly bodyLimit?: number;
  /** Extra route config (e.g. `{ rateLimit: false }`). */
  readonly config?: Readonly<Record<string, unknown>>;
  handler(
    ctx: HandlerContext<z.output<Q>, z.output<P>, z.output<B>>,
  ): Promise<z.input<R> | FastifyReply>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRouteDef = RouteDef<any, any, any, any>;

export interface RouterOptions {
  /** Parse every JSON response with its declared schema (tests): the document cannot drift. */
  readonly checkResponses: boolean;
}

/** Registers declared operations and remembers them for the OpenAPI document. */
export class ApiRouter {
  readonly #routes: AnyRouteDef[] = [];
  readonly #options: RouterOptions;

  constructor(options: RouterOptions) {
    this.#options = options;
  }

  get routes(): readonly AnyRouteDef[] {
    return this.#routes;
  }

  /** Adds an operation to `server` (a plugin scope, so that routes may bring own parsers). */
  add<Q extends z.ZodType, P extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
    server: FastifyInstance,
    def: RouteDef<Q, P, B, R>,
  ): void {
    this.#routes.push(def as AnyRouteDef);
    const check = this.#options.checkResponses;
    server.route({
      method: def.method,
      url: def.url,
      config: { ...def.config, scope: def.scope },
      ...(def.bodyLimit ? { bodyLimit: def.bodyLimit } : {}),
      handler: async (request, reply) => {
        const ctx = {
          query: parse(def.query, request.query),
          params: parse(def.params, request.params),
          body: def.rawBody ? request.body : parse(def.body, request.body),
          request,
          reply,
          principal: request.principal,
        };
        const result = await def.handler(ctx as Parameters<typeof def.handler>[0]);
        if (result === reply) return reply;
        if (check) assertResponse(def, result);
        return reply.code(def.status ?? 200).send(result);
      },
    });
  }
}

function parse(schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema) return undefined;
  return schema.parse(value ?? {});
}

function assertResponse(def: AnyRouteDef, result: unknown): void {
  const checked = (def.response as z.ZodType).safeParse(result);
  if (checked.success) return;
  const where = checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new ApiError('INTERNAL', `response of ${def.operationId} breaks its schema: ${where}`);
}
