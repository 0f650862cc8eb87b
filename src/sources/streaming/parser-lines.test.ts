import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitJson } from '../k8s/json-splitter.js';
import type { SourceInput } from '../format.js';
import { readJsonDocuments } from './json-documents.js';

/** An input read in the given chunks, as a file is read in blocks. */
function chunked(chunks: readonly string[]): SourceInput {
  const buffers = chunks.map((c) => Buffer.from(c));
  return { path: 'x.json', head: chunks[0] ?? '', open: () => Readable.from(buffers) };
}

const pods = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `    {"kind": "Pod", "metadata": {"name": "p${i}"}}`);

async function errorOf(input: SourceInput): Promise<string | undefined> {
  const isRecordArray = (p: readonly unknown[]) => p.length === 1 && p[0] === 'items';
  for await (const s of splitJson(input, { isRecordArray })) {
    if (s.type === 'error') return s.message;
  }
  return undefined;
}

describe('a JSON syntax error is placed by line', () => {
  it('names the line of the fault, read in blocks', async () => {
    // Lines 1-2 open the list, pods on lines 3-42; the fault (a missing comma) on line 23.
    const lines = ['{"apiVersion": "v1", "kind": "List",', '  "items": [', ...pods(40)];
    for (let i = 2; i < lines.length - 1; i++) lines[i] += ',';
    lines[22] = '    {"kind": "Pod" "metadata": {"name": "bad"}},';
    lines.push('  ]}', '');
    const text = lines.join('\n');
    const at = text.indexOf(lines[22]!);
    // Read in three blocks; the fault falls in the second (lines 15 to 30).
    const a = text.indexOf(lines[14]!);
    const b = text.indexOf(lines[30]!);
    const message = await errorOf(chunked([text.slice(0, a), text.slice(a, b), text.slice(b)]));
    expect(text.slice(0, at).split('\n').length).toBe(23);
    expect(message).toBe("Parser cannot parse input: expected ',' at line 23");
  });

  it('names the line of a fault in a large block, fed to the parser 4 KiB at a time',
    async () => {
    // 2,000 pods on 2,000 lines in one 150 KB block; the fault (no comma) on line 1,203.
    const lines = ['{"apiVersion": "v1", "kind": "List",', '  "items": [', ...pods(2000)];
    for (let i = 2; i < lines.length - 1; i++) lines[i] += ',';
    lines[1202] = lines[1202]!.replace('"Pod",', '"Pod"');
    lines.push('  ]}', '');
    const message = await errorOf(chunked([lines.join('\n')]));
    expect(message).toBe("Parser cannot parse input: expected ',' at line 1203");
  });

  it('names the fault\'s line whatever the blocks the file is read in', async () => {
    const lines = ['{"apiVersion": "v1", "kind": "List",', '  "items": [', ...pods(300)];
    for (let i = 2; i < lines.length - 1; i++) lines[i] += ',';
    lines.push('  ]}', '');
    await fc.assert(fc.asyncProperty(fc.integer({ min: 2, max: 301 }),
      fc.array(fc.integer({ min: 1, max: 20_000 }), { minLength: 1, maxLength: 6 }),
      async (bad, cuts) => {
        const broken = [...lines];
        broken[bad] = broken[bad]!.replace('"kind":', '"kind";');
        const text = broken.join('\n');
        const at = [...new Set(cuts.map((c) => c % text.length))].sort((a, b) => a - b);
        const blocks = [0, ...at].map((from, i, all) => text.slice(from, all[i + 1]));
        const message = await errorOf(chunked(blocks.filter((b) => b.length > 0)));
        expect(message).toBe(`Parser cannot parse input: expected ':' at line ${bad + 1}`);
      }), { numRuns: 100 });
  });

  it('says the line when the text left to read is on one line', async () => {
    const message = await errorOf(chunked(['{"items": [{"a": 1}', ' {"b": 2}]}']));
    expect(message).toBe("Parser cannot parse input: expected ',' at line 1");
  });

  it('places errors of concatenated documents too', async () => {
    const input = chunked(['{"value": [1, 2]}\n{"value": [3,\n', ' 4 5]}\n']);
    const items = [];
    for await (const item of readJsonDocuments(input, [['value']])) items.push(item);
    expect(items.at(-1)).toEqual({ kind: 'error',
      message: "not valid JSON after record 4: Parser cannot parse input: expected ',' " +
        'at line 3' });
  });
});
