import { describe, expect, it } from 'vitest';
import { hasControl, jsonText, visibleText, visibleValue } from './visible.js';
import { terminalText, pc } from '../cli/paint.js';

describe('visibleText', () => {
  it.each([
    ['h\x1b[31mred', 'h\\x1b[31mred'],
    ['a\x00b', 'a\\x00b'],
    ['del\x7f', 'del\\x7f'],
    ['c1\x9b2J', 'c1\\x9b2J'],
    ['cr\roverwrite', 'cr\\roverwrite'],
    ['rtl\u202eexe.txt', 'rtl\\u202eexe.txt'],
    ['iso\u2066x\u2069', 'iso\\u2066x\\u2069'],
    ['lre\u202a', 'lre\\u202a'],
  ])('writes %j out as %j', (raw, shown) => {
    expect(visibleText(raw)).toBe(shown);
    expect(hasControl(raw)).toBe(true);
  });

  it('keeps lines, tabs, backslashes and every printable character', () => {
    const text = 'line 1\n\tDOMAIN\\user · Ωmega · 日本 · \u200d · é';
    expect(visibleText(text)).toBe(text);
    expect(hasControl('DOMAIN\\user Ωmega')).toBe(false);
  });

  it('writes line breaks and tabs out inside one value', () => {
    expect(visibleValue('a\nb\tc')).toBe('a\\nb\\tc');
    expect(hasControl('a\nb')).toBe(true);
  });
});

describe('jsonText', () => {
  it('parses back to exactly the data and holds no raw control', () => {
    const data = { name: 'a\x1b[31m\x00\x7f\x9b\u202e\u2066z' };
    const text = jsonText(data);
    expect(JSON.parse(text)).toEqual(data);
    expect(visibleText(text)).toBe(text);
    expect(text).toContain('\\u009b');
  });
});

describe('terminalText', () => {
  it('colours only the printers\' markers; an escape in the data stays visible', () => {
    const text = `${pc.red('error')}: h\x1b[31mred`;
    expect(terminalText(text, true)).toBe('\x1b[31merror\x1b[39m: h\\x1b[31mred');
    expect(terminalText(text, false)).toBe('error: h\\x1b[31mred');
  });
});
