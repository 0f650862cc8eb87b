import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_JUDGE_CONFIG, judgeConfigSchema } from '../src/judge/config.js';
import type { Finding } from '../src/judge/finding.js';
import { judgeStore } from '../src/judge/judge-store.js';
import { severityFor } from '../src/judge/severity.js';
import { fixedClock } from '../src/model/time.js';
import type { Observation } from '../src/model/types.js';
import { ingest } from '../src/reconcile/ingest.js';
import { DEFAULT_PRECEDENCE } from '../src/reconcile/rules.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { fakeFormat, fakeInput } from './helpers/fake-format.js';

const NOW = '2026-12-01T00:00:00.000Z';
const sor = fakeFormat('fake-sor', 'cmdb', true);
const cloud = fakeFormat('fake-cloud', 'aws', false);
const certs = fakeFormat('x509', 'x509', false);
const spire = fakeFormat('spire-entries', 'spire', false);

let store: SqliteStore;
beforeEach(async () => {
  store = new SqliteStore({ path: ':memory:' });
  await store.migrate();
});
afterEach(() => store.close());

async function load(format: ReturnType<typeof fakeFormat>, observations: Observation[]) {
  await ingest(store, format, fakeInput({ meta: { asOf: '2026-11-30T00:00:00Z' }, observations }), {
    rules: DEFAULT_PRECEDENCE,
    clock: fixedClock(NOW),
  });
}

async function judged(config = DEFAULT_JUDGE_CONFIG): Promise<Finding[]> {
  return judgeStore(store, config, NOW);
}

const kindsOf = (fs: Finding[], subject: string) =>
  fs.filter((f) => f.subject.name === subject).map((f) => f.kind).sort();

const host = (id: string, attributes: Observation['attributes']): Observation => ({
  kind: 'asset', sourceId: id, scope: 's', keys: [{ type: 'aws-instance-id', value: id }], attributes,
});
const role = (name: string, hosts: string[]): Observation => ({
  kind: 'identity', sourceId: name, scope: 's', keys: [{ type: 'aws-arn', value: `arn:aws:iam::1:role/${name}` }],
  attributes: { name, identityType: 'role' },
  relations: hosts.map((h) => ({ type: 'runs-on' as const, target: { type: 'aws-instance-id' as const, value: h } })),
});
const key = (name: string, user: string, attributes: Observation['attributes']): Observation => ({
  kind: 'credential', sourceId: name, scope: 's', keys: [{ type: 'key-id', value: name }],
  attributes: { name, credentialType: 'access-key', active: true, ...attributes },
  relations: [{ type: 'belongs-to', target: { type: 'aws-arn', value: `arn:aws:iam::1:user/${user}` } }],
});
const user = (name: string, attributes: Observation['attributes']): Observation => ({
  kind: 'identity', sourceId: name, scope: 's', keys: [{ type: 'aws-arn', value: `arn:aws:iam::1:user/${name}` }],
  attributes: { name, ...attributes },
});

