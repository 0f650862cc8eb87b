import { describe, expect, it } from 'vitest';
import { parseText, type Parsed } from '../../../test/helpers/parse.js';
import { awsIamCli as format } from './iam-cli.js';

const ARN = 'arn:aws:iam::210987654321';
const FIELD = 'ResponseMetadata.HTTPHeaders.date';

/** A recorded get-role response whose HTTP headers are `headers`. */
const recorded = (headers: Record<string, unknown>): Promise<Parsed> =>
  parseText(format, 'role.json', JSON.stringify({ status_code: 200, data: {
    Role: { RoleName: 'etl', RoleId: 'AROAEXAMPLEETL000001', Arn: `${ARN}:role/etl`,
      CreateDate: '2024-02-01T00:00:00Z' },
    ResponseMetadata: { HTTPHeaders: headers } } }, null, 4));

describe('aws-iam-cli: the recorded HTTP date header, read strictly', () => {
  it('takes the run\'s as-of from an IMF-fixdate, whatever the header\'s case', async () => {
    for (const name of ['date', 'Date']) {
      const p = await recorded({ [name]: 'Wed, 02 Dec 2026 06:00:00 GMT' });
      expect(p.meta.asOf).toBe('2026-12-02T06:00:00.000Z');
      expect(p.warnings).toEqual([]);
    }
  });

  it.each([
    ['Tue, 31 Feb 2026 10:00:00 GMT', 'day 31 is out of range for 2026-02 (01 to 28)'],
    ['Tue, 03 Feb 2026 24:00:00 GMT', 'hour 24 is out of range'],
    ['Tue, 03 Feb 2026 23:59:60 GMT', 'second 60 is out of range'],
    ['Mon, 03 Feb 2026 10:00:00 GMT', "weekday 'Mon' does not match the date, a Tue"],
    ['Thu, 01 Jan 026 00:00:00 GMT', "year '026' does not have four digits"],
    ['2026-12-02T06:00:00Z', 'not an HTTP date'],
  ])('warns about %s, naming file and field, and sets no as-of', async (date, why) => {
    const p = await recorded({ date });
    expect(p.meta.asOf).toBeUndefined();
    expect(p.warnings).toEqual([{ file: 'role.json', field: FIELD, code: 'INVALID_VALUE',
      message: expect.stringContaining(`unreadable HTTP date ${JSON.stringify(date)}: ${why}`) }]);
    expect(p.warnings[0]!.message)
      .toMatch(/; the run's as-of is --as-of, else the file's modification time$/);
    expect(p.observations).toHaveLength(1); // the records are still read
  });

  it('reads the year 0026 as written, not as 2026, and takes no as-of before 1970', async () => {
    const p = await recorded({ date: 'Thu, 01 Jan 0026 00:00:00 GMT' });
    expect(p.meta.asOf).toBeUndefined();
    expect(p.warnings).toEqual([{ file: 'role.json', field: FIELD, code: 'INVALID_VALUE',
      message: 'the HTTP date "Thu, 01 Jan 0026 00:00:00 GMT" is before 1970, almost surely a ' +
        "typo; the run's as-of is --as-of, else the file's modification time" }]);
  });

  it('quotes a hostile value safely and cuts it short', async () => {
    const date = `Wed, 02 Dec 2026\u001b[31m "${'x'.repeat(500)}`;
    const p = await recorded({ date, other: 1 });
    const message = p.warnings[0]!.message;
    expect(message).toContain(`${JSON.stringify(date.slice(0, 40))}…`);
    expect(message).not.toContain('\u001b');
    expect(message).not.toContain('x'.repeat(30));
  });

  it('warns about a header that is not a text', async () => {
    const p = await recorded({ date: 1_795_996_800 });
    expect(p.warnings).toEqual([expect.objectContaining({ field: FIELD,
      message: expect.stringContaining('the HTTP date is a number, not a text') })]);
  });
});
