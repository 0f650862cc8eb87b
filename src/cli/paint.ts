import { randomBytes } from 'node:crypto';
import { visibleText } from '../present/visible.js';

/*
 * Colour without trusting the text around it. Printers mark where a colour starts and ends
 * with a marker that holds a secret made when the process starts; the one place that writes
 * to the terminal (`terminalText`, used by main.ts for every line the CLI prints) first makes
 * every control character visible, escape sequences a hostile export carries included, then
 * turns only its own markers into colour codes. Data cannot forge a marker: it would have to
 * guess the secret.
 */

const SECRET = randomBytes(9).toString('base64url');
const MARK = '\u{f8ff}';
const MARKER = new RegExp(`${MARK}${SECRET}:(\\d+)${MARK}`, 'g');

const mark = (code: number): string => `${MARK}${SECRET}:${code}${MARK}`;
const style = (open: number, close: number) => (s: string): string =>
  `${mark(open)}${s}${mark(close)}`;

/** picocolors' functions Roster uses, as markers `terminalText` turns into colour. */
export const pc = {
  bold: style(1, 22),
  dim: style(2, 22),
  red: style(31, 39),
  green: style(32, 39),
  yellow: style(33, 39),
  cyan: style(36, 39),
};

/**
 * What the CLI writes to a terminal or a pipe: control characters written out visibly
 * (`visibleText`), then the printers' colour markers as SGR codes (or dropped without colour).
 */
export function terminalText(text: string, color: boolean): string {
  return visibleText(text).replace(MARKER, (_, code: string) => (color ? `\x1b[${code}m` : ''));
}
