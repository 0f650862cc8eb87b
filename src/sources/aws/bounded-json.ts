import type { Rejection } from '../../model/types.js';
import { nestsDeeperThan, tooDeepMessage } from '../json-depth.js';
import { parseJsonDocument } from './json-document.js';
import { fileRejection } from './record-issues.js';

/**
 * Parses an AWS JSON export and refuses one nested past MAX_JSON_DEPTH before any reader
 * walks it (the secret scan and the converters recurse): every AWS JSON reader starts here.
 */
export function parseBoundedJson(
  file: string,
  text: string,
): { ok: true; value: unknown } | { ok: false; rejection: Rejection } {
  const doc = parseJsonDocument(file, text);
  if (doc.ok && nestsDeeperThan(doc.value)) {
    return { ok: false, rejection: fileRejection(file, 'BAD_INPUT', tooDeepMessage()) };
  }
  return doc;
}
