import { z } from 'zod';
import {
  actionSearchSchema,
  evaluationSchema,
  evaluationsSchema,
  resourceSearchSchema,
  subjectSearchSchema,
} from '../../decide/request.js';
import { DECISION_SCHEMA, EVALUATIONS_RESPONSE } from './answer.js';

type Json = Record<string, unknown>;

/** The AuthZEN Authorization API 1.0 paths Roster serves. */
export const AUTHZEN_PATHS = {
  evaluation: '/access/v1/evaluation',
  evaluations: '/access/v1/evaluations',
  subject: '/access/v1/search/subject',
  resource: '/access/v1/search/resource',
  action: '/access/v1/search/action',
  metadata: '/.well-known/authzen-configuration',
} as const;

const STR = { type: 'string' } as const;
const PAGE = {
  type: 'object',
  properties: { next_token: STR, count: { type: 'integer' } },
} as const;

/** A search answer: the matches of this page and the token of the next ('' at the end). */
function searchAnswer(item: Json): Json {
  return {
    type: 'object',
    properties: { results: { type: 'array', items: item }, page: PAGE },
    required: ['results', 'page'],
  };
}

const ENTITY_REF = {
  type: 'object',
  properties: { type: STR, id: STR },
  required: ['type', 'id'],
} as const;

const METADATA = {
  type: 'object',
  properties: Object.fromEntries([
    'policy_decision_point', 'access_evaluation_endpoint', 'access_evaluations_endpoint',
    'search_subject_endpoint', 'search_resource_endpoint', 'search_action_endpoint',
  ].map((name) => [name, { type: 'string', format: 'uri' }])),
  required: ['policy_decision_point', 'access_evaluation_endpoint'],
} as const;

interface AuthzenOperation {
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly request?: z.ZodType;
  readonly response: Json;
}

const OPERATIONS: readonly AuthzenOperation[] = [
  {
    path: AUTHZEN_PATHS.evaluation,
    operationId: 'authzenEvaluation',
    summary: 'Decide one access request (a deny is a 200 with "decision": false)',
    request: evaluationSchema,
    response: DECISION_SCHEMA,
  },
  {
    path: AUTHZEN_PATHS.evaluations,
    operationId: 'authzenEvaluations',
    summary: 'Decide several access requests, in request order, by evaluations_semantic',
    request: evaluationsSchema,
    response: EVALUATIONS_RESPONSE[200],
  },
  {
    path: AUTHZEN_PATHS.subject,
    operationId: 'authzenSearchSubjects',
    summary: 'Subjects of a type that the request would allow',
    request: subjectSearchSchema,
    response: searchAnswer(ENTITY_REF),
  },
  {
    path: AUTHZEN_PATHS.resource,
    operationId: 'authzenSearchResources',
    summary: 'Resources of a type that the request would allow',
    request: resourceSearchSchema,
    response: searchAnswer(ENTITY_REF),
  },
  {
    path: AUTHZEN_PATHS.action,
    operationId: 'authzenSearchActions',
    summary: 'Actions the subject may take on the resource',
    request: actionSearchSchema,
    response: searchAnswer({ type: 'object', properties: { name: STR }, required: ['name'] }),
  },
];

const ERROR = { content: json({ $ref: '#/components/schemas/Error' }) };

/**
 * The AuthZEN operations as OpenAPI path items, beside the REST API's: request bodies from
 * the zod schemas the routes parse with, answers from the schemas they serialise with.
 */
export function authzenPathItems(): Record<string, Record<string, Json>> {
  const out: Record<string, Record<string, Json>> = {};
  for (const op of OPERATIONS) {
    out[op.path] = {
      post: {
        operationId: op.operationId,
        summary: op.summary,
        tags: ['authzen'],
        'x-roster-scope': 'decide',
        ...(op.request ? { requestBody: jsonBody(op.request) } : {}),
        responses: {
          200: { description: 'the decision or the matches', content: json(op.response) },
          400: { description: 'not an AuthZEN request (BAD_REQUEST, INVALID_INPUT)', ...ERROR },
          401: { description: 'no token, or a token that is not valid', ...ERROR },
          403: { description: 'the token lacks the decide scope', ...ERROR },
          415: { description: 'the body is not JSON (UNSUPPORTED_MEDIA_TYPE)', ...ERROR },
        },
      },
    };
  }
  out[AUTHZEN_PATHS.metadata] = {
    get: {
      operationId: 'authzenConfiguration',
      summary: 'AuthZEN PDP metadata: the endpoints above as absolute URLs',
      tags: ['authzen'],
      'x-roster-scope': 'public',
      security: [],
      responses: { 200: { description: 'PDP metadata', content: json(METADATA) } },
    },
  };
  return out;
}

function json(schema: Json): Json {
  return { 'application/json': { schema } };
}

function jsonBody(schema: z.ZodType): Json {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return { required: true, content: json(rest) };
}
