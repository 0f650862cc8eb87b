import { Transform, pipeline, type TransformCallback } from 'node:stream';
import Assembler from 'stream-json/Assembler.js';
import Parser from 'stream-json/Parser.js';
import type { SourceInput } from '../format.js';
import { MAX_RECORD_CHARS, recordTooLong } from '../common.js';
import { ByteCounter, packingPast, ProgressGate } from '../streaming/byte-counter.js';
import { detached } from '../streaming/values.js';
import { atLine, faultLines, type LineRange } from '../streaming/parser-lines.js';

/** A step from a document's root: an object key or an array index. */
export type PathStep = string | number;
export type JsonPath = readonly PathStep[];

export interface SplitOptions {
  /** True for a path whose array holds the records to stream one by one (`['items']`). */
  readonly isRecordArray: (path: JsonPath) => boolean;
  /**
   * True for a path whose value is never assembled: a Secret's `data` is skipped token by token,
   * so its values never become strings in memory.
   */
  readonly drop?: (path: JsonPath) => boolean;
  /** Paths longer than this are never tested (default 3): keeps per-token work constant. */
  readonly maxTestDepth?: number;
}

/** What the splitter hands out, in input order. */
export type Split =
  | {
      readonly type: 'record';
      readonly path: JsonPath;
      readonly index: number;
      readonly value: unknown;
      /**
       * The top-level object as read so far, when the record array sits at the top level:
       * fields written before the array (`kind` of a PodList, a `current-context`) are in it.
       */
      readonly envelope?: Readonly<Record<string, unknown>>;
    }
  /** The document without its record arrays and dropped values; comes last. */
  | { readonly type: 'rest'; readonly value: unknown; readonly sawRecordArray: boolean }
  | { readonly type: 'error'; readonly message: string; readonly records: number }
  | { readonly type: 'progress'; readonly bytes: number };

interface Token {
  readonly name: string;
  readonly value?: string;
}

interface Frame {
  readonly isArray: boolean;
  readonly isRecordArray: boolean;
  /** Current key (object) or index (array) inside this container. */
  step: PathStep | null;
}

const ASSEMBLER_OPTIONS = { numberAsString: true } as Assembler.AssemblerOptions;

/**
 * Splits a stream of stream-json tokens into records and the rest of the document. One record is
 * assembled at a time, so memory stays bounded by the largest record, not the file. Numbers stay
 * strings (RULE 2: a 39-digit serial or an id with leading zeros must not become a float).
 */
class TokenSplitter extends Transform {
  readonly #options: SplitOptions;
  readonly #maxDepth: number;
  readonly #frames: Frame[] = [];
  readonly #rest = new Assembler(ASSEMBLER_OPTIONS);
  #record: Assembler | undefined;
  #recordPath: JsonPath = [];
  #skipping = 0;
  #sawRecordArray = false;
  #failed = false;
  records = 0;

  constructor(options: SplitOptions) {
    super({ objectMode: true });
    this.#options = options;
    this.#maxDepth = options.maxTestDepth ?? 3;
  }

  override _transform(token: Token, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.#failed) return done();
    // Values are copied out of the parser's input chunks, so that keeping one keeps no chunk.
    const v = token.value;
    const long = typeof v === 'string' && v.length >= 13;
    this.#take(long ? { name: token.name, value: detached(v) } : token);
    done();
  }

