import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { roster } from '../helpers/cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const dir = useTempDir('roster-k8s-types-');
const db = () => join(dir(), 'r.db');
const AT = '2026-12-01T00:00:00Z';
const object = (apiVersion: string, kind: string, name: string, namespace: string) =>
  ({ apiVersion, kind, metadata: { name, namespace, uid: `${kind}-${name}` } });
const listing = (...items: object[]) =>
  JSON.stringify({ apiVersion: 'v1', items, kind: 'List' });

function write(name: string, text: string): string {
  const file = join(dir(), name);
  writeFileSync(file, text);
  return file;
}

const ingest = (file: string, ...flags: string[]) => roster('--db', db(), 'ingest', file,
  '--scope', 'k8s:prod', '--as-of', AT, '--now', AT, '--no-judge', '--complete', ...flags);

async function runs(): Promise<{ status: string; scopes: string[] }[]> {
  return JSON.parse((await roster('--db', db(), 'runs', '-o', 'json')).out) as
    { status: string; scopes: string[] }[];
}

const runScopes = async () => (await runs()).map((r) => r.scopes);

describe('ingest --types for kubectl listings', () => {
  it('covers the resources kubectl was asked for in each namespace the listing names',
    async () => {
      // kubectl get pods,deploy -A -o json: kube-system has a pod and no Deployment.
      const file = write('pods.json', listing(
        object('v1', 'Pod', 'web-1', 'shop'),
        object('apps/v1', 'Deployment', 'web', 'shop'),
        object('v1', 'Pod', 'dns', 'kube-system'),
      ));
      const r = await ingest(file, '--types', 'pods,deploy');
      expect(r.code).toBe(0);
      expect(await runScopes()).toEqual([[
        'k8s:prod/kube-system/Deployment', 'k8s:prod/kube-system/Pod',
        'k8s:prod/shop/Deployment', 'k8s:prod/shop/Pod',
      ]]);
    });

  it('fails the file on a type kubectl has no resource for, naming file and option',
    async () => {
      const file = write('pods.json', listing(object('v1', 'Pod', 'web-1', 'shop')));
      const r = await ingest(file, '--types', 'pods,pdos');
      expect(r.code).toBe(1);
      expect(r.out).toContain('failed, nothing stored');
      expect(r.err).toContain(`${file}: types: 'pdos' is not a kubectl resource`);
      expect((await runs()).map((x) => [x.status, x.scopes])).toEqual([['failed', []]]);
    });

  it('warns of a resource Roster does not read, and of a row of a kind not given', async () => {
    const file = write('mixed.json', listing(
      object('v1', 'Pod', 'web-1', 'shop'),
      object('v1', 'ServiceAccount', 'web', 'shop'),
    ));
    const r = await ingest(file, '--types', 'po,sts');
    expect(r.code).toBe(0);
    expect(r.err).toContain(`${file} field types: kubectl resource 'sts' is of a kind Roster ` +
      'does not read');
    expect(r.err).toContain(`${file}:item 2 field kind: kind ServiceAccount is not among the ` +
      'types given (Pod)');
    expect(await runScopes()).toEqual([['k8s:prod/shop/Pod', 'k8s:prod/shop/ServiceAccount']]);
  });
});
