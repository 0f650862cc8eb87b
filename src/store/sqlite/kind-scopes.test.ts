import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../model/time.js';
import { ingest } from '../../reconcile/ingest.js';
import { DEFAULT_PRECEDENCE } from '../../reconcile/rules.js';
import { k8sObjects } from '../../sources/k8s/index.js';
import { textInput } from '../../sources/read-file.js';
import { inTempDir } from '../../../test/helpers/temp-dir.js';
import {
  observationScopes, rewindTo, scopesAfterTwice,
} from '../../../test/helpers/old-database.js';
import { SqliteStore } from './sqlite-store.js';
import { scopeK8sByKind } from './kind-scopes.js';

const pod = (name: string) => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, namespace: 'shop', uid: name },
  spec: { nodeName: 'node-1', serviceAccountName: 'web' },
});
const deployment = { apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', uid: 'deploy-web' } };
const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', uid: 'node-1' } };

async function put(store: SqliteStore, items: readonly object[], day: number) {
  const text = JSON.stringify({ apiVersion: 'v1', items, kind: 'List' });
  return ingest(store, k8sObjects, textInput(`day-${day}.json`, text), {
    rules: DEFAULT_PRECEDENCE,
    clock: fixedClock('2026-12-10T00:00:00Z'),
    asOf: `2026-12-0${day}T00:00:00.000Z`,
    scope: 'k8s:prod',
    complete: true,
  });
}

/** `<source id> <scope> <status>` of every stored observation. */
function rows(store: SqliteStore): string[] {
  return store.connection.prepare(`SELECT source_id || ' ' || scope || ' ' || status
    FROM observations ORDER BY source_id`).pluck().all() as string[];
}

describe('migration 16: k8s observations scoped by cluster, namespace and kind', () => {
  it('moves each stored object to its kind; the next complete listing of that kind decides',
    () => inTempDir('roster-migrate-', async (dir) => {
      const path = join(dir, 'v15.db');
      // A database as the older Roster left it: one scope per namespace (Nodes: the
      // cluster), and the Deployment marked missing by a later complete list of pods (the
      // defect); web-2 is rightly missing from that list.
      const old = new SqliteStore({ path });
      await old.migrate();
      await put(old, [pod('web-1'), pod('web-2'), deployment, node], 1);
      await put(old, [pod('web-1')], 2);
      rewindTo(old.connection, 16, [
        ...['observations', 'edges'].map((table) => `UPDATE ${table} SET scope =
          replace(replace(replace(scope, '//Node', ''), '/Pod', ''), '/Deployment', '')`),
        `UPDATE observations SET status = 'missing' WHERE source_id = 'deploy-web'`,
        `UPDATE runs SET scopes = '["k8s:prod","k8s:prod/shop"]'`,
      ]);
      expect(observationScopes(old.connection)).toContain('deploy-web k8s:prod/shop');
      await old.close();

      const store = new SqliteStore({ path });
      await store.migrate();
      expect(rows(store)).toEqual([
        'deploy-web k8s:prod/shop/Deployment missing',
        'node-1 k8s:prod//Node present',
        'web-1 k8s:prod/shop/Pod present',
        'web-2 k8s:prod/shop/Pod missing',
      ]);
      const edgeScopes = store.connection.prepare(
        'SELECT DISTINCT scope FROM edges ORDER BY scope').pluck();
      expect(edgeScopes.all()).toEqual(['k8s:prod/shop/Deployment', 'k8s:prod/shop/Pod']);

      // A complete list of pods now leaves the Deployment and the Node alone; the next
      // complete list of Deployments finds it again.
      const pods = await put(store, [pod('web-1')], 3);
      expect(pods.run.scopes).toEqual(['k8s:prod/shop/Pod']);
      expect(rows(store).map((r) => r.split(' ').pop())).toEqual([
        'missing', 'present', 'present', 'missing',
      ]);
      await put(store, [deployment], 4);
      expect(rows(store)[0]).toBe('deploy-web k8s:prod/shop/Deployment present');
      await store.close();
    }));

  it('keeps a row already in its listing, or of a class it does not know', async () => {
    const store = new SqliteStore({ path: ':memory:' });
    await store.migrate();
    const insert = store.connection.prepare(`INSERT INTO observations (format, scope,
      source_id, record_id, run_id, seen_run, as_of, status, body) VALUES ('k8s', ?, ?, 'r',
      'a', 'a', 'x', 'present', ?)`);
    const put = (scope: string, id: string, cls: string) =>
      insert.run(scope, id, JSON.stringify({ kind: 'asset', attributes: { class: cls } }));
    put('k8s:prod/shop', 'sa', 'k8s-service-account');
    put('k8s:prod/shop', 'token', 'k8s-secret');
    put('k8s:prod/batch', 'job', 'k8s-job');
    put('k8s:prod', 'node', 'k8s-node');
    put('k8s:prod/shop/Pod', 'pod', 'k8s-pod');
    put('k8s:prod/shop', 'odd', 'k8s-configmap');
    expect(scopesAfterTwice(store.connection, scopeK8sByKind)).toEqual([
      'job k8s:prod/batch/Job',
      'node k8s:prod//Node',
      'odd k8s:prod/shop',
      'pod k8s:prod/shop/Pod',
      'sa k8s:prod/shop/ServiceAccount',
      'token k8s:prod/shop/Secret',
    ]);
    await store.close();
  });
});
