import { z } from 'zod';
import type { AnyRouteDef } from './route.js';
import { components } from './schemas/common.js';

type Json = Record<string, unknown>;

const REF = (id: string): string => `#/components/schemas/${id}`;

const ERROR_TEXT: Record<number, string> = {
  400: 'the request is not valid (INVALID_INPUT, BAD_REQUEST)',
  401: 'no token, or a token that is not valid (UNAUTHORIZED)',
  403: 'the token lacks the scope this needs (FORBIDDEN)',
  404: 'no such thing (NOT_FOUND)',
  409: 'a conflict (CONFLICT, AMBIGUOUS_KEY)',
  413: 'the body is too large (PAYLOAD_TOO_LARGE)',
  415: 'content type not accepted (UNSUPPORTED_MEDIA_TYPE)',
  422: 'the input could not be ingested (UNKNOWN_FORMAT, AMBIGUOUS_FORMAT, INGEST_FAILED)',
  429: 'too many requests for this token (RATE_LIMITED)',
  500: 'an internal error; details stay in the server log (INTERNAL)',
  503: 'the inventory is not loaded yet (NOT_READY)',
};

export interface DocumentInfo {
  readonly version: string;
  readonly serverUrl?: string;
}

/**
 * The OpenAPI 3.1 document of every declared operation. Its schemas are JSON Schema 2020-12 as
 * zod 4 writes them, which OpenAPI 3.1 uses unchanged (OpenAPI 3.1.0, "Schema Object").
 */
export function buildOpenApi(
  routes: readonly AnyRouteDef[],
  info: DocumentInfo,
  /** Path items served outside the router (AuthZEN), written as OpenAPI already. */
  extraPaths: Readonly<Record<string, Record<string, Json>>> = {},
): Json {
  const paths: Record<string, Record<string, Json>> = { ...extraPaths };
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    (paths[path] ??= {})[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Roster API',
      version: info.version,
      description:
        'The reconciled inventory of assets, identities and credentials. Every operation except ' +
        'health, this document and its reference page needs `Authorization: Bearer <token>`; ' +
        '`x-roster-scope` names the scope (`admin` includes every other; `any`: any valid token).',
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    security: [{ bearer: [] }],
    tags: [...new Set([...routes.map((r) => r.tag), ...extraTags(extraPaths)])]
      .map((name) => ({ name })),
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: "API token from 'roster token create' (rst_...)",
        },
      },
    },
  };
}

function extraTags(paths: Readonly<Record<string, Record<string, Json>>>): string[] {
  return Object.values(paths).flatMap((item) =>
    Object.values(item).flatMap((op) => (op['tags'] as string[] | undefined) ?? []));
}

function componentSchemas(): Json {
  const out = z.toJSONSchema(components, { uri: REF, unrepresentable: 'any', io: 'output' });
  return Object.fromEntries(Object.entries(out.schemas).map(([id, s]) => [id, clean(s)]));
}

function operation(route: AnyRouteDef): Json {
  const params = [
    ...parameters(route.params, 'path'),
    ...parameters(route.query, 'query'),
  ];
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    'x-roster-scope': route.scope,
    ...(route.scope === 'public' ? { security: [] } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...requestBody(route),
    responses: responses(route),
  };
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const json = inline(schema, 'input') as { properties?: Json; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s as Json;
    return {
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

function requestBody(route: AnyRouteDef): Json {
  if (route.rawBody) {
    return { requestBody: { required: true, ...route.rawBody } };
  }
  if (!route.body) return {};
  return {
    requestBody: {
      required: true,
      content: { 'application/json': { schema: schemaOrRef(route.body, 'input') } },
    },
  };
}

function responses(route: AnyRouteDef): Json {
  const ok: Json = route.produces
    ? {
      [route.produces.type]: {
        schema: { type: 'string', description: route.produces.description },
      },
    }
    : { 'application/json': { schema: schemaOrRef(route.response, 'output') } };
  for (const [type, description] of Object.entries(route.alsoProduces ?? {})) {
    ok[type] = { schema: { type: 'string', description } };
  }
  const out: Json = { [String(route.status ?? 200)]: { description: 'success', content: ok } };
  const statuses = route.scope === 'public' ? [500] : [400, 401, 403, 429, 500, 503];
  for (const status of [...statuses, ...(route.errors ?? [])].sort()) {
    out[String(status)] = {
      description: ERROR_TEXT[status] ?? 'error',
      content: { 'application/json': { schema: { $ref: REF('Error') } } },
    };
  }
  return out;
}

function schemaOrRef(schema: z.ZodType, io: 'input' | 'output'): Json {
  const id = components.get(schema)?.id;
  return id ? { $ref: REF(id) } : inline(schema, io);
}

function inline(schema: z.ZodType, io: 'input' | 'output'): Json {
  return clean(z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json);
}

/** Drops the per-schema `$schema` and `$id`: the document's dialect covers them. */
function clean(schema: Json): Json {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}
