import { basename } from 'node:path';
import { headText } from '../common.js';
import type { ParseEvent, ParseOptions, SourceFormat, SourceInput } from '../format.js';
import { certificateObservation } from './certificate-observation.js';
import { ChainLinker, type LinkedCertificate } from './chain-linker.js';
import { readJwksCertificates } from './jwks.js';
import { pemCertificates } from './pem-certificates.js';
import { issue } from './x509-events.js';

/**
 * PEM certificates: chains, CA bundles, SVIDs, one file at a time. Each certificate becomes a
 * credential keyed by its SHA-256; private keys are refused by line and never read. A SPIFFE
 * trust bundle in JWKS form (`keys` with `x5c`) is read too.
 */
export const x509Certificates: SourceFormat = {
  name: 'x509',
  source: 'x509',
  systemOfRecord: false,
  description: 'X.509 certificates in PEM files (chains, bundles, SVIDs) and SPIFFE JWKS bundles',
  example: 'roster ingest /etc/ssl/certs/ca-certificates.crt --format x509',
  detect,
  parse,
};

/**
 * PEM encapsulation boundaries start a line (RFC 7468 §2); a PEM string inside JSON (an AWS
 * `CertificateBody`, a Cloud SQL `serverCaCert`) belongs to that JSON's own format.
 */
function detect(input: Pick<SourceInput, 'head'>): number {
  const text = headText(input.head);
  if (/^-----BEGIN (X509 |TRUSTED )?CERTIFICATE-----\s*$/m.test(text)) return 0.9;
  // A lone key file is still taken, so that it is refused loudly rather than "not recognised".
  if (/^-----BEGIN [A-Z ]*PRIVATE KEY-----\s*$/m.test(text)) return 0.6;
  if (text.startsWith('{') && /"keys"\s*:\s*\[/.test(text) && /"x5c"\s*:/.test(text)) return 0.85;
  return 0;
}

async function* parse(input: SourceInput, _options: ParseOptions): AsyncIterable<ParseEvent> {
  const scope = `x509:${basename(input.path)}`;
  const certificates = headText(input.head).startsWith('{')
    ? readJwksCertificates(input)
    : pemCertificates(input);
  const linker = new ChainLinker();
  const seen = new Set<string>();
  for await (const item of certificates) {
    if (item.type !== 'certificate') {
      yield item;
      continue;
    }
    for (const linked of linker.add(item.cert)) yield* report(linked, scope, seen, input.path);
  }
  for (const linked of linker.rest()) yield* report(linked, scope, seen, input.path);
  // A certificate file is never a complete listing of anything: it adds, it never retires.
  yield { type: 'meta', meta: { scopes: [scope], complete: false } };
}

function* report(
  cert: LinkedCertificate,
  scope: string,
  seen: Set<string>,
  file: string,
): Iterable<ParseEvent> {
  const { facts, line } = cert;
  if (seen.has(facts.sha256)) {
    const message = 'the same certificate appears again; reported once';
    yield issue('warning', file, line, 'DUPLICATE_RECORD', message);
    return;
  }
  seen.add(facts.sha256);
  const place = cert.issuer === undefined ? { scope, line } : { scope, line, issuer: cert.issuer };
  yield { type: 'observation', observation: certificateObservation(facts, place) };
}
