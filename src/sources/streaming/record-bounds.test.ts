import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_RECORD_CHARS } from '../common.js';
import { fileInput, textInput } from '../read-file.js';
import type { JsonItem } from './json-items.js';
import { readJsonDocuments } from './json-documents.js';
import { readJsonLines } from './json-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'roster-bounds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file on disk, read in the file stream's chunks as a real export is. */
function file(name: string, text: string) {
  const path = join(dir, name);
  writeFileSync(path, text);
  return fileInput(path);
}

async function all(items: AsyncIterable<JsonItem>): Promise<JsonItem[]> {
  const out: JsonItem[] = [];
  for await (const i of items) if (i.kind !== 'progress') out.push(i);
  return out;
}

const big = 'z'.repeat(MAX_RECORD_CHARS + 100);

describe('the JSON readers hold one record of at most MAX_RECORD_CHARS', () => {
  it('a string past the bound ends the read at its record, earlier records kept', async () => {
    const text = `[{"a":1},{"b":"${big}"},{"c":3}]`;
    const items = await all(readJsonDocuments(file('a.json', text), []));
    expect(items).toEqual([
      { kind: 'record', record: { value: { a: 1 }, line: 1, envelope: {} } },
      { kind: 'error', line: 2, message: expect.stringContaining(`than ${MAX_RECORD_CHARS}`) },
    ]);
  });

  it('a string far past the bound is stopped while it is read, not after', async () => {
    const huge = 'z'.repeat(3 * MAX_RECORD_CHARS);
    const items = await all(readJsonDocuments(file('h.json', `[{"b":"${huge}"}]`), []));
    expect(items).toEqual([
      { kind: 'error', line: 1, message: expect.stringContaining('a JSON value longer than') },
    ]);
  });

  it('a record of many small values past the bound is refused too', async () => {
    const many = '"zz",'.repeat(Math.ceil(MAX_RECORD_CHARS / 3) + 10);
    const items = await all(readJsonDocuments(file('b.json', `[{"a":1},{"b":[${many}"y"]}]`), []));
    expect(items.map((i) => i.kind)).toEqual(['record', 'error']);
    expect(items[1]).toMatchObject({ line: 2, message: expect.stringContaining('a JSON record') });
  });

  it('a document larger than the bound made of small records reads whole', async () => {
    const rec = `{"c":"${'w'.repeat(1000)}"},`;
    const n = Math.ceil(MAX_RECORD_CHARS / rec.length) + 10;
    const text = `[${rec.repeat(n)}{"c":3}]`;
    const items = await all(readJsonDocuments(file('c.json', text), []));
    expect(items.filter((i) => i.kind === 'record')).toHaveLength(n + 1);
    // Also when the whole input arrives as one chunk (an upload held in memory).
    const one = await all(readJsonDocuments(textInput('c.json', text), []));
    expect(one.filter((i) => i.kind === 'record')).toHaveLength(n + 1);
  });

  it('a JSON line past the bound is refused by its number', async () => {
    const items = await all(readJsonLines(file('d.jsonl', `{"a":1}\n{"b":"${big}"}\n{"c":3}\n`)));
    expect(items).toEqual([
      { kind: 'record', record: { value: { a: 1 }, line: 1, envelope: {} } },
      { kind: 'error', line: 2, message: expect.stringContaining('a line longer than') },
    ]);
  });
});
