import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/model/types.js';
import type { SourceFormat } from '../../src/sources/format.js';
import { fileInput } from '../../src/sources/read-file.js';
import { detectFormat, formatByName } from '../../src/sources/registry.js';
import { corpusFiles, corpusPath, hasCorpus } from '../helpers/corpus.js';
import { parseFile, type Parsed } from '../helpers/parse.js';
import { cli } from '../lifecycle/estate.js';

const DIR = 'vault-openbao';
const file = (name: string): string => corpusPath(DIR, `openbao-docs_${name}.json`);
const parse = (format: string, name: string): Promise<Parsed> =>
  parseFile(formatByName(format), file(name), { scope: 'vault:docs' });
const only = (p: Parsed, kind: Observation['kind'] = 'credential'): Observation => {
  const list = p.observations.filter((o) => o.kind === kind);
  expect(list).toHaveLength(1);
  return list[0]!;
};
const refused = (p: Parsed): string[] =>
  p.rejections.filter((r) => r.code === 'SECRET_REFUSED').map((r) => r.field ?? '');

/** The secret values in the corpus: none may reach the database. */
const SECRETS = ['cf64a70f-3a12-3f6c-791d-6cef6d390eed', '5b1a0318-679c-9c45-e5c6-d1b9a9035d49',
  's.wOrq9dO9kzOcuvB06CMviJhZ', '841771dc-11c9-bbc7-bcac-6a3945a69cd9', 'testsecretid'];

const FORMAT_OF: Record<string, string> = {
  'auth_approle__list-roles': 'vault-approle-roles',
  'auth_approle__list-secret-id-accessors': 'vault-secret-id-accessors',
  'auth_token__list-accessors': 'vault-token-accessors',
  'system_leases__list-leases': 'vault-leases',
};

