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
