import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { StoredToken, TokenInfo, TokenScope, TokenStore } from '../../store/api-port.js';

/**
 * API tokens look like `rst_<id>_<secret>`: the id (16 hex digits) finds the stored row, the
 * secret (32 random bytes, base64url) proves possession. Only SHA-256 of the secret is kept; a
 * fast hash suffices because the secret has 256 bits of entropy (no dictionary to try).
 */
const TOKEN = /^rst_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface MintedToken {
  readonly id: string;
  readonly secret: string;
  /** The whole bearer token; shown once, never stored. */
  readonly token: string;
}

export function mintToken(): MintedToken {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, token: `rst_${id}_${secret}` };
}

export function parseToken(text: string): { id: string; secret: string } | undefined {
  const m = TOKEN.exec(text);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares in constant time, so response timing tells nothing about how much matched. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/**
 * Creates a token and returns it with its stored description; the token text exists only in
 * the return value.
 *
 * @example
 * const { token } = await issueToken(stores.tokens, { name: 'ci', scopes: ['ingest'], ... });
 */
export async function issueToken(
  tokens: TokenStore,
  request: { name: string; scopes: readonly TokenScope[]; createdBy: string | null; now: string },
): Promise<{ token: string; info: TokenInfo }> {
  const minted = mintToken();
  const stored: StoredToken = {
    id: minted.id,
    name: request.name,
    scopes: [...new Set(request.scopes)],
    secretHash: hashSecret(minted.secret),
    createdAt: request.now,
    createdBy: request.createdBy,
    lastUsedAt: null,
    revokedAt: null,
  };
  await tokens.create(stored);
  const { secretHash: _hash, ...info } = stored;
  return { token: minted.token, info };
}
