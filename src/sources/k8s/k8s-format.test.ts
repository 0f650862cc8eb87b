import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../model/types.js';
import { parseFile, parseText, type Parsed } from '../../../test/helpers/parse.js';
import { k8sObjects } from './k8s-format.js';

const fixture = (name: string) => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));
const byName = (p: Parsed, name: string): Observation | undefined =>
  p.observations.find((o) => o.attributes['name'] === name);

describe('k8s format: detection', () => {
  it('recognises kubectl and API server JSON and nothing else', () => {
    const head = (f: string) => ({ path: f, head: readFileSync(fixture(f), 'utf8') });
    expect(k8sObjects.detect(head('cluster-list.json'))).toBe(0.9);
    expect(k8sObjects.detect(head('pod-list-api.json'))).toBe(0.9);
    expect(k8sObjects.detect({ path: 'x.json', head: '{"Reservations": []}' })).toBe(0);
    const spire = '{"entries": [{"spiffe_id": "x"}]}';
    expect(k8sObjects.detect({ path: 'x.json', head: spire })).toBe(0);
    expect(k8sObjects.detect({ path: 'x.pem', head: '-----BEGIN CERTIFICATE-----' })).toBe(0);
    // The cluster named at the top, before the list, as docs/sources/k8s.md shows it.
    const named = '{"current-context": "prod", "apiVersion": "v1", "items": [], "kind": "List"}';
    expect(k8sObjects.detect({ path: 'pods.json', head: named })).toBe(0.9);
    const other = '{"context": "x", "apiVersion": "v2", "settings": {}}';
    expect(k8sObjects.detect({ path: 'tool.json', head: other })).toBe(0);
  });
});

