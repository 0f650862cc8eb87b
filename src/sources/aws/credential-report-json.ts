import type { Rejection, Warning } from '../../model/types.js';
import { EARLIEST_GIVEN_INSTANT } from '../../model/time.js';
import { parseAwsTime } from './aws-time.js';
import { secretMessage } from './credential-report-row.js';
import { awsErrorCode, isObject, unwrapResponse, type JsonObject } from './json-document.js';
import { RecordIssues } from './record-issues.js';
import { findSecretFields } from './secret-scan.js';

/** The report inside a `GetCredentialReport` response, ready for the CSV reader. */
export interface ReportResponse {
  readonly csv: string;
  readonly asOf?: string;
  readonly warnings: readonly Warning[];
  /** Fields of the response around the report that held secrets (refused, not read). */
  readonly secrets: readonly Rejection[];
}

/** Why IAM gave no report (IAM API reference, GetCredentialReport errors). */
const ERROR_ADVICE: Readonly<Record<string, string>> = {
  ReportNotPresent: "no report was generated; run 'aws iam generate-credential-report' first",
  ReportInProgress: 'the report is still being generated; fetch it again shortly',
  ReportExpired: "the report expired; run 'aws iam generate-credential-report' again",
};

export function isReportResponse(o: JsonObject): boolean {
  return 'Content' in o || 'ReportFormat' in o;
}

/**
 * Reads the JSON the CLI prints for `aws iam get-credential-report` (`Content` is the CSV in
 * base64, as the CLI prints blobs), or the same response recorded by botocore inside a `data`
 * envelope (there `Content` is already decoded). An error response is refused with IAM's code.
 */
export function readReportResponse(file: string, doc: unknown): ReportResponse | Rejection {
  const issues = new RecordIssues(file);
  const error = awsErrorCode(doc);
  if (error !== undefined) {
    const advice = ERROR_ADVICE[error] ?? 'IAM returned an error instead of a report';
    return issues.reject('BAD_INPUT', 'Error.Code', `no credential report (${error}): ${advice}`);
  }
  const payload = unwrapResponse(doc, isReportResponse);
  if (!payload) return issues.reject('BAD_INPUT', undefined, 'not a GetCredentialReport response');

  const format = payload['ReportFormat'];
  if (format !== undefined && format !== 'text/csv') {
    return issues.reject('BAD_INPUT', 'ReportFormat', `unsupported report format '${format}'`);
  }
  const csv = decodeContent(payload['Content']);
  if (csv === undefined) {
    const message = 'Content is neither a base64-encoded nor a plain credential report CSV';
    return issues.reject('BAD_INPUT', 'Content', message);
  }
  const asOf = generatedTime(payload['GeneratedTime'], issues);
  const secrets = envelopeSecrets(doc, issues);
  return { csv, warnings: issues.warnings, secrets, ...(asOf ? { asOf } : {}) };
}

const BASE64 = /^[A-Za-z0-9+/\s]+={0,2}\s*$/;

function decodeContent(content: unknown): string | undefined {
  if (typeof content !== 'string') return undefined;
  if (looksLikeReport(content)) return content;
  if (!BASE64.test(content)) return undefined;
  const decoded = Buffer.from(content, 'base64').toString('utf8');
  return looksLikeReport(decoded) ? decoded : undefined;
}

function looksLikeReport(text: string): boolean {
  return /^\uFEFF?user,arn,/.test(text.trimStart());
}

function generatedTime(raw: unknown, issues: RecordIssues): string | undefined {
  const t = parseAwsTime(raw);
  if (t.ok && (t.value === undefined || t.value >= EARLIEST_GIVEN_INSTANT)) return t.value;
  // No report was generated before 1970 (a written 0026 for 2026): no generation time, and
  // the report's own times are not compared with it.
  const why = t.ok ? `${t.value} is before 1970, almost surely a typo` : t.error;
  issues.warn('INVALID_VALUE', 'GeneratedTime', `${why}; the run has no generation time`);
  return undefined;
}

/** Secrets anywhere in the response but the report itself (whose cells are checked per row). */
function envelopeSecrets(doc: unknown, issues: RecordIssues): Rejection[] {
  const rest = isObject(doc) ? withoutContent(doc) : doc;
  return findSecretFields(rest).map((f) => issues.reject('SECRET_REFUSED', f, secretMessage(f)));
}

function withoutContent(o: JsonObject): JsonObject {
  const { Content: _content, ...rest } = o;
  const data = rest['data'];
  return isObject(data) ? { ...rest, data: withoutContent(data) } : rest;
}
