import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../model/types.js';
import { parseFile, parseText, type Parsed } from '../../../test/helpers/parse.js';
import { entraFormat } from './entra-format.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../../test/fixtures/entra/${name}`, import.meta.url));
const SPS = fixture('graph-service-principals.json');
const APPS = fixture('graph-applications.json');
const bySource = (r: Parsed, id: string): Observation => {
  const found = r.observations.find((o) => o.sourceId === id);
  if (!found) throw new Error(`no observation ${id}`);
  return found;
};
const SP_ID = '0b7c9a51-2f3e-4d6a-9c11-5e0f6a7b8c90';
const APP_ID = 'c3d4e5f6-1111-4222-8333-944455566677';
const TENANT = '7f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';

describe('entra format: service principals', () => {
  it('maps a Graph service principal to a service identity by object id and app id', async () => {
    const r = await parseFile(entraFormat, SPS);
    const sp = bySource(r, `servicePrincipal:${SP_ID}`);
    expect(sp.kind).toBe('identity');
    expect(sp.scope).toBe(`entra:${TENANT}/servicePrincipals`);
    expect(sp.keys).toEqual([
      { type: 'entra-object-id', value: SP_ID },
      { type: 'entra-app-id', value: APP_ID },
    ]);
    expect(sp.attributes).toMatchObject({
      identityType: 'service',
      name: 'billing-exporter',
      active: true,
      createdAt: '2023-03-14T09:26:53.000Z',
      'entra.servicePrincipalType': 'Application',
      'entra.appOwnerOrganizationId': TENANT,
      tags: ['WindowsAzureActiveDirectoryIntegratedApp'],
    });
    expect(sp.relations).toContainEqual({
      type: 'runs-on',
      target: { type: 'external-id', value: `entra-app:${APP_ID}` },
    });
  });

  it('turns expanded owners into owned-by relations and one owner observation', async () => {
    const r = await parseFile(entraFormat, SPS);
    const owners = r.observations.filter((o) => o.kind === 'owner');
    expect(owners).toHaveLength(1);
    const email = { type: 'email', value: 'dana.whitfield@contoso.example' };
    expect(owners[0]!.keys).toContainEqual(email);
    expect(owners[0]!.attributes).toMatchObject({
      name: 'Dana Whitfield',
      ownerType: 'person',
      active: true,
    });
    const identities = r.observations.filter((o) => o.kind === 'identity');
    for (const i of identities) {
      expect(i.relations).toContainEqual({ type: 'owned-by', target: email });
    }
  });

  it('reads a disabled managed identity without owner tenant into the default scope', async () => {
    const r = await parseFile(entraFormat, SPS);
    const mi = bySource(r, 'servicePrincipal:1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f');
    expect(mi.scope).toBe('default/servicePrincipals');
    expect(mi.attributes).toMatchObject({
      active: false,
      'entra.servicePrincipalType': 'ManagedIdentity',
    });
  });

  it('keeps the password and certificate ids, dates and thumbprint', async () => {
    const r = await parseFile(entraFormat, SPS);
    const keyId = '5a6b7c8d-0000-4111-8222-933344455566';
    const secret = bySource(r, `credential:${keyId}`);
    expect(secret.keys).toEqual([{ type: 'key-id', value: `entra:${keyId}` }]);
    expect(secret.attributes).toMatchObject({
      credentialType: 'client-secret',
      name: 'ci-deploy',
      'entra.hint': 'Q~7',
      createdAt: '2024-09-30T00:00:00.000Z',
      expiresAt: '2025-09-30T00:00:00.000Z',
      active: true,
    });
    expect(secret.relations).toEqual([
      { type: 'belongs-to', target: { type: 'entra-object-id', value: SP_ID } },
    ]);
    const cert = bySource(r, 'credential:9e8d7c6b-0000-4aaa-8bbb-ccccdddd0001');
    expect(cert.attributes).toMatchObject({
      credentialType: 'x509-certificate',
      fingerprint: 'sha1:a02aaaca9e191518e754759db2a2f18eb6001d10',
      'entra.keyUsage': 'Verify',
    });
  });

  it('marks a page with a next link as not complete', async () => {
    const r = await parseFile(entraFormat, SPS);
    expect(r.meta.complete).toBe(false);
    expect(r.meta.scopes).toEqual([
      `entra:${TENANT}/servicePrincipals`, 'default/servicePrincipals',
    ]);
  });
});

