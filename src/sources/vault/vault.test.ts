import { describe, expect, it } from 'vitest';
import { parseText } from '../../../test/helpers/parse.js';
import { textInput } from '../read-file.js';
import { detectFormat } from '../registry.js';
import {
  vaultApproleRoles,
  vaultLeases,
  vaultResponses,
  vaultSecretIdAccessors,
  vaultTokenAccessors,
} from './index.js';

const ENVELOPE = { request_id: 'r-1', lease_id: '', renewable: false, lease_duration: 0,
  wrap_info: null, warnings: null, auth: null };
const lookup = (data: Record<string, unknown>) => JSON.stringify({ ...ENVELOPE, data });
const TOKEN = {
  accessor: 'Zk4mP9qR2sT7vW1xY6aB3cDe',
  creation_time: 1796097600,
  creation_ttl: 86400,
  display_name: 'kubernetes-ci-runner',
  entity_id: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
  expire_time: '2026-12-02T05:00:00+01:00',
  explicit_max_ttl: 0,
  id: 'hvs.CAESIJ1abcdefghijklmnopqrstuv',
  issue_time: '2026-12-01T05:00:00+01:00',
  meta: { service_account_uid: '1F2E3D4C-5B6A-4978-8695-A4B3C2D1E0F9',
    service_account_name: 'runner', role: 'ci' },
  num_uses: 0,
  orphan: true,
  path: 'auth/kubernetes/login',
  policies: ['default', 'ci'],
  identity_policies: ['ci-group'],
  renewable: true,
  ttl: 43200,
  type: 'service',
};
const detect = (path: string, text: string) => detectFormat(textInput(path, text)).name;

describe('vault token lookups', () => {
  it('keys a token by accessor, refuses its id, binds it to entity and account', async () => {
    const p = await parseText(vaultResponses, 'lookup.json', lookup(TOKEN), { scope: 'vault:ci' });
    expect(p.rejections).toEqual([{ file: 'lookup.json', item: 1, field: 'data.id',
      code: 'SECRET_REFUSED',
      message:
        'token id (the token itself) refused and dropped; the record is kept by its accessor' }]);
    const token = p.observations.find((o) => o.kind === 'credential')!;
    expect(token.sourceId).toBe('token:Zk4mP9qR2sT7vW1xY6aB3cDe');
    expect(token.scope).toBe('vault:ci');
    expect(token.keys).toEqual([{ type: 'key-id', value: 'vault-token:Zk4mP9qR2sT7vW1xY6aB3cDe' }]);
    expect(token.attributes).toMatchObject({
      class: 'vault-token', credentialType: 'token', name: 'vault token kubernetes-ci-runner',
      createdAt: '2026-12-01T04:00:00.000Z', expiresAt: '2026-12-02T04:00:00.000Z',
      'vault.policies': ['default', 'ci'], 'vault.identityPolicies': ['ci-group'],
      'vault.orphan': true, 'vault.ttl': 43200, 'vault.explicitMaxTtl': 0,
      'vault.authMount': 'kubernetes', 'vault.meta.service_account_name': 'runner',
    });
    expect(JSON.stringify(p)).not.toContain('hvs.CAESIJ1');
    expect(token.relations).toEqual([
      { type: 'belongs-to', target: { type: 'external-id',
        value: 'vault-entity:0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e' } },
      { type: 'belongs-to', target: { type: 'k8s-uid',
        value: '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9' } },
    ]);
    const entity = p.observations.find((o) => o.kind === 'identity')!;
    expect(entity.attributes).toMatchObject({ class: 'vault-entity', name: 'runner',
      identityType: 'service' });
    // As of when Vault answered: expire_time - ttl.
    expect(p.meta).toMatchObject({ asOf: '2026-12-01T16:00:00.000Z', complete: false,
      scopes: ['vault:ci'] });
  });

  it('reads a token without expiry or TTL as never expiring, EC2 meta as its host', async () => {
    const text = lookup({ ...TOKEN, id: '', entity_id: '', expire_time: null, ttl: 0,
      path: 'auth/aws/login', meta: { instance_id: 'i-0123456789abcdef0' } });
    const p = await parseText(vaultResponses, 't.json', text);
    expect(p.rejections).toEqual([]);
    const [token] = p.observations;
    expect(token!.attributes.neverExpires).toBe(true);
    expect(token!.attributes.expiresAt).toBeUndefined();
    expect(token!.scope).toBe('vault:default');
    expect(token!.relations).toEqual([
      { type: 'names', target: { type: 'aws-instance-id', value: 'i-0123456789abcdef0' } },
    ]);
  });

  it('refuses a whole response with a secret elsewhere, rejects a bad time by field', async () => {
    const leak = lookup({ ...TOKEN, id: '', meta: { db_password: 'Sup3rS3cretValue!' } });
    const p = await parseText(vaultResponses, 'leak.json', leak);
    expect(p.observations).toEqual([]);
    expect(p.rejections).toMatchObject([
      { field: 'data.meta.db_password', code: 'SECRET_REFUSED' }]);
    expect(JSON.stringify(p)).not.toContain('Sup3rS3cretValue');
    const bad = await parseText(vaultResponses, 'bad.json',
      lookup({ ...TOKEN, id: '', expire_time: 'next tuesday' }));
    expect(bad.rejections).toMatchObject([{ file: 'bad.json', item: 1, field: 'data.expire_time',
      code: 'BAD_TIME' }]);
    expect(bad.observations).toEqual([]);
  });

  it('refuses a wrapped response by its wrapping token and keeps nothing of it', async () => {
    const text = JSON.stringify({ ...ENVELOPE, data: null, wrap_info: {
      token: 'hvs.WRAPPEDWRAPPEDWRAPPEDWRAP', accessor: 'Wr4pAcc3ss0r', ttl: 300,
      creation_time: '2026-12-01T10:00:00Z', creation_path: 'auth/approle/role/ci/secret-id' } });
    const p = await parseText(vaultResponses, 'wrapped.json', text);
    expect(p.observations).toEqual([]);
    expect(p.rejections).toMatchObject([{ field: 'wrap_info.token', code: 'SECRET_REFUSED' }]);
    expect(JSON.stringify(p)).not.toContain('WRAPPED');
  });

  it('reads several responses in one array, keeping good ones after a bad one', async () => {
    const text = `[${lookup({ policies: [], accessor: '' })},${lookup({ ...TOKEN, id: '' })}]`;
    const p = await parseText(vaultResponses, 'many.json', text);
    expect(p.rejections).toMatchObject([{ item: 1, field: 'data.accessor', code: 'MISSING_KEY' }]);
    expect(p.observations.map((o) => o.sourceId)).toEqual([
      'entity:0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e', 'token:Zk4mP9qR2sT7vW1xY6aB3cDe',
    ]);
  });
});

