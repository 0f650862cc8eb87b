import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collect } from '../../../test/helpers/parse.js';
import { textInput } from '../read-file.js';
import { detectFormat } from '../registry.js';
import { awsCredentialReport as format } from './credential-report.js';

const CSV = readFileSync(new URL('./fixtures/credential-report.csv', import.meta.url), 'utf8');
const HEADER = CSV.split('\n')[0]!;
const ACCOUNT = '111122223333';

/** A report of `users` IAM users besides the root account, as IAM writes it. */
function report(users: number): string {
  const none = (c: string): string => (c.endsWith('_active') ? 'false' : 'N/A');
  const cells = HEADER.split(',').slice(3).map(none).join(',');
  const rows = Array.from({ length: users }, (_, i) =>
    `user${i},arn:aws:iam::${ACCOUNT}:user/user${i},2024-01-01T00:00:00+00:00,${cells}`);
  return [HEADER, ...rows, ''].join('\n');
}

const CONTENT = Buffer.from(report(2_000)).toString('base64');
const GENERATED = '2026-11-30T06:04:11+00:00';
const ORDERS = {
  'Content first, as the CLI writes': {
    Content: CONTENT, ReportFormat: 'text/csv', GeneratedTime: GENERATED },
  'Content last': { GeneratedTime: GENERATED, ReportFormat: 'text/csv', Content: CONTENT },
};
const LAYOUTS = { 'pretty-printed (indent 4)': 4, compact: 0 };

describe('aws-credential-report detection of a large GetCredentialReport response', () => {
  for (const [order, doc] of Object.entries(ORDERS)) {
    for (const [layout, indent] of Object.entries(LAYOUTS)) {
      it(`detects 2,000 users, ${order}, ${layout}, and reads them all`, async () => {
        const text = JSON.stringify(doc, null, indent);
        const input = textInput('report.json', text);
        expect(input.head.length).toBeLessThan(text.length); // the head holds part of Content

        expect(detectFormat(input).name).toBe('aws-credential-report');
        const p = await collect(format, input);
        expect(p.rejections).toEqual([]);
        expect(p.observations).toHaveLength(2_000);
        expect(p.meta).toEqual({ scopes: [`aws:${ACCOUNT}`], complete: true,
          asOf: '2026-11-30T06:04:11.000Z' });
      });
    }
  }

  it('detects Content written with escaped solidi, and plain Content in a recorder envelope',
    () => {
      const escaped = `{"Content": "${CONTENT.replaceAll('/', '\\/')}"}`;
      expect(format.detect(textInput('r.json', escaped))).toBe(0.95);
      const plain = JSON.stringify({ status_code: 200, data: { Content: report(2_000) } });
      expect(detectFormat(textInput('r.json', plain)).name).toBe('aws-credential-report');
    });

  it('leaves alone a Content that is not a credential report, or that is nested deeper', () => {
    const other = Buffer.from(`name,arn,created\n${'x,y,z\n'.repeat(20)}`).toString('base64');
    expect(format.detect({ path: 'o.json', head: `{"Content": "${other}"}` })).toBe(0);
    const nested = `{"Items": [{"Content": "${CONTENT.slice(0, 200)}`;
    expect(format.detect({ path: 'n.json', head: nested })).toBe(0);
    const inText = `{"Note": "a \\"Content\\": \\"${CONTENT.slice(0, 200)}"}`;
    expect(format.detect({ path: 't.json', head: inText })).toBe(0);
    expect(format.detect({ path: 's.json', head: '{"Content": "dXNlcixhcm4s"}' })).toBe(0);
  });
});
