import type { Rejection } from '../../model/types.js';
import { jsonSyntaxProblem } from '../streaming/json-syntax.js';
import { fileRejection } from './record-issues.js';

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Parses a whole JSON document. The error names the line and column but never quotes the
 * input: V8's own message carries a snippet of it, which may hold a secret.
 */
export function parseJsonDocument(
  file: string,
  text: string,
): { ok: true; value: unknown } | { ok: false; rejection: Rejection } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    const message = `not valid JSON ${jsonSyntaxProblem(text, e)}`;
    // The place is in the message only: these readers number their records (items), and a
    // position field would be read as one.
    return { ok: false, rejection: fileRejection(file, 'BAD_INPUT', message) };
  }
}

/**
 * The payload of an AWS response: the document itself as the CLI prints it, or its `data`
 * member when the response was recorded inside an envelope (`{"status_code": 200, "data": …}`,
 * as botocore recorders such as placebo write).
 */
export function unwrapResponse(
  doc: unknown,
  isPayload: (o: JsonObject) => boolean,
): JsonObject | undefined {
  if (!isObject(doc)) return undefined;
  if (isPayload(doc)) return doc;
  const data = doc['data'];
  return isObject(data) && isPayload(data) ? data : undefined;
}

/** The `Error.Code` of an AWS error response, bare or inside a `data` envelope. */
export function awsErrorCode(doc: unknown): string | undefined {
  const payload = unwrapResponse(doc, (o) => isObject(o['Error']));
  const code = payload && (payload['Error'] as JsonObject)['Code'];
  return typeof code === 'string' ? code : undefined;
}

/** Elements of a list member, or undefined when the member is not a list. */
export function listOf(o: JsonObject, member: string): unknown[] | undefined {
  const v = o[member];
  return Array.isArray(v) ? v : undefined;
}
