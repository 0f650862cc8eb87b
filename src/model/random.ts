import { randomFillSync } from 'node:crypto';

/**
 * A source of cryptographically random fractions in [0, 1), for ulid's factories. ulid asks
 * its generator once per character, and its default draws one byte from the system each time:
 * sixteen calls for every new millisecond, a few microseconds a decision on a busy server.
 * This draws 4 KiB at once and hands them out a byte at a time, as the default would.
 */
export function bufferedRandom(): () => number {
  const pool = new Uint8Array(4096);
  let next = pool.length;
  return () => {
    if (next === pool.length) {
      randomFillSync(pool);
      next = 0;
    }
    return pool[next++]! / 256;
  };
}
