import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPlaceholder } from './keys.js';
import { isSecretField, looksLikeSecretValue } from './secrets.js';

// The pattern forms these checks had before their fast paths, kept as oracles.
const oneRun = (v: string): boolean => {
  const compact = v.replace(/[-:.\s]/g, '');
  return compact.length >= 4 && /^(.)\1+$/.test(compact);
};
const TOKEN = [
  /-----BEGIN ((RSA|EC|DSA|OPENSSH|ENCRYPTED) )?PRIVATE KEY-----/,
  /^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*$/,
  /^(ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{20,}$/,
  /^xox[abprs]-[A-Za-z0-9-]{10,}$/,
  /^(hvs|hvb|s)\.[A-Za-z0-9]{20,}$/,
];
const tokenLike = (v: string): boolean => TOKEN.some((p) => p.test(v.trim()));

const pieces = ['0', 'x', 'X', 'f', '-', ':', '.', ' ', '\t', '\u00a0', 'a', '1', 'é', '\n'];
const runs = fc.array(fc.constantFrom(...pieces), { maxLength: 14 }).map((a) => a.join(''));
const tokens = fc.oneof(
  fc.constantFrom('ghp_', 'xoxb-', 'hvs.', 's.', 'eyJ', 'gho_', 'x', 's', 'e', 'g', 'h')
    .chain((p) => fc.string({ maxLength: 44 }).map((s) => p + s.replace(/[^A-Za-z0-9._-]/g, 'A'))),
  fc.string({ maxLength: 60 }),
);

describe('fast paths of the per-field checks', () => {
  it('isPlaceholder finds runs of one character exactly as the pattern did', () => {
    fc.assert(fc.property(runs, (v) => {
      const t = v.trim().toLowerCase();
      // The only listed placeholders made of these pieces: '', '-', '--', '0'.
      expect(isPlaceholder(v)).toBe(['', '-', '--', '0'].includes(t) || oneRun(t));
    }), { numRuns: 3000 });
    expect(isPlaceholder('00000000-0000-0000-0000-000000000000')).toBe(true);
    expect(isPlaceholder('FF:FF:FF:FF')).toBe(true);
    expect(isPlaceholder('000')).toBe(false);
    expect(isPlaceholder('web-01')).toBe(false);
  });

  it('looksLikeSecretValue matches the token patterns exactly', () => {
    fc.assert(fc.property(tokens, (v) => {
      expect(looksLikeSecretValue(v)).toBe(tokenLike(v));
    }), { numRuns: 3000 });
    expect(looksLikeSecretValue('ghp_' + 'a'.repeat(36))).toBe(true);
    expect(looksLikeSecretValue('-----BEGIN PRIVATE KEY-----\nMIIB')).toBe(true);
    expect(looksLikeSecretValue('shared-db')).toBe(false);
  });

  it('isSecretField: names remembered, masks, booleans and dates still not secrets', () => {
    for (let i = 0; i < 2; i++) {
      expect(isSecretField('db_password', 'hunter2hunter2')).toBe(true);
      expect(isSecretField('db_password', '********')).toBe(false);
      expect(isSecretField('password_enabled', 'true')).toBe(false);
      expect(isSecretField('password', '2024-05-01T00:00:00Z')).toBe(false);
      expect(isSecretField('hostname', 'hunter2hunter2')).toBe(false);
      expect(isSecretField('Description', 'xoxb-1234567890-abcdef')).toBe(true);
      expect(isSecretField('Token', 'xxxxxxxx')).toBe(false);
    }
  });
});
