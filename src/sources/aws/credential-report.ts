import { Readable } from 'node:stream';
import { headText, readText } from '../common.js';
import type { ParseEvent, ParseOptions, SourceFormat, SourceInput } from '../format.js';
import { readReportCsv } from './credential-report-csv.js';
import { readReportResponse } from './credential-report-json.js';
import { parseBoundedJson } from './bounded-json.js';
import { REPORT_HEADER, startsWithReportContent } from './credential-report-head.js';
import { NOTHING_READ, rejectEvent, warningEvent } from './record-issues.js';

const REPORT_ERROR = /"Code"\s*:\s*"Report(NotPresent|InProgress|Expired)"/;

/**
 * Scores a head: the report's CSV header, the `GetCredentialReport` response (also inside a
 * recorder's `data` envelope) by the start of its `Content` or by its members, or that call's
 * error response, which is refused when parsed.
 */
function detect({ head }: Pick<SourceInput, 'head'>): number {
  const text = headText(head);
  if (REPORT_HEADER.test(text)) return 0.95;
  if (!text.startsWith('{')) return 0;
  if (startsWithReportContent(text)) return 0.95;
  if (/"ReportFormat"\s*:/.test(text) && /"Content"\s*:/.test(text)) return 0.95;
  return REPORT_ERROR.test(text) ? 0.6 : 0;
}

async function* parse(input: SourceInput, options: ParseOptions): AsyncGenerator<ParseEvent> {
  if (!headText(input.head).startsWith('{')) {
    return yield* readReportCsv({
      file: input.path,
      stream: input.open(),
      limits: options.limits,
      ...(options.runAsOf ? { runAsOf: options.runAsOf } : {}),
    });
  }
  const doc = parseBoundedJson(input.path, await readText(input));
  const response = doc.ok ? readReportResponse(input.path, doc.value) : doc.rejection;
  if (!('csv' in response)) {
    return yield* [rejectEvent(response), NOTHING_READ];
  }

  yield* response.warnings.map(warningEvent);
  yield* response.secrets.map(rejectEvent);
  yield* readReportCsv({
    file: input.path,
    stream: Readable.from([response.csv]),
    where: 'in the decoded Content',
    limits: options.limits,
    ...(response.asOf ? { asOf: response.asOf } : {}),
    ...(options.runAsOf ? { runAsOf: options.runAsOf } : {}),
  });
}

/**
 * The IAM credential report: one row per IAM user and the root account, with password, MFA,
 * access-key and signing-certificate status. Read as the decoded CSV or as the CLI's JSON.
 *
 * @example
 * aws iam generate-credential-report && aws iam get-credential-report > report.json
 * roster ingest report.json
 */
export const awsCredentialReport: SourceFormat = {
  name: 'aws-credential-report',
  source: 'aws',
  systemOfRecord: false,
  description: 'AWS IAM credential report: users, root, access keys, signing certificates',
  example:
    'aws iam get-credential-report --query Content --output text | base64 -d > report.csv',
  detect,
  parse: (input, options) => parse(input, options),
};
