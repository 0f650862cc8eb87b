import { describe, expect, it } from 'vitest';
import { bufferedRandom } from './random.js';

describe('bufferedRandom', () => {
  it('hands out fractions in [0, 1) of 256 steps, across refills, not repeating its pool', () => {
    const next = bufferedRandom();
    const seen = Array.from({ length: 10_000 }, next);
    expect(seen.every((x) => x >= 0 && x < 1 && Number.isInteger(x * 256))).toBe(true);
    // 10,000 draws span three refills; a repeated pool would repeat the first 4,096 exactly.
    expect(seen.slice(4096, 8192)).not.toEqual(seen.slice(0, 4096));
    expect(new Set(seen).size).toBeGreaterThan(200);
  });
});
