import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../json-depth.js';
import { findSecret, refusalOf } from './secret-scan.js';

/** `{a: {a: … {leaf} }}`, `levels` objects deep around the leaf object. */
function nested(levels: number, leaf: Record<string, unknown>): Record<string, unknown> {
  let v: Record<string, unknown> = leaf;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}

describe('findSecret', () => {
  it('names the first secret field in document order', () => {
    const doc = { name: 'vm-1', meta: [{ note: 'ok' }, { password: 'hunter2-hunter2' }],
      later: { api_key: 'x9f8e7d6c5b4a3' } };
    expect(findSecret(doc)).toEqual({ field: 'meta[1].password' });
  });

  it('finds a secret far below the 32 levels the recursive walk used to stop at', () => {
    const doc = nested(100, { password: 'hunter2-hunter2' });
    const hit = findSecret(doc);
    expect(hit?.tooDeep).toBeUndefined();
    expect(hit?.field).toBe(`${'a.'.repeat(100)}password`);
  });

  it('passes masks and clean records', () => {
    expect(findSecret({ password: '[redacted]', name: 'db-1' })).toBeUndefined();
    expect(findSecret(nested(200, { name: 'db-1' }))).toBeUndefined();
  });

  it('refuses a record nested past MAX_JSON_DEPTH, whatever it holds, without overflowing',
    () => {
      const hit = findSecret(nested(100_000, { name: 'db-1' }));
      expect(hit?.tooDeep).toBe(true);
      expect(hit?.field).toBe('a.'.repeat(MAX_JSON_DEPTH).slice(0, -1));
      expect(refusalOf(hit!)).toEqual({ code: 'TOO_DEEP',
        message: `JSON nested deeper than ${MAX_JSON_DEPTH} levels; nothing read` });
      expect(refusalOf({ field: 'password' }).code).toBe('SECRET_REFUSED');
    });
});
