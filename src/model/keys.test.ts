import { describe, expect, it } from 'vitest';
import { checkObservation, DEFAULT_FIELD_LIMITS } from './field-guard.js';
import { isPlaceholder, normalizeKey } from './keys.js';
import type { Observation } from './types.js';

describe('placeholders and over-long keys', () => {
  it('takes short fillers and runs of one character for placeholders', () => {
    for (const v of ['N/A', '0000000000', 'X'.repeat(8), '00:00:00:00:00:00',
      'To Be Filled By O.E.M.',
      '0'.repeat(64), Array(32).fill('00').join(':')]) expect(isPlaceholder(v)).toBe(true);
  });

  it('keeps a run of one character too long to be a filler as a key, which the guard refuses',
    () => {
    const name = 'n'.repeat(2000);
    expect(isPlaceholder(name)).toBe(false);
    const key = normalizeKey('name', name);
    expect(key).toEqual({ type: 'name', value: name });
    const o: Observation = { kind: 'asset', sourceId: 'a', scope: 's', keys: [key!],
      attributes: {} };
    expect(checkObservation(o, DEFAULT_FIELD_LIMITS)).toMatchObject({ field: 'key name',
      code: 'VALUE_TOO_LONG' });
    expect(normalizeKey('serial-number', ` ${'0'.repeat(1025)} `)?.value).toHaveLength(1025);
  });
});
