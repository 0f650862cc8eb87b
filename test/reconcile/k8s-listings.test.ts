import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/model/time.js';
import { ingest, type IngestResult } from '../../src/reconcile/ingest.js';
import { DEFAULT_PRECEDENCE } from '../../src/reconcile/rules.js';
import { k8sObjects } from '../../src/sources/k8s/index.js';
import { textInput } from '../../src/sources/read-file.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { inventoryAfter, orders } from '../helpers/listings.js';

// DESIGN.md rule 3 for kubectl listings ingested --complete: a listing covers the kinds it was
// asked for, never the other kinds of its namespaces, and the inventory does not depend on the
// order the listings are read in.

const meta = (kind: string, name: string, namespace?: string) =>
  ({ kind, metadata: { name, uid: `${kind}-${name}`, ...(namespace && { namespace }) } });
const pod = (name: string, namespace = 'shop') => ({ apiVersion: 'v1', ...meta('Pod', name,
  namespace), spec: { nodeName: 'node-1', serviceAccountName: 'web' } });
const deployment = (name: string) =>
  ({ apiVersion: 'apps/v1', ...meta('Deployment', name, 'shop'), spec: { replicas: 1 } });
const job = { apiVersion: 'batch/v1', ...meta('Job', 'nightly', 'shop') };
const account = { apiVersion: 'v1', ...meta('ServiceAccount', 'web', 'shop') };
const secret = { apiVersion: 'v1', ...meta('Secret', 'web-tls', 'shop'), type: 'Opaque' };
const node = { apiVersion: 'v1', ...meta('Node', 'node-1') };

interface Listing {
  readonly file: string;
  readonly day: number;
  readonly items: readonly object[];
  readonly types?: readonly string[];
  /** --scope: the cluster (k8s:prod unless said). */
  readonly scope?: string;
}

// kubectl get pods,serviceaccounts,secrets,nodes,deployments,jobs -A -o json
const EVERYTHING: Listing = { file: 'all.json', day: 1, items: [pod('web-1'), pod('web-2'),
  pod('dns', 'kube-system'), deployment('web'), job, account, secret, node],
types: ['pods', 'serviceaccounts', 'secrets', 'nodes', 'deployments', 'jobs'] };
// kubectl get pods -A -o json: web-2 is gone.
const PODS: Listing = { file: 'pods.json', day: 2, items: [pod('web-1'), pod('dns', 'kube-system')],
  types: ['pods'] };
// kubectl get deploy -A -o json: the web Deployment is gone, api is new.
const DEPLOYS: Listing = { file: 'deploys.json', day: 3, items: [deployment('api')],
  types: ['deploy'] };

function put(store: SqliteStore, l: Listing): Promise<IngestResult> {
  const text = JSON.stringify({ apiVersion: 'v1', items: l.items, kind: 'List' });
  return ingest(store, k8sObjects, textInput(l.file, text), {
    rules: DEFAULT_PRECEDENCE,
    clock: fixedClock('2026-12-10T00:00:00Z'),
    asOf: `2026-12-0${l.day}T00:00:00.000Z`,
    scope: l.scope ?? 'k8s:prod',
    complete: true,
    ...(l.types ? { types: l.types } : {}),
  });
}

const inventory = (runs: readonly Listing[]) => inventoryAfter(runs, put);

const untyped = (l: Listing): Listing => ({ file: l.file, day: l.day, items: l.items });

