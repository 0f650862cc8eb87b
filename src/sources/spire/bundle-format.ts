import { headText } from '../common.js';
import type { ParseEvent, ParseOptions, SourceFormat, SourceInput } from '../format.js';
import { splitJson, type JsonPath } from '../k8s/json-splitter.js';
import { byItem, reject, warning } from '../streaming/events.js';
import type { ReadCertificate } from '../x509/chain-linker.js';
import { readJwksCertificates } from '../x509/jwks.js';
import { pemCertificates } from '../x509/pem-certificates.js';
import type { CertificateItem } from '../x509/x509-events.js';
import { bundleEvents, caObservations } from './bundle.js';
import { obj, spireScope, str, trustDomainOf, trustDomainOption } from './spire-values.js';

const isBundles = (path: JsonPath): boolean => path.length === 1 && path[0] === 'bundles';

/**
 * SPIRE trust bundles: `spire-server bundle show -output json` (one bundle) and `bundle list
 * -output json` (the federated bundles). Forced with `--format spire-bundle`, the PEM that
 * `bundle show` prints by default and the SPIFFE JWKS form (`-format spiffe`) are read too.
 */
export const spireBundle: SourceFormat = {
  name: 'spire-bundle',
  source: 'spire',
  systemOfRecord: false,
  description: 'SPIRE trust bundles (spire-server bundle show / bundle list -output json)',
  example: 'spire-server bundle show -output json > bundle.json && roster ingest bundle.json',
  detect,
  parse: (input, options) => byItem(parse(input, options)),
};

function detect(input: Pick<SourceInput, 'head'>): number {
  const text = headText(input.head);
  if (!text.startsWith('{')) return 0;
  if (/^\{\s*"bundles"\s*:\s*\[/.test(text)) return 0.9;
  return /"(x509_authorities|jwt_authorities)"\s*:\s*\[/.test(text) ? 0.9 : 0;
}

async function* parse(input: SourceInput, options: ParseOptions): AsyncIterable<ParseEvent> {
  const given = trustDomainOption(options.scope);
  const text = headText(input.head);
  if (!text.startsWith('{')) {
    yield* certificateBundle(input, pemCertificates(input), given);
    return;
  }
  if (/"keys"\s*:\s*\[/.test(text) && !/"(x509|jwt)_authorities"/.test(text)) {
    yield* certificateBundle(input, readJwksCertificates(input), given);
    return;
  }
  yield* jsonBundles(input, given);
}

async function* jsonBundles(
  input: SourceInput,
  given: string | undefined,
): AsyncIterable<ParseEvent> {
  const file = input.path;
  const domains = new Set<string>();
  let complete = true;
  const one = function* (value: unknown, line: number): Iterable<ParseEvent> {
    const bundle = obj(value);
    const td = domainOf(str(bundle?.['trust_domain'])) ?? given;
    if (!bundle || td === undefined) {
      yield reject(file, line, 'trust_domain', 'BAD_INPUT', 'bundle without a trust domain');
      return;
    }
    domains.add(td);
    yield* bundleEvents(bundle, td, { file, line });
  };
  for await (const split of splitJson(input, { isRecordArray: isBundles })) {
    if (split.type === 'record') yield* one(split.value, split.index + 1);
    else if (split.type === 'progress') yield split;
    else if (split.type === 'error') {
      complete = false;
      const message = `not valid JSON after ${split.records} bundles: ${split.message}`;
      yield reject(file, split.records + 1, undefined, 'BAD_INPUT', message);
    } else if (!split.sawRecordArray) yield* one(split.value, 1);
    else if (str(obj(split.value)?.['next_page_token']) !== undefined) {
      complete = false;
      const message = 'the listing has a next_page_token: only one page was read';
      yield warning(file, undefined, 'next_page_token', 'TRUNCATED_LISTING', message);
    }
  }
  // A bundle lists all of its trust domain's authorities: one that is gone has been rotated out.
  const scopes = [...domains].sort().map(spireScope);
  yield { type: 'meta', meta: { scopes, complete: complete && scopes.length > 0 } };
}

/** PEM or JWKS bundles: CA certificates whose trust domain comes from --scope or their SAN. */
async function* certificateBundle(
  input: SourceInput,
  items: AsyncIterable<CertificateItem>,
  given: string | undefined,
): AsyncIterable<ParseEvent> {
  const certificates: ReadCertificate[] = [];
  for await (const item of items) {
    if (item.type === 'certificate') certificates.push(item.cert);
    else yield item;
  }
  const td = given ?? certificates.map((c) => c.facts.spiffeIds[0]).find(Boolean);
  const domain = td === undefined ? undefined : domainOf(td);
  if (domain === undefined) {
    if (certificates.length > 0) {
      const message = 'no trust domain: pass --scope spire:<trust domain>';
      yield reject(input.path, undefined, undefined, 'BAD_INPUT', message);
    }
    yield { type: 'meta', meta: { complete: false } };
    return;
  }
  for (const observation of caObservations(certificates, domain)) {
    yield { type: 'observation', observation };
  }
  yield { type: 'meta', meta: { scopes: [spireScope(domain)], complete: false } };
}

/** `spire:example.org`, `spiffe://example.org` and `example.org` all name example.org. */
function domainOf(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const bare = raw.startsWith('spiffe://') ? trustDomainOf(raw) : raw.replace(/^spire:/, '');
  const td = bare.trim().toLowerCase();
  return td === '' ? undefined : td;
}


