import { describe, expect, it } from 'vitest';
import { coversScope } from '../../model/scopes.js';
import { parseText } from '../../../test/helpers/parse.js';
import { k8sObjects } from './k8s-format.js';
import { readKubectlTypes } from './k8s-types.js';

const object = (kind: string, name: string, namespace?: string, apiVersion = 'v1') => ({
  apiVersion,
  kind,
  metadata: { name, uid: `uid-${name}`, ...(namespace !== undefined && { namespace }) },
});
const list = (...items: object[]) => JSON.stringify({ apiVersion: 'v1', items, kind: 'List' });
const parse = (text: string, types?: string[]) =>
  parseText(k8sObjects, 'prod.json', text, { scope: 'k8s:prod', ...(types && { types }) });

describe('kubectl resources given as --types', () => {
  it('reads plural, singular and short names, kinds and API groups, in any case', () => {
    expect(readKubectlTypes(['pods', 'po', 'Pod', 'PODS']).kinds).toEqual(['Pod']);
    expect(readKubectlTypes(['deploy', 'deployments.apps', 'deployment.v1.apps', 'sa', 'no',
      'secret', 'jobs.batch']).kinds).toEqual(['Deployment', 'Job', 'Node', 'Secret',
      'ServiceAccount']);
    expect(readKubectlTypes(undefined)).toEqual({ kinds: [], notRead: [], asked: false });
  });

  it("reads all as what kubectl get all lists: no ServiceAccount, Secret or Node", () => {
    expect(readKubectlTypes(['all']).kinds).toEqual(['Deployment', 'Job', 'Pod']);
  });

  it('sets apart resources of kinds not read, built in or of another API group', () => {
    const given = readKubectlTypes(['pods', 'sts', 'statefulsets', 'cronjobs', 'cm',
      'ingress', 'networkpolicy', 'certificates.cert-manager.io', 'pods.metrics.k8s.io']);
    expect(given.kinds).toEqual(['Pod']);
    expect(given.notRead).toEqual(['sts', 'statefulsets', 'cronjobs', 'cm', 'ingress',
      'networkpolicy', 'certificates.cert-manager.io', 'pods.metrics.k8s.io']);
  });

  it('refuses any other word, naming the option and what it takes', () => {
    for (const bad of ['pdos', '*', 'deploy.apps.example.com*']) {
      expect(() => readKubectlTypes(['pods', bad])).toThrow(
        `types: '${bad}' is not a kubectl resource: give what kubectl get was asked for`);
    }
    expect(() => readKubectlTypes(['pdos'])).toThrow(/pods\/po, serviceaccounts\/sa/);
  });
});

describe('k8s listing scopes', () => {
  const text = list(
    object('Pod', 'web-1', 'shop'),
    object('Deployment', 'web', 'shop', 'apps/v1'),
    object('StatefulSet', 'db-0', 'data', 'apps/v1'),
    object('Node', 'node-1'),
  );

  it('name the cluster, the namespace and the kind; a Node has an empty namespace', async () => {
    const p = await parse(text);
    expect(p.observations.map((o) => o.scope)).toEqual([
      'k8s:prod/shop/Pod', 'k8s:prod/shop/Deployment', 'k8s:prod//Node',
    ]);
    expect(p.meta.scopes).toEqual([
      'k8s:prod//Node', 'k8s:prod/shop/Deployment', 'k8s:prod/shop/Pod',
    ]);
    expect(p.meta.complete).toBe(false);
  });

  it('mean what a family says: the cluster, a namespace, the cluster-scoped kinds', () => {
    expect(coversScope('k8s:prod/*', 'k8s:prod//Node')).toBe(true);
    expect(coversScope('k8s:prod/*', 'k8s:prod/shop/Pod')).toBe(true);
    expect(coversScope('k8s:prod/shop/*', 'k8s:prod/shop/Pod')).toBe(true);
    expect(coversScope('k8s:prod/shop/*', 'k8s:prod//Node')).toBe(false);
    expect(coversScope('k8s:prod//*', 'k8s:prod//Node')).toBe(true);
    expect(coversScope('k8s:prod//*', 'k8s:prod/shop/Pod')).toBe(false);
    expect(coversScope('k8s:prod/*', 'k8s:prod-eu/shop/Pod')).toBe(false);
  });

  it('cover each kind given in every namespace the listing names, rows or none', async () => {
    const p = await parse(text, ['pods', 'sa', 'nodes', 'statefulsets']);
    expect(p.meta.scopes).toEqual([
      'k8s:prod//Node',
      // The StatefulSet is skipped, yet names its namespace: -A listed pods there too.
      'k8s:prod/data/Pod', 'k8s:prod/data/ServiceAccount',
      'k8s:prod/shop/Deployment', 'k8s:prod/shop/Pod', 'k8s:prod/shop/ServiceAccount',
    ]);
    expect(p.warnings.map((w) => [w.code, w.field, w.item])).toEqual([
      ['TYPE_NOT_READ', 'types', undefined],
      ['UNLISTED_TYPE', 'kind', 2],
      ['UNKNOWN_KIND', 'kind', 3],
    ]);
    expect(p.warnings[0]!.message).toContain("kubectl resource 'statefulsets' is of a kind " +
      'Roster does not read (it reads Pod, ServiceAccount, Secret, Node, Deployment, Job)');
    expect(p.warnings[1]!.message).toBe('kind Deployment is not among the types given ' +
      '(Node,Pod,ServiceAccount); its objects are read, and the run covers the kind only in ' +
      'the namespaces where it lists one (warned once per kind)');
  });

  it('cover a cluster-scoped kind given in the cluster --scope names, rows or none', async () => {
    const p = await parse(list(), ['nodes', 'pods']);
    expect(p.meta.scopes).toEqual(['k8s:prod//Node']);
    const unnamed = await parseText(k8sObjects, 'x.json', list(), { types: ['nodes'] });
    expect(unnamed.meta.scopes).toEqual([]);
  });

  it('fails the file on a type it cannot read, before any item', async () => {
    await expect(parse(text, ['pdos'])).rejects.toThrow("types: 'pdos' is not a kubectl");
  });
});
