/**
 * What a terminal must never be sent raw from data: C0 controls but tab and line feed, DEL,
 * C1 controls (0x80-0x9f: an 8-bit CSI is an escape sequence on many terminals), and the
 * bidirectional embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069) that
 * make text read in another order than it is stored ("Trojan Source", CVE-2021-42574).
 */
// eslint-disable-next-line no-control-regex -- the control characters are what it looks for
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
/** The same with tab and line feed: what one value (a name, a key) may not hold either. */
// eslint-disable-next-line no-control-regex -- as above
const UNSAFE_IN_VALUE = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/** `\x1b` for a control character below U+0100, `\u202e` for a bidi control. */
function escaped(c: string): string {
  const code = c.charCodeAt(0);
  if (code === 0x09) return '\\t';
  if (code === 0x0a) return '\\n';
  if (code === 0x0d) return '\\r';
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Text for a person's terminal: every character that could drive the terminal or reorder
 * what it shows is written out visibly (`h\x1b[31mred` prints as `h\x1b[31mred`, not red).
 * Lines and tabs stay. Backslashes are not doubled, so a Windows path or `DOMAIN\user` reads
 * as it is. The one rule for every human-facing text Roster prints (tables, `show`, messages,
 * errors, CSV); JSON output escapes in JSON's own way (`jsonText`).
 *
 * @example visibleText('h\x1b[31mred') // 'h\\x1b[31mred'
 */
export function visibleText(text: string): string {
  return text.replace(UNSAFE, escaped);
}

/** One value inside a line (a name in a message, a table cell): a line break shows as `\n`. */
export function visibleValue(text: string): string {
  return text.replace(UNSAFE_IN_VALUE, escaped);
}

/** DEL, C1 and bidi controls, which JSON.stringify leaves raw: JSON escapes them here. */
const RAW_IN_JSON = /[\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON text whose string values are exactly the data (a parser gets the same characters back)
 * and that a terminal can show: `JSON.stringify` escapes C0 controls itself, and these are
 * written `\u009b`, `\u202e` as well.
 */
export function jsonText(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(RAW_IN_JSON,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const ANY_UNSAFE = new RegExp(UNSAFE_IN_VALUE.source);

/** Whether text holds a character `visibleValue` writes out (what input validation refuses). */
export function hasControl(text: string): boolean {
  return ANY_UNSAFE.test(text);
}
