import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header that carries the body's HMAC: `X-Roster-Signature: sha256=<hex>`. */
export const SIGNATURE_HEADER = 'X-Roster-Signature';

/**
 * HMAC-SHA256 (RFC 2104) of the exact bytes sent, hex-encoded and prefixed with the
 * algorithm, so that a receiver can verify the raw body before parsing it.
 *
 * @example sign('{"id":"act_1"}', secret) // 'sha256=5f0c…'
 */
export function sign(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Constant-time check of a signature header against the raw body. */
export function verifySignature(body: string | Buffer, secret: string, header: string): boolean {
  const expected = Buffer.from(sign(body, secret));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