describe('entra format: applications', () => {
  it('maps an application to an asset keyed by entra-app:<appId> and object id', async () => {
    const r = await parseFile(entraFormat, APPS, { scope: 'entra:contoso' });
    const app = r.observations.find((o) => o.kind === 'asset')!;
    expect(app.scope).toBe('entra:contoso/applications');
    expect(app.keys).toEqual([
      { type: 'external-id', value: `entra-app:${APP_ID}` },
      { type: 'entra-object-id', value: '6f5e4d3c-2b1a-4098-8765-4321fedcba98' },
    ]);
    expect(app.attributes).toMatchObject({
      class: 'entra-application',
      name: 'billing-exporter',
      'entra.signInAudience': 'AzureADMyOrg',
      'entra.identifierUris': ['api://billing-exporter'],
    });
    expect(r.meta.complete).toBe(true);
  });

  it('gives app credentials to the identity with the app id, named by hint', async () => {
    const r = await parseFile(entraFormat, APPS);
    const cred = bySource(r, 'credential:0f0e0d0c-0b0a-4909-8807-060504030201');
    expect(cred.attributes).toMatchObject({
      name: 'xY4',
      expiresAt: '2024-06-01T06:00:00.000Z',
      createdAt: '2023-06-01T06:00:00.000Z',
    });
    expect(cred.relations).toEqual([
      { type: 'belongs-to', target: { type: 'entra-app-id', value: APP_ID } },
    ]);
  });

  it('refuses secretText and key values by field name without echoing them', async () => {
    const r = await parseFile(entraFormat, APPS);
    const secrets = r.rejections.filter((x) => x.code === 'SECRET_REFUSED');
    expect(secrets.map((x) => x.field)).toEqual([
      'passwordCredentials[1].secretText',
      'keyCredentials[0].key',
    ]);
    expect(secrets.every((x) => x.item === 1)).toBe(true);
    const all = JSON.stringify(r);
    expect(all).not.toContain('made.up.value');
    expect(all).not.toContain('bWFkZS11cCBrZXkgYnl0ZXM=');
    const ids = r.observations.map((o) => o.sourceId);
    expect(ids).not.toContain('credential:11111111-2222-4333-8444-555555555555');
  });

  it('keeps a certificate keyCredential by thumbprint, never its key bytes', async () => {
    const pem = readFileSync(new URL('../x509/testdata/chain.pem', import.meta.url), 'utf8');
    const body = /-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/.exec(pem)![1]!;
    const der = body.replace(/\s/g, '');
    const sha1 = new X509Certificate(Buffer.from(der, 'base64')).fingerprint;
    const cert = (keyId: string, customKeyIdentifier: string | null) => ({
      keyId, customKeyIdentifier, type: 'AsymmetricX509Cert', usage: 'Verify', key: der,
      displayName: 'CN=billing', startDateTime: '2025-01-01T00:00:00Z',
      endDateTime: '2027-01-01T00:00:00Z',
    });
    const given = 'B1C2D3E4F5A6B7C8D9E0F1A2B3C4D5E6F7A8B9C0';
    const app = {
      id: '6f5e4d3c-2b1a-4098-8765-4321fedcba98', appId: APP_ID, displayName: 'billing',
      keyCredentials: [cert('33333333-3333-4333-8333-333333333333', null),
        cert('44444444-4444-4444-8444-444444444444', given)],
      passwordCredentials: [],
    };
    const doc = { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#applications',
      value: [app] };
    const r = await parseText(entraFormat, 'apps.json', JSON.stringify(doc), { scope: TENANT });
    expect(r.rejections).toEqual([]);
    const fingerprints = ['33333333-3333-4333-8333-333333333333',
      '44444444-4444-4444-8444-444444444444']
      .map((id) => bySource(r, `credential:${id}`).attributes['fingerprint']);
    expect(fingerprints).toEqual([`sha1:${sha1.replace(/:/g, '').toLowerCase()}`,
      `sha1:${given.toLowerCase()}`]);
    expect(JSON.stringify(r)).not.toContain(der.slice(40, 80));
  });

  it('warns about and skips an object of another type', async () => {
    const r = await parseFile(entraFormat, APPS);
    const expected = expect.objectContaining({ code: 'UNKNOWN_OBJECT', item: 2 });
    expect(r.warnings).toContainEqual(expected);
  });

  it('reads a legacy AAD Graph application with its tenant and hex thumbprint', async () => {
    const file = fixture('aad-graph-application.json');
    const r = await parseFile(entraFormat, file, { scope: 'ignored' });
    const app = r.observations.find((o) => o.kind === 'asset')!;
    expect(app.scope).toBe('entra:4c3b2a19-8d7e-4f60-9a1b-2c3d4e5f6a7b/applications');
    const objectId = '8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d';
    expect(app.keys).toContainEqual({ type: 'entra-object-id', value: objectId });
    const cert = r.observations.find((o) => o.kind === 'credential')!;
    expect(cert.attributes).toMatchObject({
      fingerprint: 'sha1:3e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f',
      expiresAt: '2024-02-29T23:59:59.500Z',
      credentialType: 'x509-certificate',
    });
    expect(r.meta.complete).toBe(false);
  });
});

