import { describe, expect, it } from 'vitest';
import { textInput } from '../read-file.js';
import type { JsonItem } from './json-items.js';
import { readJsonDocuments } from './json-documents.js';
import { looksLikeJsonLines, readJsonLines } from './json-lines.js';

async function all(items: AsyncIterable<JsonItem>): Promise<JsonItem[]> {
  const out: JsonItem[] = [];
  for await (const i of items) if (i.kind !== 'progress') out.push(i);
  return out;
}

const values = (items: JsonItem[]): unknown[] =>
  items.flatMap((i) => (i.kind === 'record' ? [i.record.value] : []));

describe('readJsonDocuments', () => {
  it('streams the elements of an array at a nested path and keeps the envelope', async () => {
    const text = '{"meta":{"page":1},"data":{"total":2,"items":[{"a":1},{"a":2}],"x":true}}';
    const items = await all(readJsonDocuments(textInput('t.json', text), [['data', 'items']]));
    expect(values(items)).toEqual([{ a: 1 }, { a: 2 }]);
    const first = items[0]!;
    expect(first.kind === 'record' && first.record.envelope).toMatchObject({ meta: { page: 1 } });
    expect(items.at(-1)).toEqual({
      kind: 'end',
      listed: true,
      envelope: { meta: { page: 1 }, data: { total: 2, x: true } },
    });
  });

  it('reads documents one after another, a top-level array, and a single object', async () => {
    const text = '\ufeff{"kind":"host","spec":{"id":1}}\n{"kind":"host","spec":{"id":2}}\n[3,4]';
    const items = await all(readJsonDocuments(textInput('t.json', text), [['hosts']]));
    expect(values(items)).toEqual([
      { kind: 'host', spec: { id: 1 } },
      { kind: 'host', spec: { id: 2 } },
      3,
      4,
    ]);
    const ends = items.filter((i) => i.kind === 'end').map((i) => i.kind === 'end' && i.listed);
    expect(ends).toEqual([false, false, true]);
    const lines = items.flatMap((i) => (i.kind === 'record' ? [i.record.line] : []));
    expect(lines).toEqual([1, 2, 3, 4]);
  });

  it('hands out records read before malformed JSON, then one error', async () => {
    const text = '{"value":[{"id":"a"},{"id":"b"},{"id": nope}]}';
    const items = await all(readJsonDocuments(textInput('t.json', text), [['value']]));
    expect(values(items)).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(items.at(-1)).toMatchObject({ kind: 'error' });
    expect(items.at(-1)!.kind === 'error' && items.at(-1)).toMatchObject({
      message: expect.stringMatching(/^not valid JSON after record 2/),
    });
  });
});

describe('readJsonLines', () => {
  it('reads each line, skips blank lines and reports a bad line by number', async () => {
    const text = '{"a":1}\r\n\n{"a":\n{"a":3}';
    const items = await all(readJsonLines(textInput('t.jsonl', text)));
    expect(items).toEqual([
      { kind: 'record', record: { value: { a: 1 }, line: 1, envelope: {} } },
      { kind: 'error', line: 3, message: expect.stringMatching(/^not a JSON value/) },
      { kind: 'record', record: { value: { a: 3 }, line: 4, envelope: {} } },
    ]);
  });

  it('tells JSON lines from a pretty-printed document', () => {
    expect(looksLikeJsonLines('{"a":1}\n{"a":2}\n')).toBe(true);
    expect(looksLikeJsonLines('{\n  "a": 1\n}\n')).toBe(false);
    expect(looksLikeJsonLines('[\n{"a":1}\n]')).toBe(false);
    expect(looksLikeJsonLines('id,name\n')).toBe(false);
  });

  it('takes a whole array on the first line for a document, not a line of JSON', () => {
    expect(looksLikeJsonLines('[{"a":1},{"a":2}]\n')).toBe(false);
    expect(looksLikeJsonLines('[]')).toBe(false);
    expect(looksLikeJsonLines('{"a":1}')).toBe(true);
  });
});
