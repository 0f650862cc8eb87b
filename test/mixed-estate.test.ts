import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roster, type CliResult } from './helpers/cli.js';

/**
 * Issue #4, "Done when": a mixed estate (CMDB + AWS + Kubernetes + SPIRE + certificates)
 * reconciles so that a workload's record shows its pod, service account, SPIFFE ID,
 * certificate and owner together. The exports are examples/mixed-estate, ingested through the
 * CLI as a user would, in two orders: the merged records must not depend on the order.
 */
const ESTATE = join(process.cwd(), 'examples', 'mixed-estate');
const PAYMENTS = 'spiffe://halvard.example/ns/payments/sa/payments-api';
const NOW = '2026-12-01T08:00:00Z';

/** Each export with the flags a user gives it (none of these formats says when it was made). */
const INGESTS: readonly string[][] = [
  ['cmdb-servers.csv', '--as-of', '2026-12-01T07:00:00Z', '--timezone', 'Europe/Stockholm'],
  ['aws-ec2-instances.json', '--as-of', '2026-12-01T06:00:00Z'],
  ['k8s-prod-eu.json', '--scope', 'k8s:prod-eu', '--as-of', '2026-12-01T06:00:00Z'],
  ['spire-entries.json', '--scope', 'k8s:prod-eu', '--as-of', '2026-12-01T06:00:00Z'],
  ['spire-agents.json', '--as-of', '2026-12-01T06:00:00Z'],
  ['spire-bundle.json', '--as-of', '2026-12-01T06:00:00Z'],
  ['payments-api-svid.pem', '--as-of', '2026-12-01T06:00:00Z'],
  ['legacy-reports.pem', '--as-of', '2026-12-01T06:00:00Z'],
];

interface Relation {
  readonly type: string;
  readonly direction: 'in' | 'out';
  readonly otherId: string;
  readonly otherName: string;
  readonly source: string;
}
interface Shown {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly keys: { type: string; value: string }[];
  readonly admission: string;
  readonly owner: string | null;
  readonly environment: string | null;
  readonly attributes: Record<string, { value: unknown; source: string }>;
  readonly relations: Relation[];
  readonly findings: { kind: string }[];
}
interface Finding {
  readonly kind: string;
  readonly subject: { name: string };
  readonly references: string[];
  readonly message: string;
}

class Estate {
  readonly dir = mkdtempSync(join(tmpdir(), 'roster-mixed-'));
  readonly db = join(this.dir, 'roster.db');

  roster(...args: string[]): Promise<CliResult> {
    return roster('--db', this.db, ...args);
  }

  async load(order: readonly string[][]): Promise<void> {
    for (const [file, ...flags] of order) {
      const r = await this.roster('ingest', join(ESTATE, file!), ...flags, '--now', NOW, '-q');
      expect(r.code, `${file}: ${r.err}`).toBe(0);
    }
  }

  async show(key: string): Promise<Shown> {
    const r = await this.roster('show', key, '-o', 'json');
    expect(r.code, r.err).toBe(0);
    const shown = JSON.parse(r.out) as Shown[];
    expect(shown, `one record for ${key}`).toHaveLength(1);
    return shown[0]!;
  }

  async findings(): Promise<Finding[]> {
    const r = await this.roster('findings', '-o', 'json');
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out) as Finding[];
  }
}

const related = (r: Shown) => r.relations.map((x) => `${x.direction} ${x.type} ${x.otherName}`);
const keysOf = (r: Shown) => r.keys.map((k) => `${k.type}:${k.value}`);

const forward = new Estate();
const backward = new Estate();

beforeAll(async () => {
  await forward.load(INGESTS);
  await backward.load([...INGESTS].reverse());
});

afterAll(() => {
  for (const e of [forward, backward]) rmSync(e.dir, { recursive: true, force: true });
});