describe('judge', () => {
  it('finds one role reused by two applications, not by two instances of one', async () => {
    await load(cloud, [
      host('i-00000001', { name: 'web-a', application: 'shop', environment: 'production' }),
      host('i-00000002', { name: 'web-b', application: 'shop', environment: 'production' }),
      host('i-00000003', { name: 'etl-1', application: 'reporting', environment: 'production' }),
      role('shop-role', ['i-00000001', 'i-00000002']),
      role('shared-role', ['i-00000002', 'i-00000003']),
    ]);
    const fs = await judged();
    expect(kindsOf(fs, 'shop-role')).not.toContain('nhi-reuse');
    const reuse = fs.find((f) => f.kind === 'nhi-reuse')!;
    expect(reuse.subject.name).toBe('shared-role');
    expect(reuse.references).toEqual(['OWASP-NHI9:2025']);
  });

  it('finds an identity used in production and staging (NHI8)', async () => {
    await load(cloud, [
      host('i-00000001', { name: 'prod-1', environment: 'production' }),
      host('i-00000002', { name: 'stage-1', environment: 'staging' }),
      role('deployer', ['i-00000001', 'i-00000002']),
    ]);
    const crossing = (await judged()).filter((f) => f.kind === 'environment-crossing');
    expect(crossing.map((f) => f.subject.name)).toEqual(['deployer']);
    expect(crossing[0]!.message).toContain('staging');
  });

  it('gives new keys a grace period before calling them unused', async () => {
    await load(sor, [user('svc-a', { identityType: 'service' }), user('svc-b', { identityType: 'service' })]);
    await load(cloud, [
      key('new-key', 'svc-a', { createdAt: '2026-11-28T00:00:00.000Z', usageTracked: true }),
      key('old-key', 'svc-b', { createdAt: '2026-11-01T00:00:00.000Z', usageTracked: true }),
    ]);
    const fs = await judged();
    expect(kindsOf(fs, 'new-key')).not.toContain('unused-credential');
    expect(kindsOf(fs, 'old-key')).toContain('unused-credential');
  });

  it('calls a key never used only when its source reports use', async () => {
    await load(sor, [user('svc-a', { identityType: 'service' })]);
    // A listing that says nothing of use (as aws iam list-access-keys) is no evidence.
    await load(cloud, [key('listed-key', 'svc-a', { createdAt: '2026-01-01T00:00:00.000Z' })]);
    expect(kindsOf(await judged(), 'listed-key')).not.toContain('unused-credential');
  });

  it('names the retired or vanished machines behind an orphaned credential', async () => {
    const runsOn = (...ids: string[]) => ids.map((value) =>
      ({ type: 'runs-on' as const, target: { type: 'aws-instance-id' as const, value } }));
    await load(sor, [
      { ...user('svc-r', { identityType: 'service', owner: 'Ops', admission: 'approved' }),
        relations: runsOn('i-00000007', 'i-00000008') },
      host('i-00000007', { name: 'old-batch', lifecycle: 'retired' }),
    ]);
    await load(cloud, [key('r-key', 'svc-r', {})]);
    const orphan = (await judged()).find((f) => f.kind === 'orphaned-credential')!;
    expect(orphan.message).toBe(
      'r-key is active but every asset its identity svc-r runs on is retired or gone');
    const machines = orphan.evidence.filter((e) => !['active', 'belongs-to'].includes(e.field));
    const ids = new Set(machines.map((e) => e.recordId));
    expect(ids.size).toBe(1);
    const cited = machines.map(({ source, field, value, asOf }) =>
      ({ source, field, value, asOf }));
    expect(cited).toEqual([
      { source: 'roster', field: 'runs-on', value: 'old-batch', asOf: undefined },
      { source: 'cmdb', field: 'lifecycle', value: 'retired', asOf: '2026-11-30T00:00:00.000Z' },
    ]);
  });

  it('reads its thresholds from the configuration', async () => {
    await load(sor, [user('svc-a', { identityType: 'service' })]);
    await load(cloud, [key('k', 'svc-a', { createdAt: '2026-10-01T00:00:00.000Z', lastUsedAt: NOW })]);
    expect(kindsOf(await judged(), 'k')).not.toContain('unrotated-credential');
    const strict = judgeConfigSchema.parse({ rotationDays: 30 });
    expect(kindsOf(await judged(strict), 'k')).toContain('unrotated-credential');
  });

  it('does not take a rotation time after the judging instant for a fresh rotation', async () => {
    await load(sor, [user('svc-f', { identityType: 'service' })]);
    await load(cloud, [
      key('future-key', 'svc-f', { createdAt: '2099-02-03T00:00:00.000Z', lastUsedAt: NOW }),
      key('fresh-key', 'svc-f', { createdAt: '2026-11-20T00:00:00.000Z', lastUsedAt: NOW }),
    ]);
    const all = await judged();
    expect(kindsOf(all, 'fresh-key')).not.toContain('unrotated-credential');
    const f = all.find((x) => x.kind === 'unrotated-credential' && x.subject.name === 'future-key');
    expect(f?.message).toBe('future-key was last rotated at 2099-02-03T00:00:00.000Z by its ' +
      `source, after the judging time ${NOW}: an impossible time, so how long it has gone ` +
      'unrotated is unknown');
    expect(f?.evidence.map((e) => e.field)).toEqual(['createdAt']);
  });

  it('does not call an inactive key orphaned, unused or unrotated', async () => {
    await load(cloud, [user('ghost', { identityType: 'service' }), key('k', 'ghost', { active: false, createdAt: '2020-01-01T00:00:00.000Z' })]);
    expect(kindsOf(await judged(), 'k')).toEqual([]);
  });

  it('judges certificates: expired, expiring, weak, self-signed, long-lived', async () => {
    const cert = (name: string, attributes: Observation['attributes']): Observation => ({
      kind: 'credential', sourceId: name, scope: 'x509:f', keys: [{ type: 'x509-sha256', value: name.padEnd(64, '0') }],
      attributes: { name, credentialType: 'x509-certificate', class: 'x509-certificate', isCa: false, selfSigned: false, ...attributes },
    });
    await load(certs, [
      cert('expired', { notBefore: '2025-01-01T00:00:00.000Z', expiresAt: '2026-01-01T00:00:00.000Z' }),
      cert('soon', { notBefore: '2026-06-01T00:00:00.000Z', expiresAt: '2026-12-10T00:00:00.000Z' }),
      cert('sha1', { signatureAlgorithm: 'sha1WithRSAEncryption', keyType: 'rsa', keySize: 2048, expiresAt: '2027-01-01T00:00:00.000Z' }),
      cert('short', { keyType: 'rsa', keySize: 1024, expiresAt: '2027-01-01T00:00:00.000Z' }),
      cert('selfie', { selfSigned: true, expiresAt: '2027-01-01T00:00:00.000Z' }),
      cert('root', { selfSigned: true, isCa: true, signatureAlgorithm: 'sha1WithRSAEncryption', expiresAt: '2030-01-01T00:00:00.000Z' }),
      cert('forever', { notBefore: '2020-01-01T00:00:00.000Z', expiresAt: '9999-12-31T23:59:59.000Z', 'x509.neverExpires': true }),
      cert('ten-years', { notBefore: '2020-01-01T00:00:00.000Z', expiresAt: '2030-01-01T00:00:00.000Z' }),
    ]);
    const fs = await judged();
    expect(kindsOf(fs, 'expired')).toEqual(['expired-credential']);
    expect(kindsOf(fs, 'soon')).toEqual(['expiring-credential']);
    expect(kindsOf(fs, 'sha1')).toEqual(['weak-credential']);
    expect(kindsOf(fs, 'short')).toEqual(['weak-credential']);
    expect(kindsOf(fs, 'selfie')).toEqual(['self-signed-outside-trust']);
    expect(kindsOf(fs, 'root')).toEqual([]);
    expect(kindsOf(fs, 'forever')).toEqual(['long-lived-credential']);
    expect(kindsOf(fs, 'ten-years')).toEqual(['long-lived-credential']);
  });

  it('calls a SPIRE entry no system of record admitted an unregistered workload', async () => {
    await load(spire, [{
      kind: 'identity', sourceId: 'e1', scope: 'spire:td', keys: [{ type: 'spiffe-id', value: 'spiffe://td/ns/shop/sa/cart' }],
      attributes: { name: 'spiffe://td/ns/shop/sa/cart', identityType: 'workload' },
    }]);
    const fs = await judged();
    expect(fs.map((f) => f.kind)).toEqual(['unregistered-workload']);
  });

  it('raises severity with criticality and production, never past critical', () => {
    expect(severityFor('stale-asset', null, null)).toBe('low');
    expect(severityFor('stale-asset', 'high', null)).toBe('medium');
    expect(severityFor('stale-asset', 'critical', 'production')).toBe('critical');
    expect(severityFor('unowned-asset', 'low', 'staging')).toBe('medium');
    expect(severityFor('root-access-key', 'critical', 'production')).toBe('critical');
  });

  it('gives a key the criticality of the machine its identity runs on', async () => {
    await load(sor, [
      host('i-00000009', { name: 'vault-1', criticality: 'critical', environment: 'production', admission: 'approved' }),
      { ...user('svc-vault', { identityType: 'service', owner: 'Ops' }), relations: [{ type: 'runs-on', target: { type: 'aws-instance-id', value: 'i-00000009' } }] },
    ]);
    await load(cloud, [key('vault-key', 'svc-vault', { createdAt: '2025-01-01T00:00:00.000Z', lastUsedAt: NOW })]);
    const unrotated = (await judged()).find((f) => f.kind === 'unrotated-credential')!;
    expect(unrotated.severity).toBe('critical');
  });

  it('raises attestation-overdue from its base of medium like every kind', async () => {
    const owned = { owner: 'Ops', admission: 'approved' };
    await load(sor, [
      host('i-00000011', { name: 'bk', criticality: 'high', environment: 'production', ...owned }),
      host('i-00000012', { name: 'pr', criticality: 'low', environment: 'production', ...owned }),
      host('i-00000013', { name: 'st', criticality: 'medium', environment: 'staging', ...owned }),
      host('i-00000014', { name: 'cr', criticality: 'critical', environment: 'staging', ...owned }),
    ]);
    // A year past the first sighting: every interval (90 to 365 days) has run out.
    const fs = await judgeStore(store, DEFAULT_JUDGE_CONFIG, '2027-12-10T00:00:00.000Z');
    const severity = Object.fromEntries(fs.filter((f) => f.kind === 'attestation-overdue')
      .map((f) => [f.subject.name, f.severity]));
    // medium, +1 for high, +1 in production; +0 for low; +2 for critical (docs/findings.md).
    expect(severity).toEqual({ bk: 'critical', pr: 'high', st: 'medium', cr: 'critical' });
  });
});
