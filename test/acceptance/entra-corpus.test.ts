import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/model/types.js';
import { entraFormat } from '../../src/sources/entra/index.js';
import { fileInput } from '../../src/sources/read-file.js';
import { detectFormat } from '../../src/sources/registry.js';
import { corpusFiles, corpusPath, hasCorpus } from '../helpers/corpus.js';
import { parseFile, type Parsed } from '../helpers/parse.js';

const DIR = 'azure-entra';
const parse = (name: string): Promise<Parsed> => parseFile(entraFormat, corpusPath(DIR, name));
const byId = (p: Parsed, id: string): Observation => {
  const o = p.observations.find((x) => x.sourceId === id);
  if (!o) throw new Error(`no observation ${id}`);
  return o;
};

describe.skipIf(!hasCorpus)('entra over the corpus', () => {
  it('detects and ingests every file without a crash or a rejection', async () => {
    const files = corpusFiles(DIR);
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      expect(detectFormat(fileInput(file)).name).toBe('entra');
      const p = await parseFile(entraFormat, file);
      expect(p.rejections).toEqual([]);
      expect(p.observations.length).toBeGreaterThan(0);
    }
  });

  it('reads the recorded application with its two expired client secrets', async () => {
    const p = await parse(
      'azure-cli-rec_test_app_credential__applications_filter_appId_two_passwordCredentials.json',
    );
    const app = byId(p, 'application:765eb0e3-acb3-475d-9a98-ee6892f081c8');
    expect(app.keys).toContainEqual({
      type: 'external-id',
      value: 'entra-app:afb85a07-e312-4d49-b75b-9db4e2d683cd',
    });
    expect(app.attributes).toMatchObject({
      class: 'entra-application',
      name: 'azure-cli-test000001',
      'entra.signInAudience': 'AzureADandPersonalMicrosoftAccount',
    });
    const key2 = byId(p, 'credential:58ed553a-d3af-4520-8d81-4775274faac5');
    expect(key2.attributes).toMatchObject({
      credentialType: 'client-secret',
      name: 'key2',
      'entra.hint': 'jis',
      expiresAt: '2023-05-07T06:52:46.000Z',
    });
    const key1 = byId(p, 'credential:73c912d2-fd2d-42a0-b3ae-2e45d006b8bc');
    expect(key1.attributes.expiresAt).toBe('2024-05-07T06:52:43.000Z');
    expect(key1.relations).toEqual([
      {
        type: 'belongs-to',
        target: { type: 'entra-app-id', value: 'afb85a07-e312-4d49-b75b-9db4e2d683cd' },
      },
    ]);
  });

  it('reads the legacy AAD Graph application and its certificate thumbprint', async () => {
    const p = await parse(
      'azure-cli-rec_test_create_for_rbac_with_cert__aadgraph16_application_keyCredential.json',
    );
    const app = byId(p, 'application:81806e6d-8e9e-4399-b8be-4961ae224789');
    expect(app.attributes.name).toBe('cli_create_rbac_sp_with_cert000001');
    const cert = byId(p, 'credential:88888888-0000-0000-0000-000000000001');
    expect(cert.attributes).toMatchObject({
      credentialType: 'x509-certificate',
      fingerprint: 'sha1:a602f1ee56114da74f90a7f0579870fe4b99b8c7',
      expiresAt: '2023-02-16T07:00:18.661Z',
      'entra.keyUsage': 'Verify',
    });
    // The zero tenant in odata.metadata is a placeholder: it names no scope.
    expect(app.scope).toBe('default/applications');
  });

  it('reads service principals with their app ids, owner tenants and no credentials', async () => {
    const p = await parse(
      'azure-cli-rec_test_service_principal_scenario__servicePrincipals_filter_no_credentials.json',
    );
    expect(p.observations).toHaveLength(1);
    const sp = byId(p, 'servicePrincipal:45e0a0cf-92d7-4ea9-8a44-0e84fae7aa74');
    expect(sp.scope).toBe('entra:54826b22-38d6-4fb2-bad9-b7b93a3e9c5a/servicePrincipals');
    expect(sp.keys).toContainEqual({
      type: 'entra-app-id',
      value: '5a512f68-af7f-4e8b-b7d4-19f3ea7372db',
    });
    expect(sp.attributes).toMatchObject({
      identityType: 'service',
      active: true,
      'entra.servicePrincipalType': 'Application',
      'entra.servicePrincipalNames': [
        'api://azure-cli-test000001',
        '5a512f68-af7f-4e8b-b7d4-19f3ea7372db',
      ],
    });
    const doc = await parse('msgraph-docs_serviceprincipal-list_example.json');
    const foo = byId(doc, 'servicePrincipal:59e617e5-e447-4adc-8b88-00af644d7c92');
    expect(foo.attributes).toMatchObject({
      name: 'foo',
      'entra.appDisplayName': 'My App',
      'entra.publisherName': 'Contoso',
    });
    expect(foo.scope).toBe('entra:1bc1c026-2f7b-48a5-98da-afa2fd8bc7bc/servicePrincipals');
  });
});
