import type Parser from 'stream-json/Parser.js';

type Feed = (chunk: unknown, encoding: unknown, done: unknown) => unknown;

/** Bytes fed to the parser at once: a fault is placed within about as many lines as this holds. */
const SLICE = 4096;
interface ParserInside {
  _transformBuffer?: Feed;
  _transformString?: Feed;
  _processBuffer?: (callback: (err?: unknown) => void) => unknown;
  _buffer?: unknown;
  _expect?: unknown;
  _stack?: unknown;
  _parent?: unknown;
  _open_number?: unknown;
  _done?: unknown;
  push?: (chunk: unknown) => boolean;
}

/** What the parser knew when it began the pass over its text that failed. */
interface PassStart {
  readonly buffer: string;
  readonly expect: unknown;
  readonly stack: unknown[];
  readonly parent: unknown;
  readonly openNumber: unknown;
  readonly done: unknown;
  /** Newlines fed up to the end of `buffer`. */
  readonly fed: number;
}

/** The parser's settings, copied onto the parser that replays a failed pass. */
const SETTINGS = ['_packKeys', '_packStrings', '_packNumbers', '_streamKeys', '_streamStrings',
  '_streamNumbers', '_jsonStreaming'] as const;

/** The lines a parse error lies between (from 1, both included). */
export interface LineRange {
  readonly from: number;
  readonly to: number;
}

/**
 * Where a stream-json Parser failed. Its messages name what it expected (`expected ','`) but
 * not where, and a file of hundreds of megabytes needs a line. This counts the newlines the
 * parser is fed, and feeds it 4 KiB at a time. stream-json 1.x keeps the text it has not consumed
 * in `_buffer` (what was left of earlier slices and the slice it failed in) and does not say
 * how far into it it got: the fault lies between the first line of that text and the last line
 * fed. To name the very line, the state the parser began that pass in is kept (a few fields
 * per 4 KiB), and on a failure a fresh parser replays the pass from it line by line: the line
 * it fails on is the fault's. Where the internals differ (`_buffer`, `_transformBuffer`,
 * `_transformString`, `_processBuffer`), this answers the range, or undefined.
 */
export function faultLines(parser: Parser): () => LineRange | undefined {
  const p = parser as unknown as ParserInside;
  let fed = 0;
  let endsLine = false;
  for (const name of ['_transformBuffer', '_transformString'] as const) {
    const feed = p[name];
    if (typeof feed !== 'function') return () => undefined;
    const one = (self: unknown, chunk: unknown, encoding: unknown, done: unknown): unknown => {
      fed += newlines(chunk);
      endsLine = lastIsNewline(chunk, endsLine);
      return feed.call(self, chunk, encoding, done);
    };
    p[name] = function (this: unknown, chunk, encoding, done) {
      if (!(chunk instanceof Uint8Array) || chunk.length <= SLICE) {
        return one(this, chunk, encoding, done);
      }
      // Fed a slice at a time, so that a fault is placed within one slice's lines.
      let at = 0;
      const next = (err?: unknown): unknown => {
        if (err || at >= chunk.length) return (done as (e?: unknown) => unknown)(err);
        const piece = chunk.subarray(at, at + SLICE);
        at += SLICE;
        return one(this, piece, encoding, next);
      };
      return next();
    };
  }
  let failed: PassStart | undefined;
  const pass = p._processBuffer;
  if (typeof pass === 'function') {
    p._processBuffer = function (this: ParserInside, callback) {
      const readable = typeof this._buffer === 'string' && Array.isArray(this._stack);
      const start: PassStart | undefined = readable
        ? { buffer: this._buffer as string, expect: this._expect,
          stack: [...this._stack as unknown[]], parent: this._parent,
          openNumber: this._open_number, done: this._done, fed }
        : undefined;
      return pass.call(this, (err?: unknown) => {
        // The first failure only: a piece already on its way is fed to the failed parser,
        // which fails again from a state that no longer matches its text.
        if (err && start && !failed) failed = start;
        callback(err);
      });
    };
  }
  return () => {
    const rest = p._buffer;
    if (typeof rest !== 'string') return undefined;
    const line = failed && replayedLine(parser, pass!, failed);
    if (line !== undefined) return { from: line, to: line };
    const to = endsLine ? fed : fed + 1;
    return { from: Math.min(to, fed - newlines(rest.trimStart()) + 1), to };
  };
}

/**
 * The line a failed pass fails on, replayed by a parser of the same settings from the state the
 * pass began in, one line of its text at a time; undefined when the replay does not fail.
 */
function replayedLine(
  parser: Parser,
  pass: NonNullable<ParserInside['_processBuffer']>,
  start: PassStart,
): number | undefined {
  const Ctor = parser.constructor as new () => ParserInside;
  const r = new Ctor() as ParserInside & Record<string, unknown>;
  const own = parser as unknown as Record<string, unknown>;
  for (const k of SETTINGS) r[k] = own[k];
  Object.assign(r, { _expect: start.expect, _stack: [...start.stack], _parent: start.parent,
    _open_number: start.openNumber, _done: false, _buffer: '' });
  // Tokens of the replay go nowhere.
  r.push = () => true;
  const text = start.buffer;
  let line = start.fed - newlines(text) + 1;
  for (let at = 0; at < text.length;) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl + 1;
    r._buffer = `${r._buffer as string}${text.slice(at, end)}`;
    if (end >= text.length) r._done = start.done;
    let failedHere = false;
    pass.call(r, (err?: unknown) => {
      failedHere = Boolean(err);
    });
    if (failedHere) return line;
    if (nl >= 0) line++;
    at = end;
  }
  return undefined;
}

/** `message` with ` at line N` or ` between lines N and M` when the place is known. */
export function atLine(message: string, lines: LineRange | undefined): string {
  if (lines === undefined) return message;
  return lines.from >= lines.to ? `${message} at line ${lines.to}`
    : `${message} between lines ${lines.from} and ${lines.to}`;
}

function lastIsNewline(chunk: unknown, before: boolean): boolean {
  if (typeof chunk === 'string') return chunk.length === 0 ? before : chunk.endsWith('\n');
  if (chunk instanceof Uint8Array) return chunk.length === 0 ? before : chunk.at(-1) === 0x0a;
  return before;
}

function newlines(chunk: unknown): number {
  let n = 0;
  if (typeof chunk === 'string') {
    for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) n++;
  } else if (chunk instanceof Uint8Array) {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, i + 1)) n++;
  }
  return n;
}