describe('a mixed estate: CMDB, EC2, Kubernetes, SPIRE and certificates', () => {
  it('shows the workload: pod, service account, SPIFFE ID, certificate, owner', async () => {
    const w = await forward.show(PAYMENTS);
    expect(w.kind).toBe('identity');
    expect(keysOf(w)).toEqual(expect.arrayContaining([
      `spiffe-id:${PAYMENTS}`,
      'k8s-ref:prod-eu/payments/ServiceAccount/payments-api',
      'k8s-uid:a1b2c3d4-0001-4000-8000-00000000a001',
      'key-id:spire-entry:3f9a1c2e-7b4d-4e6f-8a0b-1c2d3e4f5a61',
      'cmdb-sys-id:6b8d0f2a4c6e4b7d9f1b3d5f7b9d1f32',
    ]));
    expect(w).toMatchObject({ admission: 'approved', owner: 'Maria Okafor' });
    expect(w.environment).toBe('production');
    expect(w.attributes['owner']).toMatchObject({ value: 'Maria Okafor', source: 'cmdb' });
    expect(w.attributes['selectors']?.value).toEqual(['k8s:ns:payments', 'k8s:sa:payments-api']);
    expect(w.attributes['k8s.awsRoleArn']?.value)
      .toBe('arn:aws:iam::048211339100:role/payments-api');
    expect(related(w)).toEqual(expect.arrayContaining([
      'out runs-on asset:payments-api-6f7d8c9b5-x2k4q',
      'in names credential:payments-api',
      'out owned-by owner:Maria Okafor',
    ]));
    expect(w.findings).toEqual([]);
  });

  it('places the pod on the node that the CMDB, EC2 and Kubernetes all describe', async () => {
    const pod = await forward.show('prod-eu/payments/Pod/payments-api-6f7d8c9b5-x2k4q');
    expect(pod.attributes['k8s.serviceAccount']?.value).toBe('payments-api');
    expect(pod.attributes['ip']?.value).toBe('10.30.1.57');
    expect(related(pod)).toContain('out hosted-on asset:eks-prod-eu-node-1');
    const node = await forward.show('i-0e1f2a3b4c5d6e7f8');
    expect(keysOf(node)).toEqual(expect.arrayContaining([
      'aws-instance-id:i-0e1f2a3b4c5d6e7f8',
      'cmdb-sys-id:5a7c9e1b3d5f4a6c8e0a2c4e6a8c0e21',
      'k8s-ref:prod-eu//Node/ip-10-30-1-20.eu-central-1.compute.internal',
      'hardware-uuid:ec2e1f2a-3b4c-5d6e-7f8a-9b0c1d2e3f4a',
    ]));
    expect(node).toMatchObject({ admission: 'approved', owner: 'Jonas Berg' });
    const agent = 'asset:spiffe://halvard.example/spire/agent/aws_iid/048211339100/eu-central-1/' +
      'i-0e1f2a3b4c5d6e7f8';
    expect(related(node)).toEqual(expect.arrayContaining([
      'in hosted-on asset:payments-api-6f7d8c9b5-x2k4q',
      `in hosted-on ${agent}`,
    ]));
  });

  it('keys the SVID by fingerprint; it names the workload and links to its CA', async () => {
    const w = await forward.show(PAYMENTS);
    const svid = await forward.show(w.relations.find((x) => x.type === 'names')!.otherId);
    expect(svid.attributes['spiffeId']?.value).toBe(PAYMENTS);
    expect(svid.attributes['expiresAt']?.value).toBe('2026-12-30T00:00:00.000Z');
    expect(svid.attributes['keyType']?.value).toBe('ec');
    expect(svid.attributes['keyCurve']?.value).toBe('P-256');
    expect(keysOf(svid)[0]).toMatch(/^x509-sha256:[0-9a-f]{64}$/);
    expect(related(svid)).toContain('out issued-by credential:Halvard Workload CA');
  });

  it('reconciles to the same records whatever the order of the exports', async () => {
    const keys = [PAYMENTS, 'i-0e1f2a3b4c5d6e7f8', 'prod-eu/jobs/ServiceAccount/batch-runner'];
    for (const key of keys) {
      const [a, b] = [await forward.show(key), await backward.show(key)];
      expect(keysOf(b).sort()).toEqual(keysOf(a).sort());
      expect(related(b).sort()).toEqual(related(a).sort());
      expect([b.admission, b.owner, b.environment]).toEqual([a.admission, a.owner, a.environment]);
    }
    const kinds = async (e: Estate) =>
      (await e.findings()).map((f) => `${f.kind} ${f.subject.name}`);
    expect((await kinds(backward)).sort()).toEqual((await kinds(forward)).sort());
  });

  it('raises the cross-source findings, each with its OWASP NHI reference', async () => {
    const all = await forward.findings();
    const one = (kind: string, name: string) => {
      const hits = all.filter((f) => f.kind === kind && f.subject.name === name);
      expect(hits, `${kind} on ${name}`).toHaveLength(1);
      return hits[0]!;
    };
    expect(one('nhi-reuse', 'batch-runner')).toMatchObject({
      references: ['OWASP-NHI9:2025'],
      message: 'batch-runner is used by 2 different workloads or applications ' +
        '(invoice-export-5f6d7c8b9-k2m4n, ledger-sync-7a8b9c0d1-p5q6r)',
    });
    expect(one('environment-crossing', 'reporting').references).toEqual(['OWASP-NHI8:2025']);
    expect(one('environment-crossing', 'reporting').message).toContain('production and in staging');
    expect(one('unregistered-workload', 'reporting').message)
      .toBe('reporting runs (seen by k8s, spire-entries) but no system of record admitted it');
    expect(one('unregistered-workload', 'debug-shell').message).toContain('seen by k8s');
    expect(one('long-lived-credential', 'reports.halvard.example')).toMatchObject({
      references: ['OWASP-NHI7:2025'],
      message: 'reports.halvard.example lives 3653 days (limit 397)',
    });
    expect(one('weak-credential', 'reports.halvard.example').message).toContain('1024 bits');
    expect(one('orphaned-credential', 'old-deployer-token').message)
      .toContain('its identity is not in the inventory');
    // The registered workload, its pod (judged through its controller) and the agent's SVID
    // (which names its agent: it is no identity's credential) raise none of these.
    const quiet = all.filter((f) => ['payments-api', 'payments-api-6f7d8c9b5-x2k4q']
      .includes(f.subject.name) && f.kind !== 'expiring-credential');
    expect(quiet).toEqual([]);
    expect(all.filter((f) => f.kind === 'orphaned-credential').map((f) => f.subject.name))
      .toEqual(['old-deployer-token']);
    // The node's SPIRE agent is admitted and owned with the node it runs on (its aws_iid
    // SPIFFE ID names the instance): no unknown-asset or unowned-asset of its own.
    const agent = 'spiffe://halvard.example/spire/agent/aws_iid/048211339100/eu-central-1/' +
      'i-0e1f2a3b4c5d6e7f8';
    expect(all.filter((f) => f.subject.name === agent).map((f) => f.kind)).toEqual([]);
  });

  it('never stores the token Secret\'s data', () => {
    const k8s = readFileSync(join(ESTATE, 'k8s-prod-eu.json'), 'utf8');
    const token = /"token": "([^"]+)"/.exec(k8s)![1]!;
    const db = readFileSync(forward.db);
    expect(db.includes(token)).toBe(false);
    expect(db.includes(Buffer.from(token, 'base64').toString('utf8'))).toBe(false);
  });
});
