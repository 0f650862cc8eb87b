import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';

// Wraps timingSafeEqual so that the test sees every comparison the token check makes.
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return { ...real, timingSafeEqual: vi.fn(real.timingSafeEqual) };
});

const { hashSecret, mintToken, parseToken, secretMatches } =
  await import('../../src/server/auth/token-secret.js');

describe('token secrets', () => {
  it('mints rst_<16 hex>_<43 base64url> tokens that parse back', () => {
    const t = mintToken();
    expect(t.token).toMatch(/^rst_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(parseToken(t.token)).toEqual({ id: t.id, secret: t.secret });
    expect(parseToken(`${t.token}x`)).toBeUndefined();
    expect(parseToken('Bearer abc')).toBeUndefined();
  });

  it('compares the hashes in constant time, for right and wrong secrets alike', () => {
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    const t = mintToken();
    const stored = hashSecret(t.secret);
    expect(secretMatches(t.secret, stored)).toBe(true);
    expect(secretMatches(mintToken().secret, stored)).toBe(false);
    expect(spy).toHaveBeenCalledTimes(2);
    for (const [a, b] of spy.mock.calls) {
      expect((a as Buffer).length).toBe(32);
      expect((b as Buffer).length).toBe(32);
    }
  });

  it('is used by the HTTP token check', async () => {
    const { startHarness } = await import('./harness.js');
    const h = await startHarness({ empty: true });
    try {
      const spy = vi.mocked(crypto.timingSafeEqual);
      spy.mockClear();
      const forged = `${h.tokens.read.slice(0, 21)}${'C'.repeat(43)}`;
      const r = await h.rs.server.inject({
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${forged}` },
      });
      expect(r.statusCode).toBe(401);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      await h.close();
    }
  });
});