describe('k8s format: a kubectl List', async () => {
  const options = { scope: 'k8s:prod-eu' };
  const parsed = await parseFile(k8sObjects, fixture('cluster-list.json'), options);

  it('maps a controlled pod with its node, service account, owner and environment', () => {
    const pod = byName(parsed, 'checkout-api-6d9f7c5b8-x2kqp')!;
    expect(pod.kind).toBe('asset');
    expect(pod.scope).toBe('k8s:prod-eu/shop/Pod');
    expect(pod.sourceId).toBe('7f3c9a12-5b8e-4d21-a6f0-3e9b1c7d5a24');
    expect(pod.keys).toEqual([
      { type: 'k8s-uid', value: '7f3c9a12-5b8e-4d21-a6f0-3e9b1c7d5a24' },
      { type: 'k8s-ref', value: 'prod-eu/shop/Pod/checkout-api-6d9f7c5b8-x2kqp' },
      { type: 'ip', value: '10.20.7.18' },
    ]);
    expect(pod.attributes).toMatchObject({
      class: 'k8s-pod',
      namespace: 'shop',
      runState: 'running',
      createdAt: '2025-03-02T08:15:00.000Z',
      environment: 'production',
      'k8s.ownerKind': 'ReplicaSet',
      'k8s.ownerName': 'checkout-api-6d9f7c5b8',
      'k8s.serviceAccount': 'checkout-api',
    });
    expect(pod.attributes['k8s.unowned']).toBeUndefined();
    expect(pod.relations).toEqual([
      {
        type: 'hosted-on',
        target: {
          type: 'k8s-ref',
          value: 'prod-eu//Node/ip-10-20-3-41.eu-west-1.compute.internal',
        },
      },
      {
        type: 'runs-on',
        target: { type: 'k8s-ref', value: 'prod-eu/shop/ServiceAccount/checkout-api' },
        reverse: true,
      },
    ]);
  });

  it('marks a bare pod unowned, uses the default account and skips a host-network IP key', () => {
    const pod = byName(parsed, 'debug-shell')!;
    expect(pod.attributes).toMatchObject({
      'k8s.unowned': true,
      runState: 'terminated',
      'k8s.serviceAccount': 'default',
      'k8s.hostNetwork': true,
    });
    // tier=backend is not an environment
    expect(pod.attributes['environment']).toBeUndefined();
    expect(pod.keys.map((k) => k.type)).toEqual(['k8s-uid', 'k8s-ref']);
  });

  it('refuses plain-text secrets in env and args by field, keeping the pod', () => {
    const refused = parsed.rejections.filter((r) => r.code === 'SECRET_REFUSED');
    expect(refused.map((r) => [r.item, r.field])).toEqual([
      [2, 'spec.containers[0].env[DB_PASSWORD].value'],
      [2, 'spec.containers[0].args[0]'],
    ]);
    const text = JSON.stringify(parsed);
    expect(text).not.toContain('Tr0ub4dor');
    expect(text).not.toContain('n0t-a-real-passw0rd');
  });

  it('reads service accounts as workload identities with their secrets and cloud role', () => {
    const sa = byName(parsed, 'checkout-api')!;
    expect(sa.kind).toBe('identity');
    expect(sa.attributes).toMatchObject({
      identityType: 'workload',
      namespace: 'shop',
      'k8s.secrets': ['checkout-api-token-7hq2d'],
      'k8s.awsRoleArn': 'arn:aws:iam::012345678901:role/checkout-api',
    });
    expect(byName(parsed, 'legacy-batch')?.keys).toContainEqual({
      type: 'k8s-ref',
      value: 'prod-eu/shop/ServiceAccount/legacy-batch',
    });
  });

  it('reads a token secret as a credential of its account, and one whose account is gone', () => {
    const token = byName(parsed, 'checkout-api-token-7hq2d')!;
    expect(token.kind).toBe('credential');
    expect(token.attributes).toMatchObject({
      credentialType: 'token',
      createdAt: '2024-11-20T10:00:01.000Z',
    });
    expect(token.relations).toEqual([
      {
        type: 'belongs-to',
        target: { type: 'k8s-ref', value: 'prod-eu/shop/ServiceAccount/checkout-api' },
      },
    ]);
    const orphan = byName(parsed, 'ghost-runner-token-9xk2m')!;
    expect(orphan.relations?.[0]?.target.value).toBe('prod-eu/shop/ServiceAccount/ghost-runner');
  });

  it('never keeps secret data, stringData or the last-applied copy of them', () => {
    const db = byName(parsed, 'checkout-db')!;
    expect(db.attributes).toMatchObject({ credentialType: 'secret', 'k8s.secretType': 'Opaque' });
    const text = JSON.stringify(parsed);
    for (const leaked of ['pl41n-v4lue', 'bWFkZS11cC10b2tlbi', 'b3JwaGFuLXRva2Vu', 'a=1']) {
      expect(text).not.toContain(leaked);
    }
  });

  it('keys a node by its EC2 instance id and hardware UUID so it merges with the instance', () => {
    const node = byName(parsed, 'ip-10-20-3-41.eu-west-1.compute.internal')!;
    expect(node.scope).toBe('k8s:prod-eu//Node');
    expect(node.keys).toEqual(
      expect.arrayContaining([
        { type: 'aws-instance-id', value: 'i-0a1b2c3d4e5f67890' },
        { type: 'hardware-uuid', value: 'ec2b6f1a-77c4-9e3d-2b8a-5c0e4d1f6a73' },
        { type: 'ip', value: '10.20.3.41' },
        { type: 'fqdn', value: 'ip-10-20-3-41.eu-west-1.compute.internal' },
      ]),
    );
    expect(node.attributes).toMatchObject({
      class: 'k8s-node',
      runState: 'running',
      os: 'Amazon Linux 2023.6.20250115',
      location: 'eu-west-1b',
      'k8s.roles': ['worker'],
    });
  });

  it('reads deployments and jobs as workload assets', () => {
    const deployment = parsed.observations.find((o) => o.attributes['class'] === 'k8s-deployment')!;
    expect(deployment.attributes).toMatchObject({
      runState: 'running',
      'k8s.replicas': 3,
      environment: 'production',
    });
    const job = byName(parsed, 'nightly-report-29012400')!;
    expect(job.attributes).toMatchObject({
      class: 'k8s-job',
      runState: 'terminated',
      'k8s.ownerKind': 'CronJob',
      'k8s.serviceAccount': 'legacy-batch',
    });
  });

  it('warns once per skipped kind and rejects an object without a name', () => {
    const skipped = parsed.warnings.filter((w) => w.code === 'UNKNOWN_KIND');
    expect(skipped.map((w) => [w.item, w.message])).toEqual([
      [11, 'kind ConfigMap is not read; its objects are skipped'],
    ]);
    expect(parsed.rejections.filter((r) => r.code === 'BAD_INPUT')).toEqual([
      expect.objectContaining({ item: 13, field: 'metadata.name' }),
    ]);
    expect(parsed.observations).toHaveLength(10);
  });

  it('reports the listing of each kind where it lists one, as a partial run', () => {
    const shop = ['Deployment', 'Job', 'Pod', 'Secret', 'ServiceAccount'];
    expect(parsed.meta).toEqual({
      scopes: ['k8s:prod-eu//Node', ...shop.map((k) => `k8s:prod-eu/shop/${k}`)],
      complete: false,
    });
  });
});