describe.skipIf(!hasCorpus)('vault over the OpenBao corpus', () => {
  it('detects every file and reads it without a crash or an unexpected rejection', async () => {
    const files = corpusFiles(DIR);
    expect(files).toHaveLength(17);
    for (const path of files) {
      const name = basename(path, '.json').replace('openbao-docs_', '');
      const format: SourceFormat = detectFormat(fileInput(path));
      expect(format.name, name).toBe(FORMAT_OF[name] ?? 'vault');
      const p = await parseFile(format, path);
      expect(p.rejections.every((r) => r.code === 'SECRET_REFUSED'), name).toBe(true);
      expect(p.observations.length + p.warnings.length, name).toBeGreaterThan(0);
    }
  });

  it('reads a token lookup by accessor, refusing its id, as of expire_time - ttl', async () => {
    const p = await parse('vault', 'auth_token__lookup-a-token');
    expect(refused(p)).toEqual(['data.id']);
    const t = only(p);
    expect(t.keys).toEqual([
      { type: 'key-id', value: 'vault-token:8609694a-cdbc-db9b-d345-e782dbb562ed' }]);
    expect(t.attributes).toMatchObject({
      name: 'vault token ldap2-tesla', createdAt: '2018-04-17T15:35:54.000Z',
      expiresAt: '2018-05-19T15:35:54.466Z', 'vault.issueTime': '2018-04-17T15:35:54.466Z',
      'vault.orphan': true, 'vault.path': 'auth/ldap2/login/tesla', 'vault.ttl': 2764790,
      'vault.policies': ['default', 'testgroup2-policy'], 'vault.meta.username': 'tesla',
      'vault.identityPolicies': ['dev-group-policy'], 'vault.explicitMaxTtl': 0,
    });
    expect(JSON.stringify(p)).not.toContain('cf64a70f');
    const entity = only(p, 'identity');
    expect(entity.keys).toEqual([{ type: 'external-id',
      value: 'vault-entity:7d2e3179-f69b-450c-7179-ac8ee8bd8ca9' }]);
    expect(entity.attributes).toMatchObject({ name: 'tesla', identityType: 'human' });
    expect(p.meta.asOf).toBe('2018-04-17T15:36:04.466Z');
  });

  it('reads the accessor lookup (empty id, nothing refused) 888 seconds later', async () => {
    const p = await parse('vault', 'auth_token__lookup-a-token-accessor');
    expect(p.rejections).toEqual([]);
    expect(only(p).attributes['vault.ttl']).toBe(2763902);
    expect(p.meta.asOf).toBe('2018-04-17T15:50:52.466Z');
  });

  it('refuses client tokens of create, login and renew and keeps the accessors', async () => {
    const created = await parse('vault', 'auth_token__create-token');
    expect(refused(created)).toEqual(['auth.client_token']);
    expect(only(created).keys[0]!.value).toBe('vault-token:B6oixijqmeR4bsLOJH88Ska9');
    expect(only(created).attributes).toMatchObject({ 'vault.policies': ['default', 'stage', 'web'],
      'vault.meta.user': 'armon', 'vault.ttl': 3600, 'vault.tokenType': 'service' });
    const login = await parse('vault', 'auth_approle__login-with-approle');
    expect(refused(login)).toEqual(['auth.client_token']);
    expect(only(login).keys[0]!.value).toBe('vault-token:fd6c9a00-d2dc-3b11-0be5-af7ae0e1d374');
    expect(only(login).attributes['vault.ttl']).toBe(1200);
    const renew = await parse('vault', 'auth_token__renew-a-token');
    expect(refused(renew)).toEqual(['auth.client_token']);
    expect(renew.observations).toEqual([]);
    expect(renew.warnings).toMatchObject([{ code: 'NO_ACCESSOR' }]);
  });

  it('reads AppRole secret-ids by accessor, refusing generated secret_id values', async () => {
    for (const name of ['auth_approle__generate-new-secret-id',
      'auth_approle__create-custom-approle-secret-id']) {
      const p = await parse('vault', name);
      expect(refused(p), name).toEqual(['data.secret_id']);
      expect(only(p).keys[0]!.value).toBe('vault-secret-id:84896a0c-1347-aa90-a4f6-aca8b7558780');
      expect(only(p).attributes).toMatchObject({ 'vault.secretIdTtl': 600, 'vault.numUses': 50 });
    }
    for (const name of ['auth_approle__read-approle-secret-id',
      'auth_approle__read-approle-secret-id-accessor']) {
      const p = await parse('vault', name);
      expect(p.rejections).toEqual([]);
      const s = only(p);
      expect(s.keys[0]!.value).toBe('vault-secret-id:2be760a4-86bb-2fa9-1637-1b7fa9ba2896');
      expect(s.attributes).toMatchObject({ createdAt: '2023-02-10T18:17:27.089Z',
        neverExpires: true, 'vault.meta.tag1': 'production', 'vault.secretIdTtl': 0 });
      expect(s.attributes.expiresAt).toBeUndefined();
    }
  });

  it('reads role lists, role ids and says why role settings are not kept', async () => {
    const roles = await parse('vault-approle-roles', 'auth_approle__list-roles');
    expect(roles.observations.map((o) => o.keys[0]!.value)).toEqual([
      'vault-approle:vault:docs/approle/dev', 'vault-approle:vault:docs/approle/prod',
      'vault-approle:vault:docs/approle/test']);
    const roleId = await parse('vault', 'auth_approle__read-approle-role-id');
    expect(only(roleId, 'identity').keys).toEqual([{ type: 'external-id',
      value: 'vault-approle-role-id:e5a7b66e-5d08-da9c-7075-71984634b882' }]);
    const settings = await parse('vault', 'auth_approle__read-approle');
    expect(settings.observations).toEqual([]);
    expect(settings.warnings).toMatchObject([{ code: 'UNKEYED_ROLE' }]);
    const tokenRoles = await parse('vault', 'auth_token__list-token-roles');
    expect(tokenRoles.warnings).toMatchObject([{ code: 'UNNAMED_LIST' }]);
  });

  it('reads accessor and lease lists; a lease read meets its list entry on one key', async () => {
    const acc = await parse('vault-token-accessors', 'auth_token__list-accessors');
    expect(acc.observations.map((o) => o.keys[0]!.value)).toEqual([
      'vault-token:476ea048-ded5-4d07-eeea-938c6b4e43ec',
      'vault-token:bb00c093-b7d3-b0e9-69cc-c4d85081165b']);
    expect(acc.meta.complete).toBe(true);
    const sids = await parse('vault-secret-id-accessors', 'auth_approle__list-secret-id-accessors');
    expect(sids.observations).toHaveLength(5);
    expect(sids.observations[3]!.keys[0]!.value)
      .toBe('vault-secret-id:84896a0c-1347-aa90-a4f6-aca8b7558780');
    const key = 'vault-lease:h5a2d7506918f459d022267a3351666b35bd8b5d6d39b0bcfe14927c0e4464225';
    const list = await parse('vault-leases', 'system_leases__list-leases');
    expect(only(list).keys[0]!.value).toBe(key);
    const read = await parse('vault', 'system_leases__read-lease');
    expect(only(read).keys[0]!.value).toBe(key);
    expect(only(read).attributes).toMatchObject({ createdAt: '2024-02-04T19:34:02.005Z',
      expiresAt: '2024-03-07T19:34:02.005Z', 'vault.path': 'auth/userpass/login/user',
      'vault.ttl': 2764397 });
  });

  it('ingests the whole folder and no secret value reaches the database file', async () => {
    const c = cli();
    const r = await c.run('ingest', corpusPath(DIR), '--scope', 'vault:docs', '-q');
    // Refused secrets are rejected rows: reported, and the exit code says so.
    expect(r.code).toBe(1);
    expect(`${r.out}\n${r.err}`.match(/\[SECRET_REFUSED\]/g)).toHaveLength(6);
    const creds = await c.json<{ name: string }[]>('credentials');
    expect(creds.length).toBe(12);
    const bytes = [c.db, `${c.db}-wal`].filter(existsSync)
      .map((p) => readFileSync(p).toString('latin1')).join('');
    // The accessors are there (the check can fail), the secrets are not.
    expect(bytes).toContain('8609694a-cdbc-db9b-d345-e782dbb562ed');
    for (const secret of SECRETS) expect(bytes).not.toContain(secret);
  });
});
