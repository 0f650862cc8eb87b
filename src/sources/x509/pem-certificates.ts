import type { SourceInput } from '../format.js';
import { readPem, type PemItem } from './pem-reader.js';
import { decodeCertificate, issue, type CertificateItem } from './x509-events.js';

/** Labels of PEM blocks that hold one certificate (RFC 7468 §5, OpenSSL's trusted form). */
const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);

/**
 * The certificates of a PEM file, in file order. Private keys and secret values are refused by
 * line, corrupted blocks rejected by line, other blocks (CRLs, CSRs, public keys) warned about;
 * the certificates around them still come out. A file without any PEM block is rejected whole.
 */
export async function* pemCertificates(input: SourceInput): AsyncGenerator<CertificateItem> {
  let blocks = 0;
  for await (const item of readPem(input)) {
    if (item.kind === 'progress') {
      yield { type: 'progress', bytes: item.bytes };
      continue;
    }
    if (item.kind !== 'secret-line') blocks++;
    yield pemItem(item, input.path);
  }
  if (blocks === 0) {
    const message = 'no PEM block found; this is not a PEM file';
    yield issue('reject', input.path, undefined, 'BAD_INPUT', message);
  }
}

function pemItem(item: Exclude<PemItem, { kind: 'progress' }>, file: string): CertificateItem {
  switch (item.kind) {
    case 'private-key':
      return issue('reject', file, item.line, 'SECRET_REFUSED', `${item.label} block refused`);
    case 'secret-line':
      return issue('reject', file, item.line, 'SECRET_REFUSED', 'secret value outside any block');
    case 'bad':
      return issue('reject', file, item.line, 'BAD_INPUT', `corrupted ${item.label}: ${item.why}`);
  }
  if (!CERTIFICATE_LABELS.has(item.label)) {
    return issue('warning', file, item.line, 'UNSUPPORTED_BLOCK', `${item.label} block skipped`);
  }
  return decodeCertificate(item.der, item.label, item.line, file);
}
