import { pipeline } from 'node:stream';
import Assembler from 'stream-json/Assembler.js';
import Parser from 'stream-json/Parser.js';
import type { SourceInput } from '../format.js';
import { MAX_RECORD_CHARS, recordTooLong } from '../common.js';
import { ByteCounter, packingPast, ProgressGate, RecordTooLong } from './byte-counter.js';
import { detached } from './values.js';
import type { ArrayPath, JsonItem } from './json-items.js';
import { atLine, faultLines } from './parser-lines.js';

interface Token {
  readonly name: string;
  readonly value?: string;
}

interface Frame {
  readonly type: 'object' | 'array';
  readonly path: readonly string[];
  key: string | null;
}

const VALUE_START = new Set([
  'startObject',
  'startArray',
  'stringValue',
  'numberValue',
  'nullValue',
  'trueValue',
  'falseValue',
]);

/**
 * Walks the tokens of one or more JSON documents (stream-json, `jsonStreaming`) and hands out
 * records: the elements of a top-level array, the elements of arrays at `arrays` paths (the
 * `value` of a Graph list, the `results` of a NetBox page), or a whole document when none of
 * those is there. Only one record is assembled at a time, so a file of hundreds of MB stays in
 * bounded memory.
 */
class DocumentWalker {
  readonly #arrays: readonly ArrayPath[];
  #frames: Frame[] = [];
  #asm: Assembler | undefined;
  #assembling: readonly string[] | 'record' = 'record';
  #envelope: Record<string, unknown> = {};
  #foundArray = false;
  #records = 0;
  readonly out: JsonItem[] = [];

  get records(): number {
    return this.#records;
  }

  /** True while a record is being assembled (bounded by MAX_RECORD_CHARS). */
  get inRecord(): boolean {
    return this.#asm !== undefined && this.#assembling === 'record';
  }

  constructor(arrays: readonly ArrayPath[]) {
    this.#arrays = arrays;
  }

  push(token: Token): void {
    // Values are copied out of the parser's input chunks, so that keeping one keeps no chunk.
    const v = token.value;
    const tok = typeof v !== 'string' || v.length < 13 ? token : { ...token, value: detached(v) };
    if (this.#asm) return this.#feed(tok);
    const top = this.#frames[this.#frames.length - 1];
    if (!top) return this.#startDocument(tok);
    if (top.type === 'array') return this.#inArray(tok);
    this.#inObject(top, tok);
  }

  #feed(tok: Token): void {
    const asm = this.#asm!;
    asm.consume(tok);
    if (!asm.done) return;
    this.#asm = undefined;
    if (this.#assembling === 'record') this.#record(asm.current);
    else setAt(this.#envelope, this.#assembling, asm.current);
  }

  #assemble(tok: Token, target: readonly string[] | 'record'): void {
    this.#asm = new Assembler();
    this.#assembling = target;
    this.#feed(tok);
  }

  #startDocument(tok: Token): void {
    this.#envelope = {};
    this.#foundArray = false;
    if (tok.name === 'startObject') this.#frames.push({ type: 'object', path: [], key: null });
    else if (tok.name === 'startArray') {
      this.#foundArray = true;
      this.#frames.push({ type: 'array', path: [], key: null });
    } else if (VALUE_START.has(tok.name)) this.#assemble(tok, 'record');
  }