  override _flush(done: TransformCallback): void {
    if (!this.#failed) {
      this.push({ type: 'rest', value: this.#rest.current, sawRecordArray: this.#sawRecordArray });
    }
    done();
  }

  /** Ends the output after the records so far with an error, or does nothing when `e` is null. */
  fail(e: Error | null | undefined, lines?: LineRange): void {
    if (!e || this.#failed || this.destroyed || this.writableEnded) return;
    this.#failed = true;
    // stream-json's messages name what it expected, never a quote of the input.
    const message = atLine(e.message.slice(0, 160), lines);
    this.push({ type: 'error', message, records: this.records });
    this.end();
  }

  #take(token: Token): void {
    if (this.#skipping > 0) return this.#skip(token);
    const top = this.#frames[this.#frames.length - 1];
    if (token.name === 'keyValue') {
      top!.step = token.value ?? '';
      return this.#forward(token);
    }
    if (token.name === 'endObject' || token.name === 'endArray') {
      const frame = this.#frames.pop();
      if (!frame?.isRecordArray) this.#forward(token);
      return;
    }
    if (top?.isArray) top.step = top.step === null ? 0 : (top.step as number) + 1;
    this.#startValue(token, top);
  }

  #startValue(token: Token, parent: Frame | undefined): void {
    const opens = token.name === 'startObject' || token.name === 'startArray';
    const path = this.#frames.length <= this.#maxDepth ? this.#path() : undefined;
    if (path && this.#options.drop?.(path)) {
      if (opens) this.#skipping = 1;
      return;
    }
    const isRecords =
      token.name === 'startArray' && !this.#record && path && this.#options.isRecordArray(path);
    if (opens) {
      const isArray = token.name === 'startArray';
      this.#frames.push({ isArray, isRecordArray: !!isRecords, step: null });
    }
    if (isRecords) {
      this.#sawRecordArray = true;
      return;
    }
    if (parent?.isRecordArray) {
      this.#record = new Assembler(ASSEMBLER_OPTIONS);
      this.#recordPath = path ?? [];
    }
    this.#forward(token);
  }

  #forward(token: Token): void {
    const target = this.#record ?? this.#rest;
    target.consume(token);
    if (this.#record && this.#record.done) {
      const value: unknown = this.#record.current;
      const path = this.#recordPath;
      this.#record = undefined;
      this.records++;
      const index = path[path.length - 1] as number;
      const envelope: unknown = this.#rest.depth === 1 ? this.#rest.current : undefined;
      this.push({ type: 'record', path, index, value, ...(isObject(envelope) && { envelope }) });
    }
  }

  #skip(token: Token): void {
    if (token.name === 'startObject' || token.name === 'startArray') this.#skipping++;
    else if (token.name === 'endObject' || token.name === 'endArray') this.#skipping--;
  }

  #path(): PathStep[] {
    return this.#frames.map((f) => f.step as PathStep);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Bytes between two progress events. */
const PROGRESS_STEP = 8 << 20;

/**
 * Streams a JSON document: records of the arrays `isRecordArray` accepts come out one at a
 * time while the file is read, then the rest of the document. Invalid JSON ends the stream
 * with an `error` (records already handed out stay valid).
 *
 * @example splitJson(input, { isRecordArray: (p) => p.length === 1 && p[0] === 'items' })
 */
export async function* splitJson(input: SourceInput, options: SplitOptions): AsyncGenerator<Split> {
  const tally = new ByteCounter({ stripBom: true });
  const gate = new ProgressGate(PROGRESS_STEP);
  const splitter = new TokenSplitter(options);
  const parser = new Parser({ packValues: true, streamValues: false });
  const faultLine = faultLines(parser);
  // One hostile value (a 50-million-character name) is stopped while it is read.
  tally.guard = () =>
    packingPast(parser, MAX_RECORD_CHARS) ? recordTooLong('JSON value') : undefined;
  // The splitter is fed by pipe(), not pipeline(): a parse error must not destroy it, so the
  // records it already holds still come out, followed by the error.
  pipeline(input.open(), tally, parser, (e) => splitter.fail(e, e ? faultLine() : undefined));
  parser.pipe(splitter);
  try {
    for await (const split of splitter as AsyncIterable<Split>) {
      yield split;
      const bytes = gate.due(tally.bytes);
      if (bytes !== undefined) yield { type: 'progress', bytes };
    }
    yield { type: 'progress', bytes: tally.bytes };
  } finally {
    // A caller that stops early must not leave the file open.
    parser.destroy();
  }
}
