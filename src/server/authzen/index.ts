import type { X509Certificate } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  actionSearchSchema,
  describeIssues,
  evaluationSchema,
  evaluationsSchema,
  resourceSearchSchema,
  subjectSearchSchema,
} from '../../decide/request.js';
import { searchActions, searchResources, searchSubjects } from '../../decide/search.js';
import type { DecideOptions } from '../../decide/service.js';
import { ApiError } from '../errors.js';
import type { AuthzenPluginOptions } from '../extensions.js';
import {
  decisionAnswer,
  EVALUATION_RESPONSE,
  EVALUATIONS_RESPONSE,
  explainOf,
} from './answer.js';
import { evaluateAll } from './evaluations.js';
import { acquireDecideApp, releaseDecideApp } from './shared-pdp.js';

export { decisionLogExtension } from './decision-log-route.js';

/** Items of one evaluations request at most; more is a 400, not a long-held server. */
export const MAX_EVALUATIONS = 1000;

const PATHS = {
  evaluation: '/access/v1/evaluation',
  evaluations: '/access/v1/evaluations',
  subject: '/access/v1/search/subject',
  resource: '/access/v1/search/resource',
  action: '/access/v1/search/action',
} as const;

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
const NO_MTLS: DecideOptions = {};

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

  const evaluation = { ...DECISION_ROUTE, schema: { response: EVALUATION_RESPONSE } };
  server.post(PATHS.evaluation, evaluation, async (request) => {
    const req = parse(evaluationSchema, request, 'evaluation');
    return decisionAnswer(await service.decide(req, decideOptions(request)), explainOf(req));
  });

  const evaluations = { ...DECISION_ROUTE, schema: { response: EVALUATIONS_RESPONSE } };
  server.post(PATHS.evaluations, evaluations, async (request) => {
    const body = parse(evaluationsSchema, request, 'evaluations');
    const items = body.evaluations;
    // Section 7.1: without an `evaluations` array the request is a single evaluation.
    if (!items) {
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

  server.get('/.well-known/authzen-configuration', { config: { scope: 'public' } },
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

/** `application/json` or a `+json` type, with or without parameters (charset). */
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/**
 * The request's body as an AuthZEN request. The API speaks JSON only: a body of any other
 * type (text/plain, which fastify hands over as a string) is a 415 that says so, not a 400
 * about a string where an object was expected.
 */
function parse<T extends z.ZodType>(schema: T, request: FastifyRequest, what: string): z.output<T> {
  const type = request.headers['content-type'] ?? '';
  if (!JSON_TYPE.test(type)) {
    const got = type.split(';')[0]?.trim() || 'no content type';
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE',
      `an AuthZEN ${what} request is sent as application/json (got ${got})`,
      { field: 'content-type' });
  }
  const r = schema.safeParse(request.body);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  throw new ApiError('INVALID_INPUT', `not an AuthZEN ${what} request: ${describeIssues(r.error)}`,
    first?.path.length ? { field: first.path.join('.') } : undefined);
}

const SPIFFE_URI = /URI:spiffe:\/\//i;

/**
 * Under mTLS, a client certificate that is an X509-SVID (a `spiffe://` URI SAN) is the
 * subject's proof: its SPIFFE ID becomes the subject (a request naming another SPIFFE ID is
 * denied with proof-mismatch). A client certificate without one identifies the caller only.
 */
function decideOptions(request: FastifyRequest): DecideOptions {
  const cert = request.clientCertificate;
  if (!cert || !SPIFFE_URI.test(cert.subjectAltName ?? '')) return NO_MTLS;
  return { mtlsChain: chainOf(cert) };
}

/** The leaf and the intermediates the client sent, leaf first; the root stays the bundle's. */
function chainOf(leaf: X509Certificate): string {
  const pems = [leaf.toString()];
  let next = leaf.issuerCertificate;
  for (let depth = 0; next && depth < 8 && next.subject !== next.issuer; depth++) {
    pems.push(next.toString());
    next = next.issuerCertificate;
  }
  return pems.join('\n');
}
