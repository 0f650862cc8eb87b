import { basename } from 'node:path';
import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';
import { parse as parseYaml } from 'yaml';
import type { SourceInput } from '../../sources/format.js';
import { Readable } from 'node:stream';
import { maskSecrets } from '../../model/secret-shapes.js';
import { ApiError } from '../errors.js';
import { IngestQuery } from '../schemas/ingest.js';
import { checkEncoding, utf8Checked } from '../../sources/encoding.js';

const HEAD_BYTES = 64 * 1024;
const MAX_FILES = 20;

/** Multipart fields that may stand in for query parameters (HTML forms send fields). */
/** The form fields that set an option: those of the query, which they stand in for. */
const OPTION_FIELDS: ReadonlySet<string> = new Set(Object.keys(IngestQuery.shape));

export interface UploadedFile {
  readonly name: string;
  readonly data: Buffer;
}

export interface Upload {
  readonly files: UploadedFile[];
  /** Contents of a `mapping` part (YAML or JSON), for mapped formats. */
  readonly mapping?: unknown;
  /** The `mapping` part's file name, for errors about it. */
  readonly mappingName?: string;
  readonly fields: Record<string, string>;
}

/** A SourceInput over an uploaded buffer, named as the client named the file. */
export function bufferInput(name: string, data: Buffer): SourceInput {
  checkEncoding(name, data);
  return utf8Checked({
    path: name,
    head: data.subarray(0, HEAD_BYTES).toString('utf8'),
    open: () => Readable.from([data]),
  });
}

/** A file name fit for messages: the last path segment, printable, at most 255 characters. */
export function cleanName(raw: string | undefined, fallback: string): string {
  // eslint-disable-next-line no-control-regex
  const name = basename((raw ?? '').replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f]/g, '');
  // Rule 5: a secret in a name (`ghp_….csv`) is masked in what is kept and answered.
  return maskSecrets(name).slice(0, 255) || fallback;
}

/** Reads the request's files: a raw body is one file; multipart may carry several. */
export async function readUpload(
  request: FastifyRequest,
  fileSize: number,
  rawName: string | undefined,
): Promise<Upload> {
  if (!request.isMultipart()) {
    const body = request.body;
    if (!Buffer.isBuffer(body) || body.length === 0) throw noFile();
    return { files: [{ name: cleanName(rawName, 'upload'), data: body }], fields: {} };
  }
  return readParts(request, fileSize);
}

async function readParts(request: FastifyRequest, fileSize: number): Promise<Upload> {
  const files: UploadedFile[] = [];
  const fields: Record<string, string> = {};
  let mapping: unknown;
  let mappingName: string | undefined;
  const limits = { fileSize, files: MAX_FILES + 1, fields: 20, fieldSize: 4096 };
  const parts = request.parts({ limits });
  for await (const part of parts) {
    if (part.type === 'file' && part.fieldname === 'mapping') {
      mapping = parseMapping((await part.toBuffer()).toString('utf8'));
      mappingName = cleanName(part.filename, 'mapping');
    } else if (part.type === 'file') {
      const data = await part.toBuffer();
      const name = cleanName(part.filename, `upload-${files.length + 1}`);
      if (data.length > 0) files.push({ name, data });
    } else if (OPTION_FIELDS.has(part.fieldname)) {
      // Given twice, a field is refused rather than the last one silently kept.
      if (fields[part.fieldname] !== undefined) {
        throw new ApiError('INVALID_INPUT', `${part.fieldname}: form field given more than ` +
          'once; give it once', { field: part.fieldname });
      }
      fields[part.fieldname] = String(part.value);
    } else {
      throw new ApiError('INVALID_INPUT', `unknown form field '${part.fieldname.slice(0, 50)}'`, {
        field: part.fieldname.slice(0, 50),
      });
    }
  }
  if (files.length === 0) throw noFile();
  if (files.length > MAX_FILES) {
    throw new ApiError('PAYLOAD_TOO_LARGE', `at most ${MAX_FILES} files per request`);
  }
  if (mapping === undefined) return { files, fields };
  return { files, fields, mapping, mappingName: mappingName ?? 'mapping' };
}

function parseMapping(text: string): unknown {
  try {
    return parseYaml(text);
  } catch {
    throw new ApiError('INVALID_INPUT', 'the mapping part is not valid YAML or JSON', {
      field: 'mapping',
    });
  }
}

function noFile(): ApiError {
  return new ApiError('INVALID_INPUT', 'no file in the request: send the export as the body ' +
    'or as a multipart file part');
}
