import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvRecordBound } from './csv-record-bound.js';

/** Passes `text` through the bound in chunks of `size` bytes; what came out and what was left. */
async function through(text: string, max: number, size = 7) {
  const bytes = Buffer.from(text);
  const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) =>
    bytes.subarray(i * size, (i + 1) * size));
  const bound = new CsvRecordBound(max);
  const out: Buffer[] = [];
  for await (const c of Readable.from(chunks).pipe(bound)) out.push(c as Buffer);
  return { out: Buffer.concat(out).toString(), dropped: bound.dropped.map((d) => d.line) };
}

describe('CsvRecordBound', () => {
  it('leaves out a long record, keeping the lines of the records after it', async () => {
    const text = `a,b\n1,"${'y'.repeat(50)}\nz"\n2,"ok\nstill"\n3,x\n`;
    const { out, dropped } = await through(text, 20);
    expect(dropped).toEqual([2]);
    expect(out).toBe('a,b\n\n\n2,"ok\nstill"\n3,x\n');
    const rows: [string[], number][] = [];
    const parser = Readable.from([out]).pipe(parse({ info: true, skip_empty_lines: true }));
    for await (const r of parser) {
      const { record, info } = r as { record: string[]; info: { lines: number } };
      rows.push([record, info.lines]);
    }
    expect(rows).toEqual([[['a', 'b'], 1], [['2', 'ok\nstill'], 5], [['3', 'x'], 6]]);
  });

  it('counts characters, not UTF-8 bytes, and keeps a record at the bound', async () => {
    const { out, dropped } = await through(`é,${'ü'.repeat(8)}\nab,c\n`, 10, 1);
    expect(dropped).toEqual([]);
    expect(out).toBe(`é,${'ü'.repeat(8)}\nab,c\n`);
  });

  it('drops a last record with no newline after it', async () => {
    expect(await through(`a\n${'x'.repeat(30)}`, 10)).toEqual({ out: 'a\n', dropped: [2] });
  });

  it('passes any short-record CSV through unchanged, whatever the chunking', async () => {
    const cell = fc.stringMatching(/^[a-z",\n]{0,6}$/).map((c) => `"${c.replace(/"/g, '""')}"`);
    const csv = fc.array(fc.array(cell, { minLength: 1, maxLength: 3 }), { maxLength: 6 })
      .map((rows) => rows.map((r) => r.join(',')).join('\n'));
    await fc.assert(fc.asyncProperty(csv, fc.integer({ min: 1, max: 9 }), async (text, size) => {
      expect(await through(text, 10_000, size)).toEqual({ out: text, dropped: [] });
    }), { numRuns: 200 });
  });
});

/** The records csv-parse reads from what the bound lets through, with the line each ends on. */
async function parsedThrough(text: string, size = 3) {
  const bytes = Buffer.from(text);
  const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) =>
    bytes.subarray(i * size, (i + 1) * size));
  const bound = new CsvRecordBound(100);
  const parser = parse({ info: true, skip_empty_lines: true, relax_column_count: true });
  const rows: [string[], number][] = [];
  for await (const r of Readable.from(chunks).pipe(bound).pipe(parser)) {
    const { record, info } = r as { record: string[]; info: { lines: number } };
    rows.push([record, info.lines]);
  }
  return { rows, dropped: bound.dropped.map((d) => [d.line, d.reason]) };
}

describe('CsvRecordBound and broken quotes', () => {
  it('leaves out a record whose quoted cell never closes and reads the lines after it',
    async () => {
    const r = await parsedThrough('a,b\n1,x\n2,"never closed\n3,y\n4,z');
    expect(r.dropped).toEqual([[3, 'unclosed']]);
    expect(r.rows).toEqual([[['a', 'b'], 1], [['1', 'x'], 2], [['3', 'y'], 4], [['4', 'z'], 5]]);
  });

  it('reads nothing inside a quoted cell as records, even when a quote after it is broken',
    async () => {
    // A description cell of lines 2 to 4 holds a row; its closing quote is followed by text.
    const planted = 'a,b\n1,"note\nevil,row\nend" (v2)\n2,y\n';
    expect(await parsedThrough(planted)).toEqual({
      rows: [[['a', 'b'], 1], [['2', 'y'], 5]], dropped: [[2, 'quote']] });
    // A quote closes a cell opened lines before, and the text after it breaks the record.
    const r = await parsedThrough('a,b\n1,"x\n2,y\n3,"multi\nline"\n4,w');
    expect(r.dropped).toEqual([[2, 'quote'], [5, 'quote']]);
    expect(r.rows).toEqual([[['a', 'b'], 1], [['4', 'w'], 6]]);
  });

  it('follows the quotes of a record past the bound to its end, reading nothing inside it',
    async () => {
    const cell = `"${'x'.repeat(60)}\nevil,row\n${'y'.repeat(60)}"`;
    const r = await parsedThrough(`a,b\n1,${cell}\n2,y\n`);
    expect(r.dropped).toEqual([[2, 'long']]);
    expect(r.rows).toEqual([[['a', 'b'], 1], [['2', 'y'], 5]]);
  });

  it('leaves out a record with a quote inside an unquoted cell or after a closing quote',
    async () => {
    expect(await parsedThrough('a,b\n1,x"y\n2,y\n')).toEqual({
      rows: [[['a', 'b'], 1], [['2', 'y'], 3]], dropped: [[2, 'quote']] });
    expect(await parsedThrough('a,b\n1,"x"y\n2,y\n')).toEqual({
      rows: [[['a', 'b'], 1], [['2', 'y'], 3]], dropped: [[2, 'quote']] });
  });

  it('keeps CRLF line ends and line numbers after a record it leaves out', async () => {
    expect(await parsedThrough('a,b\r\n1,"x\r\n2,y\r\n3,z\r\n')).toEqual({
      rows: [[['a', 'b'], 1], [['2', 'y'], 3], [['3', 'z'], 4]], dropped: [[2, 'unclosed']] });
  });

  it('reads nothing after a header it cannot read', async () => {
    const bound = await parsedThrough('a,"b\n1,x\n');
    expect(bound).toEqual({ rows: [], dropped: [[1, 'unclosed']] });
  });

  it('says which lines a broken record took and where reading went on', async () => {
    const messages = async (text: string) => {
      const bound = new CsvRecordBound(100);
      for await (const _ of Readable.from([Buffer.from(text)]).pipe(bound)) void _;
      return bound.dropped.map((d) => [d.line, d.message]);
    };
    expect(await messages('a\n"x\nb\n')).toEqual([[2,
      'a quoted cell in the record that starts on line 2 is never closed before the end of ' +
      'the file; its first line was left out, reading went on at line 3']]);
    expect(await messages('a\n"x\ny" z\nb\n')).toEqual([[2,
      'a quote out of place (a quote inside a cell must be doubled, a quoted cell must start ' +
      'the cell and end at a delimiter or the line\'s end) on line 3 of the record that ' +
      'starts on line 2; lines 2 to 3 (2 lines, each counted as a refused row) were left out, ' +
      'reading went on at line 4']]);
    expect(await messages('a\nx"y\nb\n')).toEqual([[2,
      'a quote out of place (a quote inside a cell must be doubled, a quoted cell must start ' +
      'the cell and end at a delimiter or the line\'s end); its quotes never balance before ' +
      'the end of the file; the record was left out, reading went on at line 3']]);
    expect(await messages('a\nx"y\nb\nc"d\ne\n')).toEqual([[2,
      'a quote out of place (a quote inside a cell must be doubled, a quoted cell must start ' +
      'the cell and end at a delimiter or the line\'s end); lines 2 to 4 (3 lines, each ' +
      'counted as a refused row) were left out, reading went on at line 5']]);
  });

  it('leaves out a misplaced but balanced quote with its line only, reading the rows after',
    async () => {
    for (const cell of ['app-05""', 'ap"p-05"', 'a""b""']) {
      expect(await parsedThrough(`h,k\n1,x\n5,${cell}\n6,y\n7,z\n`)).toEqual({
        rows: [[['h', 'k'], 1], [['1', 'x'], 2], [['6', 'y'], 4], [['7', 'z'], 5]],
        dropped: [[3, 'quote']] });
    }
  });

  it('reads the lines after a quote out of place whose quotes never balance', async () => {
    // Left out through the fault's line, however far the record started before it.
    expect(await parsedThrough('h,k\n1,x"y\n2,y\n3,z')).toEqual({
      rows: [[['h', 'k'], 1], [['2', 'y'], 3], [['3', 'z'], 4]], dropped: [[2, 'quote']] });
    expect(await parsedThrough('h,k\n1,"a\nb" c "d\n2,y\n3,z\n')).toEqual({
      rows: [[['h', 'k'], 1], [['2', 'y'], 4], [['3', 'z'], 5]], dropped: [[2, 'quote']] });
    // A second broken record among the lines read again is left out in turn.
    expect(await parsedThrough('h,k\n1,x"y\n2,y\n3,a""b\n4,z\n')).toEqual({
      rows: [[['h', 'k'], 1], [['2', 'y'], 3], [['4', 'z'], 5]],
      dropped: [[2, 'quote'], [4, 'quote']] });
  });

  it('counts each line a broken record took as a row it may have cost', async () => {
    const rows = async (text: string) => {
      const bound = new CsvRecordBound(100);
      for await (const _ of Readable.from([Buffer.from(text)]).pipe(bound)) void _;
      return bound.dropped.map((d) => [d.line, d.rows]);
    };
    expect(await rows('h\nx"y\n1\n2\nz"w\n3\n')).toEqual([[2, 4]]);
    expect(await rows('h\nx""y\n1\n')).toEqual([[2, 1]]);
    // A long record is one record, however many lines its cells take.
    expect(await rows(`h\n"${'x'.repeat(80)}\n${'y'.repeat(80)}"\n1\n`)).toEqual([[2, 1]]);
    expect(await rows('h\n"never closed\n1\n')).toEqual([[2, 1]]);
  });

  it('never lets csv-parse stop on a quote, whatever the text and chunking', async () => {
    const token = fc.constantFrom('a', '"', ',', '\n', '\r\n', '""', 'é');
    const text = fc.array(token, { maxLength: 40 }).map((t) => `h,k\n${t.join('')}`);
    await fc.assert(fc.asyncProperty(text, fc.integer({ min: 1, max: 9 }), async (t, size) => {
      const { rows } = await parsedThrough(t, size);
      expect(rows[0]).toEqual([['h', 'k'], 1]);
    }), { numRuns: 500 });
  });

  it('reads a valid CSV exactly as csv-parse reads it without the bound', async () => {
    const cell = fc.oneof(fc.stringMatching(/^[a-z]{0,4}$/),
      fc.stringMatching(/^[a-z",\n]{0,6}$/).map((c) => `"${c.replace(/"/g, '""')}"`));
    const csv = fc.array(fc.array(cell, { minLength: 1, maxLength: 3 }), { maxLength: 6 })
      .map((rows) => ['h', ...rows.map((r) => r.join(','))].join('\n'));
    await fc.assert(fc.asyncProperty(csv, fc.integer({ min: 1, max: 9 }), async (t, size) => {
      const direct: [string[], number][] = [];
      const parser = Readable.from([t]).pipe(parse({ info: true, skip_empty_lines: true,
        relax_column_count: true }));
      for await (const r of parser) {
        const { record, info } = r as { record: string[]; info: { lines: number } };
        direct.push([record, info.lines]);
      }
      expect(await parsedThrough(t, size)).toEqual({ rows: direct, dropped: [] });
    }), { numRuns: 300 });
  });

  it('never makes a record of a valid CSV\'s cell, however long, whatever it holds', async () => {
    // Rows of two quoted cells; some cells hold lines that look like rows, some are past the
    // bound (100 characters). What comes out is the rows with no long cell, in order.
    const text = fc.oneof(fc.constant('evil,row'), fc.stringMatching(/^[a-z,"\n]{0,8}$/));
    const cell = fc.tuple(fc.array(text, { maxLength: 4 }), fc.boolean())
      .map(([parts, long]) => (long ? [...parts, 'x'.repeat(120)] : parts).join('\n'));
    const rows = fc.array(fc.tuple(cell, cell), { minLength: 1, maxLength: 6 });
    await fc.assert(fc.asyncProperty(rows, fc.integer({ min: 1, max: 9 }), async (rs, size) => {
      const quoted = (c: string) => `"${c.replace(/"/g, '""')}"`;
      const csv = ['h,k', ...rs.map(([a, b]) => `${quoted(a)},${quoted(b)}`)].join('\n');
      const { rows: out } = await parsedThrough(csv, size);
      const short = rs.filter(([a, b]) => `${quoted(a)},${quoted(b)}`.length <= 100);
      expect(out.map(([r]) => r)).toEqual([['h', 'k'], ...short.map(([a, b]) => [a, b])]);
    }), { numRuns: 300 });
  });

  it('loses only a planted broken line and the lines its quotes span, the rest read exactly',
    async () => {
    const quoted = fc.stringMatching(/^[a-z",\n]{0,6}$/).map((c) => `"${c.replace(/"/g, '""')}"`);
    const oneLine = fc.stringMatching(/^[a-z",]{0,6}$/).map((c) => `"${c.replace(/"/g, '""')}"`);
    // A line whose first cell has a quote inside it, its quotes even or odd in number.
    const planted = (odd: boolean) => fc.tuple(fc.stringMatching(/^[a-z]{1,3}$/),
      fc.stringMatching(/^[a-z",]{0,6}$/)).map(([head, rest]) => {
      const quotes = 1 + (rest.match(/"/g) ?? []).length;
      return `${head}"${rest}${quotes % 2 === (odd ? 1 : 0) ? '' : '"'}`;
    });
    const unquoted = fc.stringMatching(/^[a-z]{0,4}$/);
    // Even quotes balance on their own line, inside a file of any valid records; odd ones
    // never balance in a file whose other lines all hold even quotes (one-line cells).
    const cases = fc.boolean().chain((odd) => fc.tuple(
      fc.array(fc.array(odd ? fc.oneof(unquoted, oneLine) : fc.oneof(unquoted, quoted),
        { minLength: 1, maxLength: 3 }), { maxLength: 6 }),
      planted(odd), fc.nat()));
    await fc.assert(fc.asyncProperty(cases, fc.integer({ min: 1, max: 9 }),
      async ([rows, bad, at], size) => {
        const records = ['h', ...rows.map((r) => r.join(','))];
        const k = 1 + (at % records.length);
        const text = [...records.slice(0, k), bad, ...records.slice(k)].join('\n');
        const direct: [string[], number][] = [];
        const without = [...records.slice(0, k), '', ...records.slice(k)].join('\n');
        const parser = Readable.from([without]).pipe(parse({ info: true,
          skip_empty_lines: true, relax_column_count: true }));
        for await (const r of parser) {
          const { record, info } = r as { record: string[]; info: { lines: number } };
          direct.push([record, info.lines]);
        }
        const line = records.slice(0, k).join('\n').split('\n').length + 1;
        expect(await parsedThrough(text, size)).toEqual({ rows: direct,
          dropped: [[line, 'quote']] });
      }), { numRuns: 400 });
  });
});
