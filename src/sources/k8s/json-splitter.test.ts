import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { textInput } from '../read-file.js';
import type { SourceInput } from '../format.js';
import { splitJson, type JsonPath, type Split } from './json-splitter.js';

const items = (p: JsonPath) => p.length === 1 && p[0] === 'items';

async function all(input: SourceInput, drop?: (p: JsonPath) => boolean): Promise<Split[]> {
  const out: Split[] = [];
  const options = drop ? { isRecordArray: items, drop } : { isRecordArray: items };
  for await (const s of splitJson(input, options)) {
    out.push(s);
  }
  return out;
}

describe('splitJson', () => {
  it('streams the items of a List and keeps the fields after them', async () => {
    const text =
      '{"apiVersion":"v1","items":[{"kind":"Pod","n":1},{"kind":"Pod","n":2}],"kind":"List"}';
    const out = await all(textInput('l.json', text));
    const records = out.filter((s) => s.type === 'record');
    expect(records.map((s) => s.type === 'record' && s.value)).toEqual([
      { kind: 'Pod', n: '1' },
      { kind: 'Pod', n: '2' },
    ]);
    const rest = out.find((s) => s.type === 'rest');
    const value = { apiVersion: 'v1', kind: 'List' };
    expect(rest).toEqual({ type: 'rest', value, sawRecordArray: true });
  });

  it('hands a document without a record array back whole', async () => {
    const out = await all(textInput('p.json', '\ufeff{"kind":"Pod","metadata":{"name":"a"}}'));
    expect(out[0]).toEqual({
      type: 'rest',
      value: { kind: 'Pod', metadata: { name: 'a' } },
      sawRecordArray: false,
    });
  });

  it('never assembles a dropped value, at any nesting inside it', async () => {
    const text =
      '{"items":[{"kind":"Secret","data":{"k":"czNjcjN0","n":{"x":[1]}},"type":"Opaque"}]}';
    const drop = (p: JsonPath) => p.length === 3 && p[2] === 'data';
    const out = await all(textInput('s.json', text), drop);
    const record = out.find((s) => s.type === 'record');
    expect(record?.type === 'record' && record.value).toEqual({ kind: 'Secret', type: 'Opaque' });
  });

  it('keeps a 39-digit number exact as a string', async () => {
    const text = '{"serial":123456789012345678901234567890123456789}';
    const out = await all(textInput('n.json', text));
    expect(out[0]?.type === 'rest' && out[0].value).toEqual({
      serial: '123456789012345678901234567890123456789',
    });
  });

  it('yields the items read before a syntax error, then the error', async () => {
    const out = await all(textInput('bad.json', '{"items":[{"a":1},{"a":2},{"a":'));
    expect(out.filter((s) => s.type === 'record')).toHaveLength(2);
    const error = out.find((s) => s.type === 'error');
    expect(error).toMatchObject({ type: 'error', records: 2 });
  });

  it('hands out the first item before the rest of the file is read', async () => {
    let pulled = 0;
    // 5000 items of about 200 bytes: the read-ahead of the stream buffers is a few dozen KiB.
    const pad = 'x'.repeat(180);
    const item = (i: number) => `${i ? ',' : ''}{"name":"p${i}","pad":"${pad}"}`;
    const many = Array.from({ length: 5000 }, (_, i) => item(i));
    const chunks = ['{"items":[', ...many, ']}'];
    const source = Readable.from(
      (function* () {
        for (const c of chunks) {
          pulled++;
          yield Buffer.from(c);
        }
      })(),
    );
    const input: SourceInput = { path: 'slow.json', head: chunks[0]!, open: () => source };
    for await (const s of splitJson(input, { isRecordArray: items })) {
      if (s.type === 'record') {
        expect(pulled).toBeLessThan(1000);
        break;
      }
    }
    // Stopping early closes the input rather than leaving it open.
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.destroyed).toBe(true);
  });
});