describe('kubectl listings ingested --complete', () => {
  it('a complete list of pods marks no Deployment, account, Secret or Node missing, any order',
    async () => {
      for (const order of orders([EVERYTHING, PODS])) {
        // Whether the user names the types or not: a listing covers the kinds it lists.
        for (const runs of [order, order.map(untyped)]) {
          const { records, results } = await inventory(runs);
          expect(records).toEqual([
            'dns present', 'nightly present', 'node-1 present', 'web present',
            'web present', 'web-1 present', 'web-2 missing', 'web-tls present',
          ]);
          expect(results.reduce((n, r) => n + r.counts.missing, 0)).toBe(1);
        }
      }
    });

  it('scopes each listing by cluster, namespace and kind', async () => {
    const { results } = await inventory([EVERYTHING, PODS, DEPLOYS]);
    expect(results.map((r) => r.run.scopes)).toEqual([
      ['k8s:prod//Node', 'k8s:prod/kube-system/Deployment', 'k8s:prod/kube-system/Job',
        'k8s:prod/kube-system/Pod', 'k8s:prod/kube-system/Secret',
        'k8s:prod/kube-system/ServiceAccount', 'k8s:prod/shop/Deployment', 'k8s:prod/shop/Job',
        'k8s:prod/shop/Pod', 'k8s:prod/shop/Secret', 'k8s:prod/shop/ServiceAccount'],
      ['k8s:prod/kube-system/Pod', 'k8s:prod/shop/Pod'],
      ['k8s:prod/shop/Deployment'],
    ]);
  });

  it('each listing decides only its own kind, in every order of three', async () => {
    const expected = [
      'api present', 'dns present', 'nightly present', 'node-1 present', 'web missing',
      'web present', 'web-1 present', 'web-2 missing', 'web-tls present',
    ];
    for (const order of orders([EVERYTHING, PODS, DEPLOYS])) {
      const { records, results } = await inventory(order);
      expect(records).toEqual(expected);
      expect(results.reduce((n, r) => n + r.counts.missing, 0)).toBe(2);
    }
  });

  it('a listing asked for Deployments covers them where it lists none, given --types',
    async () => {
      // kubectl get pods,deploy -A: the shop namespace has pods and no Deployment any more.
      const both: Listing = { file: 'both.json', day: 2, items: PODS.items,
        types: ['pods', 'deploy'] };
      const { records } = await inventory([EVERYTHING, both]);
      expect(records.filter((r) => r.startsWith('web '))).toEqual(['web missing', 'web present']);
      // Without the types the same file covers only the kind it lists: the Deployment stays.
      const quiet = await inventory([EVERYTHING, untyped(both)]);
      expect(quiet.records.filter((r) => r.startsWith('web ')))
        .toEqual(['web present', 'web present']);
    });

  it('all covers what kubectl get all lists, never accounts, Secrets or Nodes', async () => {
    const all: Listing = { file: 'get-all.json', day: 2, items: [pod('web-1')], types: ['all'] };
    const { records, results } = await inventory([EVERYTHING, all]);
    expect(results[1]!.run.scopes).toEqual(['k8s:prod/shop/Deployment', 'k8s:prod/shop/Job',
      'k8s:prod/shop/Pod']);
    expect(records).toEqual([
      'dns present', 'nightly missing', 'node-1 present', 'web missing', 'web present',
      'web-1 present', 'web-2 missing', 'web-tls present',
    ]);
  });

  it('keeps two EKS clusters whose names differ after a slash apart, any order', async () => {
    const eks = (name: string) => `k8s:arn:aws:eks:eu-west-1:123456789012:cluster/${name}`;
    // Each cluster's pods have uids of their own.
    const podOf = (cluster: string, name: string) => {
      const p = pod(name);
      return { ...p, metadata: { ...p.metadata, uid: `${cluster}-${name}` } };
    };
    const stage: Listing = { file: 'stage.json', day: 1, types: ['pods'], scope: eks('stage'),
      items: [podOf('stage', 'web-1'), podOf('stage', 'only-stage')] };
    const prod: Listing = { file: 'prod.json', day: 2, types: ['pods'], scope: eks('prod'),
      items: [podOf('prod', 'web-1')] };
    for (const order of orders([stage, prod])) {
      const { records, results } = await inventory(order);
      expect(records).toEqual(['only-stage present', 'web-1 present', 'web-1 present']);
      expect(results.map((r) => r.run.scopes[0]!)).toEqual(order.map((l) =>
        `${l.scope!}/shop/Pod`));
    }
  });
});