describe('entra format: bad input and detection', () => {
  it('keeps objects read before malformed JSON and rejects the rest of the file', async () => {
    const text =
      '{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#servicePrincipals",' +
      '"value":[{"id":"0000aaaa-1111-4222-8333-444455556666","appId":"9999"},{"id": tru';
    const r = await parseText(entraFormat, 'sp.json', text);
    expect(r.observations).toHaveLength(1);
    expect(r.rejections).toEqual([expect.objectContaining({ file: 'sp.json', code: 'BAD_JSON' })]);
    expect(r.meta.complete).toBe(false);
  });

  it('rejects an object without an id and a credential with an unreadable date', async () => {
    const text = JSON.stringify({
      value: [
        { appId: 'x', servicePrincipalType: 'Application' },
        {
          id: 'ab', appId: 'cd', servicePrincipalType: 'Application',
          passwordCredentials: [{ keyId: 'k1', endDateTime: '03/04/2025' }],
        },
      ],
    });
    const r = await parseText(entraFormat, 'sp.json', text);
    expect(r.rejections).toEqual([
      expect.objectContaining({ item: 1, field: 'id', code: 'MISSING_KEY' }),
      expect.objectContaining({
        item: 2,
        field: 'passwordCredentials[0].endDateTime',
        code: 'BAD_TIME',
      }),
    ]);
  });

  it('detects Graph lists, AAD Graph objects and the doc example without context', () => {
    const d = (head: string): number => entraFormat.detect({ path: 'x.json', head });
    const graph = 'https://graph.microsoft.com/v1.0/$metadata#applications';
    expect(d(`{"@odata.context":"${graph}","value":[]}`)).toBe(0.95);
    const aad = 'https://graph.windows.net/t/$metadata#x';
    expect(d(`{"odata.metadata":"${aad}","objectType":"ServicePrincipal"}`)).toBe(0.9);
    expect(d('{\n "value": [{\n "appId": "a",\n "passwordCredentials": []}]}')).toBe(0.8);
    expect(d('{"hosts":[]}')).toBe(0);
    expect(d('appId,displayName\n')).toBe(0);
  });
});