describe('vault auth blocks, AppRole and leases', () => {
  it('drops client_token from a login and keeps the token by accessor', async () => {
    const text = JSON.stringify({ ...ENVELOPE, data: null, auth: {
      client_token: 'hvs.QWERTYUIOPASDFGHJKLZXCVB', accessor: 'Lm8nB2vC5xZ1aS4dF7gH0jKq',
      policies: ['default'], token_policies: ['default'], metadata: { role_name: 'ci' },
      lease_duration: 1200, renewable: true, entity_id: '', token_type: 'service',
      orphan: true } });
    const p = await parseText(vaultResponses, 'login.json', text, { scope: 'vault:eu' });
    expect(p.rejections).toMatchObject([{ field: 'auth.client_token', code: 'SECRET_REFUSED' }]);
    expect(JSON.stringify(p)).not.toContain('QWERTYUIOP');
    const [token] = p.observations;
    expect(token!.keys).toEqual([
      { type: 'key-id', value: 'vault-token:Lm8nB2vC5xZ1aS4dF7gH0jKq' }]);
    expect(token!.attributes).toMatchObject({ 'vault.ttl': 1200, 'vault.tokenType': 'service' });
    expect(token!.relations).toEqual([{ type: 'belongs-to',
      target: { type: 'external-id', value: 'vault-approle:vault:eu/token/ci' } }]);
  });

  it('reads a secret-id with 0001-01-01 as no expiry, refusing a generated secret_id', async () => {
    const text = JSON.stringify({ ...ENVELOPE, data: {
      secret_id: '9d8c7b6a-5f4e-4d3c-b2a1-0f9e8d7c6b5a',
      secret_id_accessor: '1a2b3c4d-0000-4111-8222-933344445555',
      creation_time: '2026-03-01T10:00:00.123456789Z', expiration_time: '0001-01-01T00:00:00Z',
      last_updated_time: '2026-03-02T10:00:00Z', metadata: { role_name: 'ci' },
      secret_id_num_uses: 0, secret_id_ttl: 0, cidr_list: [] } });
    const p = await parseText(vaultResponses, 'sid.json', text, { scope: 'vault:eu' });
    expect(p.rejections).toMatchObject([{ field: 'data.secret_id', code: 'SECRET_REFUSED' }]);
    expect(JSON.stringify(p)).not.toContain('9d8c7b6a');
    const [sid] = p.observations;
    expect(sid!.keys).toEqual([{ type: 'key-id',
      value: 'vault-secret-id:1a2b3c4d-0000-4111-8222-933344445555' }]);
    expect(sid!.attributes).toMatchObject({ class: 'vault-approle-secret-id', neverExpires: true,
      createdAt: '2026-03-01T10:00:00.123Z', updatedAt: '2026-03-02T10:00:00.000Z' });
    expect(sid!.attributes.expiresAt).toBeUndefined();
    expect(sid!.relations).toEqual([{ type: 'belongs-to',
      target: { type: 'external-id', value: 'vault-approle:vault:eu/approle/ci' } }]);
  });

  it('reads a lease and a lease list onto the same key, skipping prefixes', async () => {
    const read = await parseText(vaultResponses, 'lease.json', JSON.stringify({ data: {
      id: 'aws/creds/deploy/abcDEF123ghiJKL456mnoPQR', issue_time: '2026-12-01T10:00:00Z',
      expire_time: '2026-12-01T11:00:00Z', last_renewal: null, path: 'aws/creds/deploy',
      renewable: true, ttl: 600 } }));
    expect(read.observations[0]!.keys).toEqual([{ type: 'key-id',
      value: 'vault-lease:abcDEF123ghiJKL456mnoPQR' }]);
    expect(read.observations[0]!.attributes).toMatchObject({ credentialType: 'vault-lease',
      'vault.leaseId': 'aws/creds/deploy/abcDEF123ghiJKL456mnoPQR',
      expiresAt: '2026-12-01T11:00:00.000Z' });
    expect(read.meta.asOf).toBe('2026-12-01T10:50:00.000Z');
    const list = await parseText(vaultLeases, 'x.json',
      JSON.stringify({ data: { keys: ['abcDEF123ghiJKL456mnoPQR', 'nested/'] } }));
    expect(list.observations.map((o) => o.keys)).toEqual([read.observations[0]!.keys]);
    expect(list.warnings).toMatchObject([{ code: 'LEASE_PREFIXES', field: 'data.keys' }]);
    expect(list.meta.complete).toBe(false);
  });

  it('reads accessor lists as complete, roles as identities, refuses tokens', async () => {
    const list = (keys: unknown[]) => JSON.stringify({ ...ENVELOPE, data: { keys } });
    const acc = await parseText(vaultTokenAccessors, 'a.json',
      list(['Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8', 'hvs.ZXCVBNMASDFGHJKLQWERTYU']), { scope: 'vault:eu' });
    expect(acc.observations.map((o) => o.keys[0]!.value)).toEqual([
      'vault-token:Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8']);
    expect(acc.rejections).toMatchObject([{ field: 'data.keys[1]', code: 'SECRET_REFUSED' }]);
    expect(acc.meta).toMatchObject({ complete: true, scopes: ['vault:eu'] });
    const roles = await parseText(vaultApproleRoles, 'r.json', list(['ci']), { scope: 'vault:eu' });
    expect(roles.observations[0]).toMatchObject({ kind: 'identity',
      keys: [{ type: 'external-id', value: 'vault-approle:vault:eu/approle/ci' }],
      attributes: { identityType: 'service', 'vault.roleName': 'ci' } });
    const sids = await parseText(vaultSecretIdAccessors, 's.json', list(['6f7e8d9c-1111']));
    expect(sids.observations[0]!.keys).toEqual([{ type: 'key-id',
      value: 'vault-secret-id:6f7e8d9c-1111' }]);
    expect(sids.meta.complete).toBe(false);
  });

  it('streams list entries one by one and refuses a response that is not a list', async () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `acc-${String(i).padStart(5, '0')}`);
    const big = await parseText(vaultTokenAccessors, 'big.json',
      JSON.stringify({ ...ENVELOPE, data: { keys } }));
    expect(big.observations).toHaveLength(3000);
    expect(big.observations[2999]).toMatchObject({ item: 3000,
      keys: [{ type: 'key-id', value: 'vault-token:acc-02999' }] });
    const wrong = await parseText(vaultTokenAccessors, 'lookup.json', lookup(TOKEN));
    expect(wrong.observations).toEqual([]);
    expect(wrong.rejections).toMatchObject([{ code: 'NOT_A_LIST' }]);
    expect(JSON.stringify(wrong)).not.toContain('hvs.CAESIJ1');
  });
});

describe('vault detection', () => {
  const list = JSON.stringify({ ...ENVELOPE, data: { keys: ['a'] } });
  it('tells response shapes by content and list kinds by file name', () => {
    expect(detect('x.json', lookup(TOKEN))).toBe('vault');
    expect(detect('renew.json', JSON.stringify({ auth: { client_token: 'x', policies: [] } })))
      .toBe('vault');
    expect(detect('auth-token-accessors.json', list)).toBe('vault-token-accessors');
    expect(detect('approle-ci-secret-id-accessors.json', list)).toBe('vault-secret-id-accessors');
    expect(detect('sys-leases-lookup-aws.json', list)).toBe('vault-leases');
    expect(detect('approle-roles.json', list)).toBe('vault-approle-roles');
    expect(detect('keys.json', list)).toBe('vault');
  });

  it('says what to pass for a list whose file name does not say what it lists', async () => {
    const p = await parseText(vaultResponses, 'keys.json', list);
    expect(p.observations).toEqual([]);
    expect(p.warnings).toMatchObject([{ code: 'UNNAMED_LIST', field: 'data.keys' }]);
  });
});
