import { describe, expect, it } from 'vitest';
import { record } from '../../test/helpers/records.js';
import { attestationDue, needsAttestation } from './attestation.js';
import { DEFAULT_ATTESTATION_DAYS } from './config.js';

const host = (attributes: Record<string, string>, extra: Parameters<typeof record>[4] = []) =>
  record('ast_1', 'asset', [{ type: 'cmdb-sys-id', value: 'x' }],
    { name: 'db-1', admission: 'approved', lifecycle: 'in-service', owner: 'Maria Okafor',
      criticality: 'critical', ...attributes },
    [{ source: 'cmdb', systemOfRecord: true, asOf: '2026-11-30T00:00:00.000Z' }, ...extra]);

describe('owner attestation', () => {
  it('is due a number of days after first sight that depends on criticality', () => {
    const due = attestationDue(host({}), DEFAULT_ATTESTATION_DAYS, 14, '2027-02-14T00:00:00.000Z')!;
    expect(due).toMatchObject({ basis: 'first-seen', since: '2026-11-30T00:00:00.000Z',
      intervalDays: 90, dueAt: '2027-02-28T00:00:00.000Z', status: 'due', owner: 'Maria Okafor' });
    const low = attestationDue(host({ criticality: 'low' }), DEFAULT_ATTESTATION_DAYS, 14,
      '2027-02-14T00:00:00.000Z')!;
    expect([low.intervalDays, low.status]).toEqual([365, 'ok']);
    expect(attestationDue(host({}), DEFAULT_ATTESTATION_DAYS, 14, '2027-03-01T00:00:00.000Z')!
      .status).toBe('overdue');
  });

  it('restarts the clock at the last attestation recorded by Roster', () => {
    const attested = host({}, [{ source: 'roster', format: 'roster-attestation',
      systemOfRecord: true, attributes: { attestedAt: '2027-02-20T00:00:00.000Z',
        'roster.attestedBy': 'maria' } }]);
    const due = attestationDue(attested, DEFAULT_ATTESTATION_DAYS, 14, '2027-03-01T00:00:00.000Z')!;
    expect(due).toMatchObject({ basis: 'attested', attestedBy: 'maria', status: 'ok',
      dueAt: '2027-05-21T00:00:00.000Z' });
  });

  it('counts from an admission through Roster when there is one', () => {
    const admitted = host({}, [{ source: 'roster', format: 'roster-admission', systemOfRecord: true,
      attributes: { 'roster.admittedAt': '2027-01-10T00:00:00.000Z' } }]);
    expect(attestationDue(admitted, { default: 30 }, 0, '2027-01-20T00:00:00.000Z'))
      .toMatchObject({ basis: 'admitted', intervalDays: 30, dueAt: '2027-02-09T00:00:00.000Z' });
  });

  it('asks nothing of unowned, unadmitted or retiring things', () => {
    expect(needsAttestation(host({}))).toBe(true);
    expect(needsAttestation(host({ owner: '' }))).toBe(false);
    expect(needsAttestation(host({ admission: 'unknown' }))).toBe(false);
    expect(needsAttestation(host({ lifecycle: 'decommissioning' }))).toBe(false);
  });
});
