import type { FastifyInstance } from 'fastify';
import { decisionLogExtension } from './authzen/index.js';
import type { App } from '../app.js';
import type { Clock } from '../model/time.js';
import type { EvaluationLane } from './authzen/evaluation-lane.js';
import type { ServerContext } from './context.js';
import type { RouteDef } from './route.js';
import type { z } from 'zod';

/**
 * Extension points of the server. Parts that land later (lifecycle actions, decisions) join
 * here without touching the rest of src/server.
 */

/** What an extension is handed: a plugin scope and the server's context. */
export interface ExtensionApi {
  readonly server: FastifyInstance;
  readonly ctx: ServerContext;
  /**
   * Declares an operation: it gets token auth by its `scope`, zod validation, the error shape,
   * rate limits, and its place in the OpenAPI document. Writes should call `ctx.audit`.
   */
  route<Q extends z.ZodType, P extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
    def: RouteDef<Q, P, B, R>,
  ): void;
}

/**
 * A set of routes added to the API, e.g. lifecycle actions:
 *
 * @example
 * export const lifecycleRoutes: ApiExtension = {
 *   name: 'lifecycle',
 *   register: ({ route, ctx }) => route({
 *     method: 'POST', url: '/api/v1/records/:id/admit', scope: 'admin', ... ,
 *     handler: async ({ params, body, request }) => {
 *       const result = await admit(...);
 *       await ctx.audit(request, 'lifecycle.admit', params.id, { reason: body.reason });
 *       return result;
 *     },
 *   }),
 * };
 */
export interface ApiExtension {
  readonly name: string;
  register(api: ExtensionApi): void | Promise<void>;
}

/**
 * Route sets added to every server. The lifecycle actions (issue 5) are core routes
 * (routes/lifecycle.ts); later parts may join here or through `ServerDeps.extensions`.
 */
export const BUILTIN_EXTENSIONS: readonly ApiExtension[] = [decisionLogExtension];

/** Options the AuthZEN plugin is registered with. */
export interface AuthzenPluginOptions {
  readonly app: App;
  readonly clock: Clock;
  /** The server's lane for evaluation calls, which the plugin opens with its decision point. */
  readonly lane?: EvaluationLane;
}

/**
 * EXTENSION POINT (issue 3, AuthZEN): the single place where the decision endpoints join the
 * server. When src/server/authzen/index.ts exports `authzenPlugin`, replace the line below by
 *
 *   export { authzenPlugin } from './authzen/index.js';
 *
 * The server registers it at the root (AuthZEN paths are `/access/v1/...` and
 * `/.well-known/authzen-configuration`); each of its routes needs the `decide` scope unless it
 * sets `config.scope` itself (`'public'` for the well-known document, if wanted). Handlers find
 * the caller in `request.principal` and, under mTLS, the verified client certificate in
 * `request.clientCertificate` (node:crypto X509Certificate) for SPIFFE subjects.
 */
export { authzenPlugin } from './authzen/index.js';
