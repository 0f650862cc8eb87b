import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  actionSearchSchema,
  evaluationSchema,
  evaluationsSchema,
  resourceSearchSchema,
  subjectSearchSchema,
} from '../../decide/request.js';
import { searchActions, searchResources, searchSubjects } from '../../decide/search.js';
import type { DecideOptions } from '../../decide/service.js';
import { ApiError } from '../errors.js';
import type { AuthzenPluginOptions } from '../extensions.js';
import { answerJson, decisionAnswer, EVALUATIONS_RESPONSE, explainOf } from './answer.js';
import { evaluateAll } from './evaluations.js';
import { AUTHZEN_PATHS } from './openapi.js';
import { asRequest, checkJsonType, decideOptionsOf } from './input.js';
import { acquireDecideApp, releaseDecideApp } from './shared-pdp.js';

export { decisionLogExtension } from './decision-log-route.js';

/** Items of one evaluations request at most; more is a 400, not a long-held server. */
export const MAX_EVALUATIONS = 1000;

const PATHS = AUTHZEN_PATHS;

/*
 * A PDP answers its PEPs at their request rate, so the per-token rate limit of the REST API
 * stays off the evaluation endpoints; searches, which scan the inventory, keep it. Their
 * requests are not logged at info (two lines per decision): the decision log keeps every
 * decision with its id; errors, and 4xx answers (at warn), are still logged with the request id.
 */
const DECISION_ROUTE = {
  logLevel: 'warn',
  config: { rateLimit: false, clientErrorLevel: 'warn' as const },
} as const;
const JSON_UTF8 = 'application/json; charset=utf-8';

/**
 * The OpenID AuthZEN Authorization API 1.0 over Roster's decision point: evaluation,
 * evaluations, the three searches and the PDP metadata document. A deny is HTTP 200 with
 * `"decision": false` (section 12.1.2); a 400 only for a body that is not a request at all,
 * with the field it is about. Unknown fields are ignored (the zod objects strip them).
 *
 * One decision point serves every request: it is opened when the plugin registers (the facts
 * index loaded once) and closed with the server.
 */
export const authzenPlugin: FastifyPluginAsync<AuthzenPluginOptions> = async (server, opts) => {
  const pdp = await acquireDecideApp(opts.app, opts.clock);
  server.addHook('onClose', async () => releaseDecideApp(opts.app));
  const service = pdp.service;
  if (!service.policies) {
    const load = pdp.reloadPolicies();
    server.log.error({ problems: load.ok ? [] : load.problems },
      'the policy set is refused: every decision is denied (no-policies)');
  }

  // The answer is made as JSON text (answer.ts), the same bytes the lane sends.
  server.post(PATHS.evaluation, DECISION_ROUTE, async (request, reply) => {
    const req = parse(evaluationSchema, request, 'evaluation');
    const d = await service.decide(req, decideOptions(request));
    void reply.type(JSON_UTF8);
    return answerJson(d, explainOf(req));
  });
  // Most PEP calls are answered before this router (evaluation-lane.ts); the rest come here.
  opts.lane?.serve(service);
  server.addHook('onClose', async () => opts.lane?.stop());

  const evaluations = { ...DECISION_ROUTE, schema: { response: EVALUATIONS_RESPONSE } };
  server.post(PATHS.evaluations, evaluations, async (request) => {
    const body = parse(evaluationsSchema, request, 'evaluations');
    const items = body.evaluations;
    // Section 7.1: without an `evaluations` array, or with an empty one, the request is a
    // single evaluation, answered as one (a decision, not a list of none).
    if (!items || items.length === 0) {
      const req = parse(evaluationSchema, request, 'evaluations');
      return decisionAnswer(await service.decide(req, decideOptions(request)), explainOf(req));
    }
    if (items.length > MAX_EVALUATIONS) {
      throw new ApiError('INVALID_INPUT',
        `evaluations: at most ${MAX_EVALUATIONS} items per request (got ${items.length})`,
        { field: 'evaluations' });
    }
    return { evaluations: await evaluateAll(service, body, items, decideOptions(request)) };
  });

  server.post(PATHS.subject, async (request) =>
    searchSubjects(service, parse(subjectSearchSchema, request, 'subject search')));
  server.post(PATHS.resource, async (request) =>
    searchResources(service, parse(resourceSearchSchema, request, 'resource search')));
  server.post(PATHS.action, async (request) =>
    searchActions(service, parse(actionSearchSchema, request, 'action search')));

  server.get(PATHS.metadata, { config: { scope: 'public' } },
    async (request) => metadata(`${request.protocol}://${request.host}`));
};

/**
 * PDP metadata (section 9): absolute URLs on the host the caller reached. Behind a proxy,
 * start the server with trustProxy so that X-Forwarded-Proto and -Host give the public name.
 */
function metadata(base: string): Record<string, string> {
  return {
    policy_decision_point: base,
    access_evaluation_endpoint: base + PATHS.evaluation,
    access_evaluations_endpoint: base + PATHS.evaluations,
    search_subject_endpoint: base + PATHS.subject,
    search_resource_endpoint: base + PATHS.resource,
    search_action_endpoint: base + PATHS.action,
  };
}

/** The request's body as an AuthZEN request: a 415 for a body that is not JSON, else zod's. */
function parse<T extends z.ZodType>(schema: T, request: FastifyRequest, what: string): z.output<T> {
  checkJsonType(request.headers['content-type'], what);
  return asRequest(schema, request.body, what);
}

function decideOptions(request: FastifyRequest): DecideOptions {
  return decideOptionsOf(request.clientCertificate);
}
