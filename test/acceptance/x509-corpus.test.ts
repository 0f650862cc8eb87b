import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/model/types.js';
import { fileInput } from '../../src/sources/read-file.js';
import { detectFormat } from '../../src/sources/registry.js';
import { x509Certificates } from '../../src/sources/x509/index.js';
import { corpusFiles, corpusPath, hasCorpus } from '../helpers/corpus.js';
import { parseFile, type Parsed } from '../helpers/parse.js';

const FOLDER = 'x509';
const read = (file: string): Promise<Parsed> =>
  parseFile(x509Certificates, corpusPath(FOLDER, file));
const attrs = (o: Observation | undefined) => o?.attributes ?? {};
const BAD = new Set(['go-spiffe_bundle_corrupted.pem', 'go-spiffe_bundle_not-pem.pem']);

describe.skipIf(!hasCorpus)('x509 on the real corpus', () => {
  it('reads every file; only the corrupted and the non-PEM file are rejected', async () => {
    const files = corpusFiles(FOLDER);
    expect(files.length).toBeGreaterThanOrEqual(30);
    for (const file of files) {
      const name = basename(file);
      if (name !== 'go-spiffe_bundle_not-pem.pem') {
        expect(detectFormat(fileInput(file)).name, name).toBe('x509');
      }
      const r = await parseFile(x509Certificates, file);
      expect(r.rejections.length > 0, name).toBe(BAD.has(name));
      expect(r.observations.length > 0, name).toBe(!BAD.has(name));
      expect(r.meta).toEqual({ scopes: [`x509:${name}`], complete: false });
    }
  });

  it('rejects the corrupted PEM by line and the non-PEM file whole', async () => {
    const corrupted = await read('go-spiffe_bundle_corrupted.pem');
    expect(corrupted.rejections).toEqual([expect.objectContaining({ line: 1, code: 'BAD_INPUT' })]);
    const notPemFile = fileInput(corpusPath(FOLDER, 'go-spiffe_bundle_not-pem.pem'));
    expect(x509Certificates.detect(notPemFile)).toBe(0);
    expect(() => detectFormat(notPemFile)).toThrow(/not a format Roster recognises/);
    const notPem = await read('go-spiffe_bundle_not-pem.pem');
    const message = 'no PEM block found; this is not a PEM file';
    expect(notPem.rejections.map((r) => r.message)).toEqual([message]);
  });

  it('follows the expired wildcard chain to its root, with fingerprints and dates', async () => {
    const p = await read('badssl_wildcard-expired.pem');
    const [leaf, issuing, root] = p.observations;
    expect(leaf?.sourceId).toBe('ba105ce02bac76888ecee47cd4eb7941653e9ac993b61b2eb3dcc82014d21b4f');
    expect(attrs(leaf)).toMatchObject({
      name: '*.badssl.com',
      serial: '4AE79549FA9ABE3F100F17A478E16909',
      notBefore: '2015-04-09T00:00:00.000Z',
      expiresAt: '2015-04-12T23:59:59.000Z',
      sans: ['DNS:*.badssl.com', 'DNS:badssl.com'],
    });
    expect(leaf?.relations).toEqual([
      { type: 'issued-by', target: { type: 'x509-sha256', value: issuing!.sourceId } },
      { type: 'names', target: { type: 'fqdn', value: 'badssl.com' } },
    ]);
    expect(issuing?.relations?.[0]?.target.value).toBe(
      '4f32d5dc00f715250abcc486511e37f501a899deb3bf7ea8adbbd3aef1c412da',
    );
    expect(root?.sourceId).toBe('4f32d5dc00f715250abcc486511e37f501a899deb3bf7ea8adbbd3aef1c412da');
    expect(attrs(root)).toMatchObject({
      keySize: 4096,
      isCa: true,
      expiresAt: '2020-05-30T10:48:38.000Z',
    });
  });

  it('reads key sizes and curves: RSA-8192, RSA-1024, P-256 under P-384, P-521', async () => {
    expect(attrs((await read('badssl_wildcard-rsa8192.pem')).observations[0])).toMatchObject({
      keyType: 'rsa',
      keySize: 8192,
    });
    const fish = (await read('badssl_ca-superfish.crt')).observations[0];
    expect(attrs(fish)).toMatchObject({ keySize: 1024 });
    const ecc = (await read('badssl_wildcard-ecc256.pem')).observations;
    expect(ecc.map((o) => [o.attributes['keyCurve'], o.attributes['keySize']])).toEqual([
      ['P-256', 256],
      ['P-384', 384],
    ]);
    const svid = (await read('spire_certs_svid.pem')).observations[0];
    expect(attrs(svid)).toMatchObject({ keyCurve: 'P-521' });
  });

  it('detects SHA-1 signatures, also under the old OIW identifier of eDellRoot', async () => {
    const sha1 = (await read('badssl_wildcard-sha1-2016.pem')).observations;
    const algorithms = sha1.map((o) => [attrs(o).signatureAlgorithm, attrs(o).signatureHash]);
    expect(algorithms).toEqual([
      ['sha1WithRSAEncryption', 'sha1'],
      ['sha1WithRSAEncryption', 'sha1'],
    ]);
    expect(attrs(sha1[0]).expiresAt).toBe('2016-12-29T23:59:59.000Z');
    const dell = (await read('badssl_ca-edellroot.crt')).observations[0];
    expect(attrs(dell)).toMatchObject({
      name: 'eDellRoot',
      signatureHash: 'sha1',
      selfSigned: true,
      expiresAt: '2039-12-31T23:59:59.000Z',
    });
  });

  it('names certificates without a CN or without any subject by their SAN', async () => {
    const noCn = (await read('badssl_subdomain-no-common-name.pem')).observations[0];
    expect(attrs(noCn)).toMatchObject({
      name: 'no-common-name.badssl.com',
      subject: 'C=US, ST=California, L=Walnut Creek, O=Lucas Garron, OU=Multi-Domain SSL',
    });
    const noSubject = (await read('badssl_subdomain-no-subject.pem')).observations[0];
    expect(attrs(noSubject).name).toBe('no-subject.badssl.com');
    expect(attrs(noSubject).subject).toBeUndefined();
    expect(attrs(noSubject).issuer).toContain('CN=UbiquiTLS™ DV RSA Server CA');
  });

  it('keeps the Unicode CN of the IDN certificate and names its punycode hosts', async () => {
    const idn = (await read('badssl_subdomain-xn--n1aae7f7o.pem')).observations[0];
    expect(attrs(idn).name).toBe('ѕрооғ.badssl.com');
    expect(idn?.relations?.filter((r) => r.type === 'names').map((r) => r.target.value)).toEqual([
      'xn--n1aae7f7o.badssl.com',
      'www.xn--n1aae7f7o.badssl.com',
    ]);
  });

  it('reads self-signed certificates and known-bad roots as self-signed', async () => {
    const self = (await read('badssl_wildcard-self-signed.pem')).observations[0];
    expect(self?.sourceId).toBe('28c9e8baa603ee94002ecacd37c15091dca6e1ac8ed429e311897c6c722034b0');
    expect(attrs(self)).toMatchObject({
      selfSigned: true,
      isCa: false,
      expiresAt: '2018-08-08T21:17:05.000Z',
    });
    const fish = (await read('badssl_ca-superfish.crt')).observations[0];
    expect(attrs(fish)).toMatchObject({
      selfSigned: true,
      subject: 'O=Superfish\\, Inc., L=SF, ST=CA, C=US, CN=Superfish\\, Inc.',
    });
  });

  it('reads X509-SVIDs: the SPIFFE ID, a CA flag on a leaf, a leaf without an ID', async () => {
    const good = (await read('go-spiffe_svid_good-leaf-only.pem')).observations[0];
    expect(attrs(good)).toMatchObject({
      spiffeId: 'spiffe://example.org/workload-1',
      expiresAt: '2025-03-29T19:00:37.000Z',
      isCa: false,
    });
    expect(good?.relations).toEqual([
      { type: 'names', target: { type: 'spiffe-id', value: 'spiffe://example.org/workload-1' } },
    ]);
    const caLeaf = (await read('go-spiffe_svid_wrong-leaf-ca-true.pem')).observations[0];
    expect(attrs(caLeaf)).toMatchObject({
      isCa: true,
      spiffeId: 'spiffe://example.org/workload-1',
    });
    const certSign = (await read('go-spiffe_svid_wrong-leaf-cert-sign.pem')).observations[0];
    expect(attrs(certSign)['x509.keyUsage']).toEqual(['digitalSignature', 'keyCertSign']);
    const noId = (await read('go-spiffe_svid_wrong-leaf-empty-id.pem')).observations[0];
    expect(attrs(noId).spiffeId).toBeUndefined();
    const chain = (await read('go-spiffe_svid_good-leaf-and-intermediate.pem')).observations;
    expect(chain[0]?.relations?.[0]).toEqual({
      type: 'issued-by',
      target: {
        type: 'x509-sha256',
        value: '5a376dd7ab58f3055f23323da9ed913046801ea4466687ec629633c05646f7fd',
      },
    });
  });

  it('handles validity from year 0001 to 9999 and an empty issuer', async () => {
    const leaf = (await read('spire_nodeattestor_x509pop_leaf.pem')).observations[0];
    expect(attrs(leaf)).toMatchObject({
      name: 'COMMONNAME',
      expiresAt: '9999-12-31T23:59:59.000Z',
      'x509.neverExpires': true,
      sans: [
        'URI:x509pop://example.org/datacenter/us-east-1',
        'URI:x509pop://example.org/environment/production',
        'URI:x509pop://example.org/key/path/to/value',
      ],
    });
    // notBefore 0001-01-01 means "no start" (DESIGN.md rule 1), never a date
    expect(attrs(leaf).notBefore).toBeUndefined();
    expect(attrs(leaf).issuer).toBeUndefined();
    const exchange = (await read('spire_nodeattestor_x509pop_svidexchange.pem')).observations;
    expect(attrs(exchange[0]).spiffeId).toBe('spiffe://example.org/spire-exchange/testhost');
    expect(exchange[0]?.relations?.[0]?.target.value).toBe(exchange[1]?.sourceId);
  });

  it('reads the x5c CA of a SPIFFE JWKS bundle and counts its JWT keys', async () => {
    const p = await read('go-spiffe_spiffebundle_valid_2.jwks.json');
    expect(p.observations).toHaveLength(1);
    expect(attrs(p.observations[0])).toMatchObject({
      spiffeId: 'spiffe://local',
      keyCurve: 'P-384',
      expiresAt: '2023-05-12T19:33:47.000Z',
      isCa: true,
    });
    expect(p.warnings.map((w) => w.message)).toEqual([
      "6 key(s) with use 'jwt-svid' carry no certificate; skipped",
    ]);
  });

  it('reads both certificates of the go-spiffe bundle (v1, RSA-768, valid to 2045)', async () => {
    const p = await read('go-spiffe_bundle_certs.pem');
    const facts = p.observations.map((o) => {
      const a = o.attributes;
      return [a['name'], a['keySize'], a['expiresAt']];
    });
    expect(facts).toEqual([
      ['PEMUTILTEST1', 768, '2045-12-01T23:59:56.000Z'],
      ['PEMUTILTEST2', 768, '2045-12-01T23:59:43.000Z'],
    ]);
    expect(attrs(p.observations[0])['x509.version']).toBe(1);
  });
});
