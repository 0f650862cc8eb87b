import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { RosterError, type RosterErrorCode } from '../model/errors.js';

/** Stable error codes of the HTTP API, a closed set (docs/api.md lists them). */
export type ApiErrorCode =
  | 'BAD_REQUEST'
  | 'INVALID_INPUT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'AMBIGUOUS_KEY'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'UNKNOWN_FORMAT'
  | 'AMBIGUOUS_FORMAT'
  | 'SECRET_REFUSED'
  | 'INGEST_FAILED'
  | 'NOT_READY'
  | 'INTERNAL';

export const API_ERROR_CODES: readonly ApiErrorCode[] = [
  'BAD_REQUEST', 'INVALID_INPUT', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT',
  'AMBIGUOUS_KEY', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'RATE_LIMITED',
  'UNKNOWN_FORMAT', 'AMBIGUOUS_FORMAT', 'SECRET_REFUSED', 'INGEST_FAILED', 'NOT_READY',
  'INTERNAL',
];

const STATUS: Record<ApiErrorCode, number> = {
  BAD_REQUEST: 400,
  INVALID_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  AMBIGUOUS_KEY: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  UNKNOWN_FORMAT: 422,
  AMBIGUOUS_FORMAT: 422,
  SECRET_REFUSED: 422,
  INGEST_FAILED: 422,
  NOT_READY: 503,
  INTERNAL: 500,
};

/** An error a client may see: its code, a message written for them, optional details. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly statusCode: number;
  readonly details?: Readonly<Record<string, unknown>>;

  constructor(code: ApiErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.statusCode = STATUS[code];
    if (details) this.details = details;
  }
}

export const notFound = (what: string): ApiError => new ApiError('NOT_FOUND', `${what} not found`);

const FROM_ROSTER: Partial<Record<RosterErrorCode, ApiErrorCode>> = {
  BAD_INPUT: 'INVALID_INPUT',
  UNKNOWN_FORMAT: 'UNKNOWN_FORMAT',
  AMBIGUOUS_FORMAT: 'AMBIGUOUS_FORMAT',
  SECRET_REFUSED: 'SECRET_REFUSED',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  ILLEGAL_TRANSITION: 'CONFLICT',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
};

const FROM_FASTIFY: Record<string, ApiErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_REQ_FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_PARTS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_FILES_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_FIELDS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
};

/**
 * Maps anything thrown to what the client may see. Only errors raised on purpose keep their
 * message; everything else is INTERNAL with a fixed message, the details staying in the log.
 */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ZodError) {
    const issues = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    return new ApiError('INVALID_INPUT', 'the request is not valid', { issues });
  }
  if (err instanceof RosterError) {
    const code = FROM_ROSTER[err.code];
    if (code) return new ApiError(code, err.message, pick(err.details));
    return new ApiError('INTERNAL', 'internal error; see the server log with this request id');
  }
  const fst = err as Partial<FastifyError>;
  const mapped = typeof fst.code === 'string' ? FROM_FASTIFY[fst.code] : undefined;
  if (mapped) return new ApiError(mapped, publicMessage(mapped));
  if (fst.statusCode === 400 && typeof fst.code === 'string' && fst.code.startsWith('FST_')) {
    return new ApiError('BAD_REQUEST', 'the request could not be read');
  }
  return new ApiError('INTERNAL', 'internal error; see the server log with this request id');
}

function publicMessage(code: ApiErrorCode): string {
  if (code === 'PAYLOAD_TOO_LARGE') return 'the request body is larger than this server accepts';
  if (code === 'UNSUPPORTED_MEDIA_TYPE') return 'this content type is not accepted here';
  return 'the request could not be read';
}

/** Only the detail fields that are safe and useful to a client (never values from input). */
function pick(
  details: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> | undefined {
  if (!details) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of ['field', 'file', 'line']) if (details[k] !== undefined) out[k] = details[k];
  return Object.keys(out).length ? out : undefined;
}

/** The error body every route returns: `{error: {code, message, requestId, details?}}`. */
export function errorBody(e: ApiError, requestId: string): Record<string, unknown> {
  return {
    error: {
      code: e.code,
      message: e.message,
      requestId,
      ...(e.details ? { details: e.details } : {}),
    },
  };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Level of the log line of a 4xx answer (default info). Decision routes, which log at warn
     * and above only, raise it to warn so that a refused or malformed PEP call is still seen.
     */
    clientErrorLevel?: 'info' | 'warn';
  }
}

/** Fastify's error handler: one mapping at the edge; 5xx logged as error, 4xx as info. */
export function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const e = toApiError(err);
  if (e.statusCode >= 500) request.log.error({ err }, 'request failed');
  else {
    const level = request.routeOptions.config?.clientErrorLevel ?? 'info';
    request.log[level]({ code: e.code, status: e.statusCode }, e.message);
  }
  if (e.code === 'UNAUTHORIZED') void reply.header('www-authenticate', 'Bearer realm="roster"');
  void reply.code(e.statusCode).type('application/json').send(errorBody(e, request.id));
}
