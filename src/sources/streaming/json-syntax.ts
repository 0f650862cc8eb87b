/**
 * Where a JSON.parse error happened, without the input: V8's message quotes up to 10
 * characters either side of the fault (`Unexpected token 'S', ..."token":S3cr3tToke"...`),
 * which may be a secret (DESIGN.md rule 5). Only the offset is taken from it.
 */

// V8 quotes text.slice(pos - 10, pos + 10), with `...` where it cut the text.
const CONTEXT = 10;
const EXCERPT = /^Unexpected token .*?, (\.\.\.)?"(.*)"(\.\.\.)? is not valid JSON$/s;

/** The offset of the fault in `text`, or undefined when the message does not give it. */
export function jsonErrorOffset(text: string, err: unknown): number | undefined {
  const message = err instanceof Error ? err.message : '';
  const at = /at position (\d+)/.exec(message);
  if (at) return Number(at[1]);
  const m = EXCERPT.exec(message);
  if (!m) return undefined;
  const [, cutBefore, excerpt = '', cutAfter] = m;
  if (cutBefore) {
    const i = text.indexOf(excerpt);
    return i < 0 ? undefined : i + CONTEXT;
  }
  // The excerpt starts the text; its end is 10 characters past the fault when it was cut.
  return cutAfter ? Math.max(0, excerpt.length - CONTEXT) : undefined;
}

/** Line and column (from 1) of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * Why a text is not JSON, naming the place and never quoting it: `at line 3, column 14`,
 * `(it ends early)`, or `(an unexpected character)` when V8 quoted the whole short text.
 */
export function jsonSyntaxProblem(text: string, err: unknown): string {
  const offset = jsonErrorOffset(text, err);
  if (offset !== undefined) {
    const { line, column } = lineColumn(text, offset);
    return `at line ${line}, column ${column}`;
  }
  const message = err instanceof Error ? err.message : '';
  return /end of JSON input/.test(message) ? '(it ends early or is empty)' :
    '(an unexpected character)';
}
