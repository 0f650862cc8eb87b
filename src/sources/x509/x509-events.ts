import type { ParseEvent } from '../format.js';
import { certificateFacts } from './certificate-facts.js';
import type { ReadCertificate } from './chain-linker.js';
import { readTlv, whole } from './der.js';

/** What the certificate readers hand the format: certificates, or events to pass on. */
export type CertificateItem =
  | { readonly type: 'certificate'; readonly cert: ReadCertificate }
  | Exclude<ParseEvent, { type: 'observation' }>;

/** A warning or rejection about one place in a file. */
export function issue(
  type: 'warning' | 'reject',
  file: string,
  line: number | undefined,
  code: string,
  message: string,
  field?: string,
): Exclude<ParseEvent, { type: 'observation' }> {
  const body = {
    file,
    code,
    message,
    ...(line !== undefined && { line }),
    ...(field !== undefined && { field }),
  };
  return type === 'warning' ? { type, warning: body } : { type, rejection: body };
}

/** The first DER element of a buffer (a certificate followed by other data). */
export function firstElement(der: Uint8Array): Uint8Array {
  return whole(der, readTlv(der, 0));
}

/**
 * Reads one DER certificate into an item, or a rejection naming its line. OpenSSL's TRUSTED
 * CERTIFICATE appends trust settings after the certificate, which are cut off first.
 */
export function decodeCertificate(
  der: Uint8Array,
  label: string,
  line: number,
  file: string,
): CertificateItem {
  try {
    const cert = label === 'TRUSTED CERTIFICATE' ? firstElement(der) : der;
    return { type: 'certificate', cert: { facts: certificateFacts(cert), der: cert, line } };
  } catch (e) {
    const why = e instanceof Error ? e.message : 'unreadable';
    return issue('reject', file, line, 'BAD_INPUT', `corrupted ${label}: ${why}`);
  }
}
