import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/model/types.js';
import { k8sObjects } from '../../src/sources/k8s/index.js';
import { fileInput } from '../../src/sources/read-file.js';
import { detectFormat } from '../../src/sources/registry.js';
import { corpusFiles, corpusPath, hasCorpus } from '../helpers/corpus.js';
import { parseFile, type Parsed } from '../helpers/parse.js';

const FOLDER = 'kubernetes';
const read = (file: string): Promise<Parsed> =>
  parseFile(k8sObjects, corpusPath(FOLDER, file), { scope: 'k8s:corpus' });
const only = (p: Parsed): Observation => {
  expect(p.observations).toHaveLength(1);
  return p.observations[0]!;
};

describe.skipIf(!hasCorpus)('k8s on the real corpus', () => {
  it('detects and reads every file without a crash or a rejection', async () => {
    const files = corpusFiles(FOLDER);
    expect(files.length).toBeGreaterThanOrEqual(11);
    for (const file of files) {
      expect(detectFormat(fileInput(file)).name, file).toBe('k8s');
      const r = await parseFile(k8sObjects, file, { scope: 'k8s:corpus' });
      expect(r.rejections, file).toEqual([]);
      expect(r.meta.complete, file).toBe(false);
    }
  });

  it('reads the minikube Node with its addresses, system UUID and readiness', async () => {
    const node = only(await read('k9s_dao_n1.json'));
    expect(node.scope).toBe('k8s:corpus//Node');
    expect(node.keys).toEqual([
      { type: 'k8s-uid', value: 'a33a26f0-7688-47b6-8dbf-5a04ea7f43d4' },
      { type: 'k8s-ref', value: 'corpus//Node/minikube' },
      { type: 'hardware-uuid', value: 'dbc511ea-0000-0000-a42f-acde48001122' },
      { type: 'hostname', value: 'minikube' },
      { type: 'ip', value: '192.168.64.6' },
    ]);
    expect(node.attributes).toMatchObject({
      class: 'k8s-node',
      runState: 'running',
      os: 'Buildroot 2019.02.7',
      'k8s.kubeletVersion': 'v1.17.0',
      'k8s.roles': ['master'],
      createdAt: '2019-12-31T20:49:21.000Z',
    });
  });

  it('reads the bootstrap token Secret without its data', async () => {
    const p = await read('k9s_dao_secret.json');
    const secret = only(p);
    expect(secret).toMatchObject({
      kind: 'credential',
      sourceId: '6f5695d4-c0f4-4b65-890a-b1115ffd1f3b',
      scope: 'k8s:corpus/kube-system/Secret',
      attributes: {
        credentialType: 'token',
        'k8s.secretType': 'bootstrap.kubernetes.io/token',
        'k8s.bootstrapTokenId': 'abcdef',
        createdAt: '2024-01-15T18:19:00.000Z',
      },
    });
    expect(JSON.stringify(p)).not.toContain('MDEyMzQ1Njc4OWFiY2Rl');
  });

  it('keeps neither data nor the last-applied copy of an Opaque or registry Secret', async () => {
    const opaque = await read('k9s_render_sec.json');
    expect(only(opaque).attributes).toMatchObject({ name: 's1', credentialType: 'secret' });
    expect(JSON.stringify(opaque)).not.toContain('YnVtYmxlYmVldHVuYQo');
    expect(JSON.stringify(opaque)).not.toContain('ZmVybmFuZAo');
    const registry = await read('kubectl-neat_secret1-raw.json');
    expect(only(registry).attributes['k8s.secretType']).toBe('kubernetes.io/dockerconfigjson');
    expect(JSON.stringify(registry)).not.toContain('eyJhdXRocyI6');
  });

  it('reads the ServiceAccount with its manual and legacy token secrets', async () => {
    const sa = only(await read('k9s_render_sa.json'));
    expect(sa.kind).toBe('identity');
    expect(sa.keys[1]).toEqual({ type: 'k8s-ref', value: 'corpus/default/ServiceAccount/blee' });
    expect(sa.attributes['k8s.secrets']).toEqual(['blee', 'blee-token-k42bt']);
  });

  it('reads the sidecar pod as unowned, on its node, running as default', async () => {
    const pod = only(await read('k9s_render_po_sidecar.json'));
    expect(pod.sourceId).toBe('35079257-0ffb-4b09-b2c1-3c0d416f2523');
    expect(pod.attributes).toMatchObject({
      name: 'sleep',
      ip: '10.244.0.8',
      'k8s.unowned': true,
      'k8s.images': ['istio/base'],
    });
    expect(pod.relations).toEqual([
      { type: 'hosted-on', target: { type: 'k8s-ref', value: 'corpus//Node/kind-control-plane' } },
      {
        type: 'runs-on',
        target: { type: 'k8s-ref', value: 'corpus/default/ServiceAccount/default' },
        reverse: true,
      },
    ]);
  });

  it('streams both pods of the kubectl List', async () => {
    const p = await read('kubectl-neat_list1-raw.json');
    const pods = p.observations.map((o) => [o.sourceId, o.attributes['name'], o.attributes['ip']]);
    expect(pods).toEqual([
      ['2fd916b3-3df3-41ff-87b7-0213c60210cd', 't1', '10.244.0.5'],
      ['375f3cc4-6bb4-4880-b3f3-0d3c43eef30c', 't2', '10.244.0.7'],
    ]);
    expect(p.observations.map((o) => o.item)).toEqual([1, 2]);
  });

  it('reads the single minikube pod', async () => {
    const pod = only(await read('kubectl-neat_pod1-raw.json'));
    const uid = 'e8330f3c-66ca-11e9-b6fa-0800271788ca';
    expect(pod.keys).toContainEqual({ type: 'k8s-uid', value: uid });
    expect(pod.attributes).toMatchObject({
      createdAt: '2019-04-24T19:55:27.000Z',
      runState: 'running',
      ip: '172.17.0.2',
      tags: ['name=myapp'],
    });
  });

  it('skips RBAC objects and Services with one warning per kind', async () => {
    const kinds: [string, string][] = [
      ['k9s_render_crb.json', 'ClusterRoleBinding.rbac.authorization.k8s.io'],
      ['kubectl-neat_role-raw.json', 'Role.rbac.authorization.k8s.io'],
      ['kubectl-neat_service1-raw.json', 'Service'],
    ];
    for (const [file, kind] of kinds) {
      const p = await read(file);
      expect(p.observations, file).toEqual([]);
      const message = `kind ${kind} is not read; its objects are skipped`;
      expect(p.warnings.map((w) => w.message), basename(file)).toEqual([message]);
    }
  });
});
