import { topLevelMembers } from './iam-cli-head.js';

/**
 * The start of the credential report's CSV header, which every report begins with (IAM User
 * Guide, "Getting credential reports": `user,arn,user_creation_time,password_enabled,…`).
 */
export const REPORT_HEADER = /^\uFEFF?user,arn,user_creation_time(,|\r?\n|$)/;

const CONTENT_VALUE = /"Content"\s*:\s*"/g;

/** Base64 of the header's first 36 bytes (`user,arn,user_creation_time,password`). */
const BASE64_PREFIX = 48;

/**
 * True when a JSON head holds a top-level (or recorder's `data`) `Content` whose value starts
 * with the credential report: the CSV itself, or its base64 as the CLI prints blobs. `Content`
 * comes first in the CLI's output, so `ReportFormat` may lie past a head of a large report;
 * the start of `Content` is always in it.
 *
 * @example startsWithReportContent('{"Content": "dXNlcixhcm4sdXNlcl9jcmVhdGlvbl90aW1lLHBh') // true
 */
export function startsWithReportContent(head: string): boolean {
  for (const m of head.matchAll(CONTENT_VALUE)) {
    const start = m.index + m[0].length;
    if (topLevelMembers(head.slice(0, start)).at(-1) !== 'Content') continue;
    return isReportStart(head.slice(start, start + 2 * BASE64_PREFIX));
  }
  return false;
}

function isReportStart(value: string): boolean {
  if (REPORT_HEADER.test(value)) return true;
  // JSON may escape the solidus of the base64 alphabet as `\/`.
  const base64 = /^[A-Za-z0-9+/]*/.exec(value.replaceAll('\\/', '/'))![0];
  if (base64.length < BASE64_PREFIX) return false;
  const decoded = Buffer.from(base64.slice(0, BASE64_PREFIX), 'base64').toString('utf8');
  return REPORT_HEADER.test(decoded);
}