  #inArray(tok: Token): void {
    if (tok.name === 'endArray') return this.#pop();
    if (VALUE_START.has(tok.name)) this.#assemble(tok, 'record');
  }

  #inObject(frame: Frame, tok: Token): void {
    if (tok.name === 'keyValue') {
      frame.key = tok.value ?? '';
      return;
    }
    if (tok.name === 'endObject') return this.#pop();
    if (!VALUE_START.has(tok.name) || frame.key === null) return;
    const path = [...frame.path, frame.key];
    frame.key = null;
    if (tok.name === 'startArray' && this.#isArrayPath(path)) {
      this.#foundArray = true;
      this.#frames.push({ type: 'array', path, key: null });
    } else if (tok.name === 'startObject' && this.#isPrefix(path)) {
      setAt(this.#envelope, path, {});
      this.#frames.push({ type: 'object', path, key: null });
    } else {
      this.#assemble(tok, path);
    }
  }

  #pop(): void {
    this.#frames.pop();
    if (this.#frames.length > 0) return;
    // A document without any of the record arrays is itself the record (a single object).
    if (!this.#foundArray) this.#record(this.#envelope);
    this.out.push({ kind: 'end', envelope: this.#envelope, listed: this.#foundArray });
  }

  #record(value: unknown): void {
    this.#records++;
    const record = { value, line: this.#records, envelope: this.#envelope };
    this.out.push({ kind: 'record', record });
  }

  #isArrayPath(path: readonly string[]): boolean {
    return this.#arrays.some((a) => samePath(a, path));
  }

  #isPrefix(path: readonly string[]): boolean {
    return this.#arrays.some(
      (a) => a.length > path.length && samePath(a.slice(0, path.length), path),
    );
  }
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/**
 * Reads one JSON document, or several one after another (`fleetctl ... --json`, concatenated
 * pages), streaming the records found at `arrays` (see DocumentWalker). Malformed JSON ends the
 * reading with an `error` item; records already read have been handed out.
 *
 * @example readJsonDocuments(input, [['value']]) // the service principals of a Graph list
 */
export async function* readJsonDocuments(
  input: SourceInput,
  arrays: readonly ArrayPath[],
): AsyncGenerator<JsonItem> {
  const counter = new ByteCounter({ stripBom: true });
  const parser = new Parser({ jsonStreaming: true, packValues: true, streamValues: false });
  const faultLine = faultLines(parser);
  const walker = new DocumentWalker(arrays);
  const gate = new ProgressGate();
  const state = new TokenPump(parser, walker);
  counter.guard = () => state.valueTooLong();
  pipeline(input.open(), counter, parser, () => undefined);
  try {
    for (;;) {
      const items = await state.next();
      if (items === undefined) break;
      yield* items;
      const bytes = gate.due(counter.bytes);
      if (bytes !== undefined) yield { kind: 'progress', bytes };
    }
  } catch (e) {
    if (e instanceof RecordTooLong) {
      yield { kind: 'error', line: walker.records + 1, message: e.message };
      return;
    }
    const why = e instanceof Error ? atLine(e.message.slice(0, 120), faultLine()) : 'unreadable';
    yield { kind: 'error', message: `not valid JSON after record ${walker.records}: ${why}` };
    return;
  } finally {
    parser.destroy();
  }
  yield { kind: 'progress', bytes: counter.bytes };
}

/**
 * Feeds tokens to the walker synchronously (async iteration per token costs more than the
 * parsing itself) and pauses the parser while a batch of items waits to be taken.
 */
class TokenPump {
  readonly #parser: Parser;
  readonly #walker: DocumentWalker;
  #ended = false;
  #error: unknown;
  #wake: (() => void) | undefined;
  /** About the characters of the record being assembled: its token values, one per token. */
  #recordChars = 0;

  constructor(parser: Parser, walker: DocumentWalker) {
    this.#parser = parser;
    this.#walker = walker;
    parser.on('data', (tok: Token) => {
      walker.push(tok);
      if (!walker.inRecord) this.#recordChars = 0;
      else if ((this.#recordChars += (tok.value?.length ?? 0) + 1) > MAX_RECORD_CHARS) {
        parser.destroy(new RecordTooLong(recordTooLong('JSON record')));
        return;
      }
      if (walker.out.length >= 64) parser.pause();
      this.#notify();
    });
    parser.on('end', () => this.#finish(undefined));
    parser.on('error', (e: unknown) => this.#finish(e ?? new Error('parse error')));
  }

  /**
   * Why the reading must stop before the next chunk: stream-json packs a string or number
   * whole before it gives its token, so the one it is packing is measured where it grows.
   */
  valueTooLong(): string | undefined {
    const long = packingPast(this.#parser, MAX_RECORD_CHARS);
    return long ? recordTooLong('JSON value') : undefined;
  }

  /** The next batch of items, or undefined at the end; throws the parser's error. */
  async next(): Promise<JsonItem[] | undefined> {
    for (;;) {
      if (this.#walker.out.length > 0) {
        const items = this.#walker.out.splice(0);
        if (!this.#ended) this.#parser.resume();
        return items;
      }
      if (this.#error !== undefined) throw this.#error;
      if (this.#ended) return undefined;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  #finish(error: unknown): void {
    this.#ended = true;
    this.#error = error;
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
