import { describe, expect, it } from 'vitest';
import { parseJsonDocument } from '../aws/json-document.js';
import { textInput } from '../read-file.js';
import type { JsonItem } from './json-items.js';
import { readJsonLines } from './json-lines.js';
import { jsonErrorOffset, jsonSyntaxProblem } from './json-syntax.js';

const SECRET = 'S3cr3tTokenValue99';

function parseError(text: string): unknown {
  try {
    JSON.parse(text);
  } catch (e) {
    return e;
  }
  throw new Error(`${text} is valid JSON`);
}

describe('JSON syntax errors never quote the input', () => {
  it.each([
    // V8 quotes these with "...", or gives a position.
    [`{"name":"x","token":${SECRET}}`, 20],
    [`{"token":${SECRET}}`, 9],
    [`{"a":1,"b":"c","d":"e","token":${SECRET}}`, 31],
    ['{"a":1 "b":2}', 7],
    ['{"a":1}}', 7],
  ])('finds the offset of the fault in %s', (text, offset) => {
    expect(jsonErrorOffset(text, parseError(text))).toBe(offset);
  });

  it('names line and column of a document, and never a character of it', () => {
    const text = `{\n  "name": "x",\n  "token": ${SECRET}\n}`;
    expect(jsonSyntaxProblem(text, parseError(text))).toBe('at line 3, column 12');
    const r = parseJsonDocument('ec2.json', text);
    expect(r.ok).toBe(false);
    const message = r.ok ? '' : r.rejection.message;
    expect(message).toBe('not valid JSON at line 3, column 12');
    expect(jsonSyntaxProblem('{"a":', parseError('{"a":'))).toBe('(it ends early or is empty)');
    expect(jsonSyntaxProblem('[1,]', parseError('[1,]'))).toBe('(an unexpected character)');
  });

  it('reports the tester\'s JSON line by line and column only', async () => {
    const text = `{"a":1}\n{"name":"x","token":${SECRET}}\n{"a":\n`;
    const items: JsonItem[] = [];
    for await (const i of readJsonLines(textInput('gcp.jsonl', text))) {
      if (i.kind === 'error') items.push(i);
    }
    expect(items).toEqual([
      { kind: 'error', line: 2, message: 'not a JSON value at column 21' },
      { kind: 'error', line: 3, message: 'not a JSON value (it ends early)' },
    ]);
    expect(JSON.stringify(items)).not.toContain('S3cr');
  });
});
