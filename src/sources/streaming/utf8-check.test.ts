import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstInvalid, Utf8Check } from './utf8-check.js';

/** Passes `bytes` through the check in chunks of `size`; what came out and the fault. */
async function through(bytes: Buffer, size: number) {
  const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) =>
    bytes.subarray(i * size, (i + 1) * size));
  const check = new Utf8Check();
  const out: Buffer[] = [];
  let error: unknown;
  try {
    for await (const c of Readable.from(chunks).pipe(check)) out.push(c as Buffer);
  } catch (err) {
    error = err;
  }
  return { out: Buffer.concat(out), fault: check.fault, error };
}

/** Where the whole input, read at once, stops being UTF-8 (firstInvalid is checked below). */
function oracle(bytes: Buffer): { offset: number; line: number } | undefined {
  if (isUtf8(bytes)) return undefined;
  const offset = firstInvalid(bytes, 0, bytes.length, false);
  const line = 1 + bytes.subarray(0, offset).filter((b) => b === 0x0a).length;
  return { offset, line };
}

describe('Utf8Check', () => {
  it('lets UTF-8 through unchanged, characters split across chunks included', async () => {
    const text = Buffer.from('\ufeffname\ncafé-01 ✓ 𝄞\nend');
    for (let size = 1; size <= 5; size++) {
      expect(await through(text, size)).toEqual({ out: text, fault: undefined,
        error: undefined });
    }
  });

  it('stops at the first byte that is not UTF-8, with its line and offset', async () => {
    const latin1 = Buffer.from('a,b\n1,caf\xe9-01\n2,x\n', 'latin1');
    for (let size = 1; size <= 9; size++) {
      const r = await through(latin1, size);
      expect(r.fault).toEqual({ offset: 9, line: 2, byte: 0xe9 });
      expect(r.error).toMatchObject({ code: 'NOT_UTF8' });
    }
    // Cut off by the end, an overlong form, a surrogate, past U+10FFFF.
    for (const [bytes, offset] of [[[0x61, 0xe2, 0x82], 1], [[0xc0, 0xaf], 0],
      [[0x0a, 0xed, 0xa0, 0x80], 1], [[0xf4, 0x90, 0x80, 0x80], 0]] as const) {
      expect((await through(Buffer.from(bytes), 1)).fault?.offset).toBe(offset);
      expect((await through(Buffer.from(bytes), 4)).fault?.offset).toBe(offset);
    }
  });

  it('agrees with isUtf8 on any bytes, whatever the chunking, and finds the first bad one',
    async () => {
    const text = fc.constantFrom('a', '\n', 'é', '✓', '𝄞').map((s) => [...Buffer.from(s)]);
    const piece = fc.oneof(text,
      fc.array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 2 }));
    const bytes = fc.array(piece, { maxLength: 20 }).map((ps) => Buffer.from(ps.flat()));
    await fc.assert(fc.asyncProperty(bytes, fc.integer({ min: 1, max: 7 }), async (b, size) => {
      const r = await through(b, size);
      const want = oracle(b);
      expect(r.fault === undefined).toBe(isUtf8(b));
      if (want) expect(r.fault).toMatchObject(want);
      else expect(r.out).toEqual(b);
    }), { numRuns: 1000 });
  });

  it('finds faults where a fatal decoder does', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 12 }), (b) => {
      let fatal = true;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(b);
      } catch {
        fatal = false;
      }
      expect(firstInvalid(b, 0, b.length, false) < 0).toBe(fatal);
    }), { numRuns: 5000 });
  });
});
