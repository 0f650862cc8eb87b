import type { X509Certificate } from 'node:crypto';
import type { z } from 'zod';
import { describeIssues } from '../../decide/request.js';
import type { DecideOptions } from '../../decide/service.js';
import { ApiError } from '../errors.js';

/** `application/json` or a `+json` type, with or without parameters (charset). */
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

export function isJsonType(type: string | undefined): boolean {
  return type !== undefined && JSON_TYPE.test(type);
}

/**
 * The API speaks JSON only: a body of any other type (text/plain, which fastify hands over as
 * a string) is a 415 that says so, not a 400 about a string where an object was expected.
 */
export function checkJsonType(type: string | undefined, what: string): void {
  if (isJsonType(type)) return;
  const got = (type ?? '').split(';')[0]?.trim() || 'no content type';
  throw new ApiError('UNSUPPORTED_MEDIA_TYPE',
    `an AuthZEN ${what} request is sent as application/json (got ${got})`,
    { field: 'content-type' });
}

/** A parsed JSON body as an AuthZEN request, or a 400 naming the first field at fault. */
export function asRequest<T extends z.ZodType>(schema: T, body: unknown, what: string) {
  const r = schema.safeParse(body);
  if (r.success) return r.data as z.output<T>;
  const first = r.error.issues[0];
  throw new ApiError('INVALID_INPUT', `not an AuthZEN ${what} request: ${describeIssues(r.error)}`,
    first?.path.length ? { field: first.path.join('.') } : undefined);
}

const SPIFFE_URI = /URI:spiffe:\/\//i;
const NO_MTLS: DecideOptions = {};

/**
 * Under mTLS, a client certificate that is an X509-SVID (a `spiffe://` URI SAN) is the
 * subject's proof: its SPIFFE ID becomes the subject (a request naming another SPIFFE ID is
 * denied with proof-mismatch). A client certificate without one identifies the caller only.
 */
export function decideOptionsOf(cert: X509Certificate | undefined): DecideOptions {
  if (!cert || !SPIFFE_URI.test(cert.subjectAltName ?? '')) return NO_MTLS;
  return { mtlsChain: chainOf(cert) };
}

/** The leaf and the intermediates the client sent, leaf first; the root stays the bundle's. */
function chainOf(leaf: X509Certificate): string {
  const pems = [leaf.toString()];
  let next = leaf.issuerCertificate;
  for (let depth = 0; next && depth < 8 && next.subject !== next.issuer; depth++) {
    pems.push(next.toString());
    next = next.issuerCertificate;
  }
  return pems.join('\n');
}
