import type Parser from 'stream-json/Parser.js';

type Feed = (chunk: unknown, encoding: unknown, done: unknown) => unknown;

/** Bytes fed to the parser at once: a fault is placed within about as many lines as this holds. */
const SLICE = 4096;
interface ParserInside {
  _transformBuffer?: Feed;
  _transformString?: Feed;
  _buffer?: unknown;
}

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
 * fed. Where its internals
 * differ (`_buffer`, `_transformBuffer`, `_transformString`), this answers undefined.
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
  return () => {
    const rest = p._buffer;
    if (typeof rest !== 'string') return undefined;
    const to = endsLine ? fed : fed + 1;
    return { from: Math.min(to, fed - newlines(rest.trimStart()) + 1), to };
  };
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
