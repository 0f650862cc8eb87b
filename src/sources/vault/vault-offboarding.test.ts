import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OffboardingPlan } from '../../lifecycle/plan-types.js';
import { cli, ESTATE } from '../../../test/lifecycle/estate.js';

const VAULT = join(process.cwd(), 'examples', 'vault');
const TOKEN = 'Xq3nV8tL2rWm9KpB4cYd7HsJ';
const SECRET_ID = '3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7';

describe('offboarding a host with Vault credentials bound to it', () => {
  it('plans revocation by accessor and confirms it when the accessor list drops it', async () => {
    const c = cli();
    const estate = ['cmdb-servers.csv', 'aws-ec2-instances-2026-11-30.json'].map((f) =>
      join(ESTATE, f));
    expect((await c.run('ingest', ...estate, '--as-of', '2026-11-30T06:00:00Z', '-q')).code)
      .toBe(0);
    const vault = await c.run('ingest', join(VAULT, 'estate'), '--scope', 'vault:prod-eu',
      '--as-of', '2026-12-03T05:00:00Z', '-q');
    expect(vault.code).toBe(0);
    const retire = await c.run('retire', 'i-0c3d4e5f607182930', '--reason', 'replaced',
      '--now', '2026-12-03T06:00:00Z');
    expect(retire.code).toBe(0);
    const [plan] = await c.json<OffboardingPlan[]>('offboarding');
    expect(plan!.subject.name).toBe('backup-01');
    const byType = new Map(plan!.actions.map((a) => [a.type, a] as const));
    const token = byType.get('vault-lease.revoke-by-accessor')!;
    expect(token.target.details).toMatchObject({ accessor: TOKEN, vaultScope: 'vault:prod-eu' });
    expect(token.reason).toBe('credential of aws-ec2-backup, which acts only from backup-01');
    const sid = byType.get('vault-secret-id.destroy-by-accessor')!;
    expect(sid.target.details).toMatchObject({ accessor: SECRET_ID });
    expect(sid.reason).toContain('names backup-01');
    expect(plan!.actions.map((a) => a.state)).toEqual(['planned', 'planned', 'planned']);

    // A later complete accessor list without the token confirms its revocation only.
    const later = await c.run('ingest', join(VAULT, 'later', 'token-accessors.json'), '--scope',
      'vault:prod-eu', '--as-of', '2026-12-04T00:00:00Z', '--now', '2026-12-04T00:05:00Z', '-q');
    expect(later.code).toBe(0);
    const [after] = await c.json<OffboardingPlan[]>('offboarding');
    const confirmed = after!.actions.find((a) => a.id === token.id)!;
    expect(confirmed.state).toBe('confirmed');
    expect(confirmed.confirmation).toMatchObject({ source: 'vault',
      format: 'vault-token-accessors', asOf: '2026-12-04T00:00:00.000Z', value: 'missing' });
    expect(after!.actions.find((a) => a.id === sid.id)!.state).toBe('planned');
  });
});