describe('k8s format: other shapes', () => {
  it('gives items of an API server PodList their kind from the list', async () => {
    const p = await parseFile(k8sObjects, fixture('pod-list-api.json'), { scope: 'edge' });
    expect(p.observations.map((o) => o.keys[1]?.value)).toEqual([
      'edge/edge/Pod/web-0',
      'edge/edge/Pod/web-1',
    ]);
    expect(p.observations[0]?.attributes['k8s.ownerKind']).toBe('StatefulSet');
    expect(p.observations[1]?.attributes['runState']).toBe('unknown');
    expect(p.warnings).toEqual([
      expect.objectContaining({ code: 'UNKNOWN_VALUE', item: 2, field: 'status.phase' }),
    ]);
  });

  it('takes the cluster from a kubeconfig-style context when no scope is given', async () => {
    const p = await parseFile(k8sObjects, fixture('context-list.json'));
    expect(p.observations[0]?.scope).toBe('k8s:staging-eu/payments/ServiceAccount');
    expect(p.warnings).toEqual([]);
  });

  it('falls back to the default cluster with a warning', async () => {
    const p = await parseFile(k8sObjects, fixture('gke-node.json'));
    expect(p.observations[0]?.scope).toBe('k8s:default//Node');
    expect(p.warnings.map((w) => w.code)).toEqual(['NO_SCOPE']);
  });

  it('keys a GKE node by its Cloud Asset resource name, never by a placeholder UUID', async () => {
    const p = await parseFile(k8sObjects, fixture('gke-node.json'), { scope: 'k8s:edge' });
    const node = p.observations[0]!;
    expect(node.keys).toContainEqual({
      type: 'gcp-resource',
      value:
        '//compute.googleapis.com/projects/acme-edge-prod/zones/europe-west1-b/instances/' +
        'gke-edge-pool-1-abcd',
    });
    expect(node.keys.some((k) => k.type === 'hardware-uuid')).toBe(false);
    expect(node.attributes).toMatchObject({
      environment: 'staging',
      runState: 'unknown',
      'k8s.unschedulable': true,
    });
  });

  it('rejects the rest of a truncated List and keeps the items before it', async () => {
    const text = readFileSync(fixture('pod-list-api.json'), 'utf8').slice(0, 600);
    const p = await parseText(k8sObjects, 'cut.json', text, { scope: 'edge' });
    expect(p.observations).toHaveLength(1);
    expect(p.rejections).toEqual([expect.objectContaining({ code: 'BAD_INPUT', item: 2 })]);
  });

  it('rejects an item that is not an object', async () => {
    const text = '{"apiVersion":"v1","items":[42],"kind":"List"}';
    const p = await parseText(k8sObjects, 'odd.json', text, { scope: 'c' });
    const expected = expect.objectContaining({ item: 1, message: 'not a JSON object' });
    expect(p.rejections).toEqual([expected]);
  });

  it('refuses names that would spell another cluster\'s object, and reads the rest', async () => {
    const pod = (metadata: object) => ({ apiVersion: 'v1', kind: 'Pod', metadata });
    const items = [
      pod({ name: 'web', namespace: 'x/shop', uid: 'u1' }),
      pod({ name: 'a/b', namespace: 'shop', uid: 'u2' }),
      pod({ name: 'w', namespace: 'shop', uid: 'u3',
        ownerReferences: [{ kind: 'ReplicaSet', name: 'rs/1', controller: true }] }),
      pod({ name: 'fine', namespace: 'shop', uid: 'u4' }),
    ];
    const text = JSON.stringify({ apiVersion: 'v1', items, kind: 'List' });
    const p = await parseText(k8sObjects, 'hostile.json', text, { scope: 'prod' });
    expect(p.rejections.map((r) => [r.item, r.field, r.code])).toEqual([
      [1, 'metadata.namespace', 'INVALID_VALUE'],
      [2, 'metadata.name', 'INVALID_VALUE'],
      [3, 'metadata.ownerReferences', 'INVALID_VALUE'],
    ]);
    expect(p.rejections[0]!.message).toBe('namespace "x/shop" is not an RFC 1123 label ' +
      '(lower-case letters, digits and -, at most 63), as Kubernetes requires');
    expect(p.observations.map((o) => o.scope)).toEqual(['k8s:prod/shop/Pod']);
  });

  it('says once when --scope names another cluster than the file\'s context', async () => {
    const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod',
      metadata: { name, namespace: 'shop', uid: name } });
    const text = JSON.stringify({ 'current-context': 'staging', apiVersion: 'v1',
      items: [pod('a'), pod('b')], kind: 'List' });
    const p = await parseText(k8sObjects, 'pods.json', text, { scope: 'k8s:prod' });
    expect(p.observations.map((o) => o.scope)).toEqual(['k8s:prod/shop/Pod', 'k8s:prod/shop/Pod']);
    expect(p.warnings).toEqual([expect.objectContaining({ field: 'current-context',
      code: 'SCOPE_DIFFERS', message: 'the file\'s context names cluster "staging"; --scope ' +
        'names "prod", which is used' })]);
  });

  it('links no node or account whose name could be another cluster\'s', async () => {
    const item = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'w', namespace: 'shop',
      uid: 'u1' }, spec: { nodeName: 'a/b', serviceAccountName: 'x/ServiceAccount/y' } };
    const text = JSON.stringify({ apiVersion: 'v1', items: [item], kind: 'List' });
    const p = await parseText(k8sObjects, 'links.json', text, { scope: 'prod' });
    expect(p.observations[0]!.relations ?? []).toEqual([]);
    expect(p.warnings.map((w) => [w.field, w.code])).toEqual([
      ['spec.serviceAccountName', 'INVALID_VALUE'], ['spec.nodeName', 'INVALID_VALUE'],
    ]);
  });
});

