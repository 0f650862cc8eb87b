import { describe, expect, it } from 'vitest';
import { record } from '../../test/helpers/records.js';
import { credentialActionType, targetOf } from './actions.js';
import { confirmationOf } from './confirm.js';

const SINCE = '2026-12-02T07:00:00.000Z';
const vault = (cls: string, attributes: Record<string, string>, seen = [{ source: 'vault' }]) =>
  record('crd_v', 'credential', [{ type: 'key-id', value: `${cls}:x` }],
    { class: cls, ...attributes }, seen);

describe('Vault revocation actions', () => {
  it('revokes tokens and destroys secret-ids by accessor, and leases by lease id', () => {
    const token = vault('vault-token', { credentialType: 'token', 'vault.accessor': 'acc-1' });
    expect(credentialActionType(token)).toBe('vault-lease.revoke-by-accessor');
    expect(targetOf(token).details).toMatchObject({ accessor: 'acc-1', vaultScope: 'test' });
    const entity = record('idn_e', 'identity', [], { class: 'vault-entity',
      'vault.entityId': 'e-1' }, [{ source: 'vault' }]);
    expect(targetOf(entity).details).toMatchObject({ entityId: 'e-1', vaultScope: 'test' });
    const sid = vault('vault-approle-secret-id',
      { credentialType: 'secret-id', 'vault.accessor': 'sid-1' });
    const role = record('idn_r', 'identity', [], { name: 'approle ci', 'vault.roleName': 'ci' });
    expect(credentialActionType(sid)).toBe('vault-secret-id.destroy-by-accessor');
    expect(targetOf(sid, role).details).toMatchObject({ accessor: 'sid-1', approleRole: 'ci' });
    const lease = vault('vault-lease',
      { credentialType: 'vault-lease', 'vault.leaseId': 'database/creds/app/L1' });
    expect(credentialActionType(lease)).toBe('vault-lease.revoke');
    const details = targetOf(lease).details;
    expect(details).toMatchObject({ leaseId: 'database/creds/app/L1' });
    expect(details.accessor).toBeUndefined();
  });
});

describe('confirmation by a newer complete listing', () => {
  const lookup = { source: 'vault', format: 'vault', asOf: '2026-12-01T00:00:00.000Z' };
  const listed = (asOf: string, status: 'present' | 'missing') => ({ source: 'vault',
    format: 'vault-token-accessors', asOf, status, runId: 'run_list',
    ...(status === 'missing' ? { missingSince: asOf } : {}) });

  it('confirms when the listing that dropped it is newer than every present sighting', () => {
    const r = vault('vault-token', { credentialType: 'token' },
      [lookup, listed('2026-12-03T00:00:00.000Z', 'missing')]);
    expect(confirmationOf(r, SINCE)).toMatchObject({ format: 'vault-token-accessors',
      asOf: '2026-12-03T00:00:00.000Z', field: 'sighting', value: 'missing' });
  });

  it('does not confirm when another source saw it after the listing dropped it', () => {
    const seenLater = { source: 'vault', format: 'vault', asOf: '2026-12-04T00:00:00.000Z' };
    const r = vault('vault-token', { credentialType: 'token' },
      [seenLater, listed('2026-12-03T00:00:00.000Z', 'missing')]);
    expect(confirmationOf(r, SINCE)).toBeUndefined();
  });

  it('does not confirm a drop from before the plan started', () => {
    const r = vault('vault-token', { credentialType: 'token' },
      [listed('2026-12-01T12:00:00.000Z', 'missing')]);
    expect(confirmationOf(r, SINCE)).toBeUndefined();
  });
});
