import type { Observation } from '../../src/model/types.js';
import type { ParseEvent, SourceFormat } from '../../src/sources/format.js';
import { textInput } from '../../src/sources/read-file.js';
import type { SourceInput } from '../../src/sources/format.js';

interface FakeExport {
  meta?: object;
  observations: (Observation | { fail: true })[];
}

/**
 * A format for tests: the input is JSON, `{ "meta": {...}, "observations": [...] }`, and an
 * observation `{"fail": true}` makes the parser throw half-way (to test rollback).
 */
export function fakeFormat(name: string, source: string, systemOfRecord: boolean): SourceFormat {
  return {
    name,
    source,
    systemOfRecord,
    description: 'test format',
    example: '',
    detect: () => 0,
    async *parse(input: SourceInput): AsyncIterable<ParseEvent> {
      let text = '';
      for await (const c of input.open()) text += String(c);
      const doc = JSON.parse(text) as FakeExport;
      if (doc.meta) yield { type: 'meta', meta: doc.meta };
      for (const o of doc.observations) {
        if ('fail' in o) throw new Error('parser failed half-way');
        yield { type: 'observation', observation: o };
      }
    },
  };
}

export function fakeInput(doc: unknown, name = 'test.json'): SourceInput {
  return textInput(name, JSON.stringify(doc));
}
