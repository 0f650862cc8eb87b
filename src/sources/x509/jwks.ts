import type { SourceInput } from '../format.js';
import { splitJson } from '../k8s/json-splitter.js';
import { decodeCertificate, issue, type CertificateItem } from './x509-events.js';

/** JWK members that hold private or symmetric key material (RFC 7518 §6.2.2, §6.3.2, §6.4). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** RFC 7517 §4.7: x5c entries are standard Base64 (not base64url) DER certificates. */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The certificates of a JWK set, such as a SPIFFE trust bundle (SPIFFE Trust Domain and Bundle
 * §4): keys with `use: x509-svid` carry their CA certificate in `x5c`. Keys without
 * certificates (`jwt-svid` signing keys) are counted in one warning. `line` is the key's
 * 1-based position in `keys`.
 */
export async function* readJwksCertificates(input: SourceInput): AsyncGenerator<CertificateItem> {
  const file = input.path;
  const skipped = new Map<string, number>();
  const isKeys = (p: readonly (string | number)[]) => p.length === 1 && p[0] === 'keys';
  for await (const split of splitJson(input, { isRecordArray: isKeys })) {
    if (split.type === 'record') {
      yield* jwkCertificates(split.value, split.index + 1, file, skipped);
    } else if (split.type === 'progress') yield split;
    else if (split.type === 'error') {
      const message = `not valid JSON: ${split.message}`;
      yield issue('reject', file, split.records + 1, 'BAD_INPUT', message);
    } else if (!split.sawRecordArray) {
      yield issue('reject', file, undefined, 'BAD_INPUT', 'not a JWK set: no "keys" array', 'keys');
    }
  }
  for (const [use, count] of skipped) {
    const message = `${count} key(s) with use '${use}' carry no certificate; skipped`;
    yield issue('warning', file, undefined, 'NO_CERTIFICATE', message, 'keys');
  }
}

function* jwkCertificates(
  value: unknown,
  line: number,
  file: string,
  skipped: Map<string, number>,
): Iterable<CertificateItem> {
  const key = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const secret = PRIVATE_MEMBERS.find((m) => key[m] !== undefined);
  if (secret !== undefined) {
    const field = `keys[${line - 1}].${secret}`;
    yield issue('reject', file, line, 'SECRET_REFUSED', 'private key material refused', field);
    return;
  }
  const x5c = Array.isArray(key['x5c']) ? key['x5c'] : [];
  if (x5c.length === 0) {
    const use = typeof key['use'] === 'string' ? key['use'] : '(none)';
    skipped.set(use, (skipped.get(use) ?? 0) + 1);
    return;
  }
  for (const [i, entry] of x5c.entries()) {
    if (typeof entry !== 'string' || !BASE64.test(entry)) {
      const field = `keys[${line - 1}].x5c[${i}]`;
      yield issue('reject', file, line, 'BAD_INPUT', 'x5c entry is not Base64', field);
      continue;
    }
    yield decodeCertificate(Buffer.from(entry, 'base64'), 'CERTIFICATE', line, file);
  }
}
