import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { ServerContext } from '../context.js';
import { ApiError } from '../errors.js';
import { afterUploads, ingestUploads, outcomeJson } from '../ingest/run-uploads.js';
import { readUpload } from '../ingest/uploads.js';
import { splitTypes } from '../../sources/format.js';
import { IngestQuery, IngestResult } from '../schemas/ingest.js';

const RAW_BODY_DOC = {
  description:
    'The export itself as the body (any content type: JSON, CSV, NDJSON, PEM), or ' +
    '`multipart/form-data` with one or more file parts, an optional `mapping` file part, and ' +
    'optional fields named like the query parameters.',
  content: {
    'application/octet-stream': {
      schema: { type: 'string', contentMediaType: 'application/octet-stream' },
    },
    'multipart/form-data': {
      schema: {
        type: 'object',
        properties: {
          file: { type: 'string', contentMediaType: 'application/octet-stream' },
          mapping: { type: 'string', contentMediaType: 'application/yaml' },
          format: { type: 'string' },
        },
      },
    },
  },
};

/**
 * POST /api/v1/ingest in a plugin scope of its own: here every content type is read as bytes
 * (the format decides what they mean), multipart parts are streamed by @fastify/multipart, and
 * the body limit is the upload limit rather than the API's small JSON limit.
 */
export async function registerIngestRoutes(
  server: FastifyInstance,
  ctx: ServerContext,
  uploadLimit: number,
): Promise<void> {
  await server.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    await scope.register(multipart, { limits: { fileSize: uploadLimit } });
    const asBytes = { parseAs: 'buffer' as const, bodyLimit: uploadLimit };
    scope.addContentTypeParser('*', asBytes, (_r, body, done) => done(null, body));
    ctx.router.add(scope, {
      method: 'POST',
      url: '/api/v1/ingest',
      operationId: 'ingest',
      summary: 'Ingest uploaded exports: one run per file, then judge',
      description:
        'Runs the same ingest as `roster ingest`: each file is one run that commits whole or ' +
        'not at all; bad rows are listed with file, line and field while good rows land. 201 ' +
        'when at least one run committed; 422 INGEST_FAILED (with the per-file outcomes in ' +
        '`error.details.files`) when none did.',
      tag: 'ingest',
      scope: 'ingest',
      query: IngestQuery,
      rawBody: RAW_BODY_DOC,
      response: IngestResult,
      status: 201,
      bodyLimit: uploadLimit,
      errors: [413, 415, 422],
      handler: async ({ query, request }) => {
        const upload = await readUpload(request, uploadLimit, query.filename);
        const params = mergeParams(request.query, upload.fields);
        const { outcomes, judged } = await ctx.exclusive(async () => {
          const done = await ingestUploads(ctx, upload, params, (err, file) =>
            request.log.error({ err, file }, 'ingest of an upload failed'));
          return { outcomes: done, judged: await afterUploads(ctx, done, params.judge) };
        });
        const files = outcomes.map(outcomeJson);
        await ctx.audit(request, 'ingest', outcomes.find((o) => o.result)?.result?.run.id ?? null, {
          files: files.map((f) => ({
            file: f.file, format: f.format, run: f.run?.id ?? null, counts: f.counts,
            rejected: f.rejectionsTotal, error: f.error?.code ?? null,
          })),
          judged,
        });
        if (!files.some((f) => f.run)) {
          const message = 'no file could be ingested; nothing was stored';
          throw new ApiError('INGEST_FAILED', message, { files });
        }
        return { files, judged } satisfies z.input<typeof IngestResult>;
      },
    });
  });
}

/**
 * Query parameters and form fields of the same name, validated alike; one given both ways
 * with two values is refused rather than one of them silently dropped.
 */
function mergeParams(query: unknown, fields: Record<string, string>) {
  const q = query as Record<string, unknown>;
  const twice = Object.keys(fields).find((k) => q[k] !== undefined && q[k] !== fields[k]);
  if (twice !== undefined) {
    throw new ApiError('INVALID_INPUT', `${twice}: given as a query parameter and as a form ` +
      'field with different values; give it once', { field: twice });
  }
  const merged = IngestQuery.parse({ ...fields, ...q });
  return {
    ...(merged.format ? { format: merged.format } : {}),
    ...(merged.asOf ? { asOf: merged.asOf } : {}),
    ...(merged.scope ? { scope: merged.scope } : {}),
    ...(merged.timezone ? { timezone: merged.timezone } : {}),
    ...(merged.complete ? { complete: merged.complete === 'true' } : {}),
    ...(merged.types ? { types: splitTypes(merged.types) } : {}),
    judge: merged.judge === 'true',
  };
}
