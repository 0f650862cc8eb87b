import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roster } from '../helpers/cli.js';

let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'roster-json-pos-'));
  db = join(dir, 'r.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const pod = (name: string, env: { name: string; value: string }[]) => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, namespace: 'shop', uid: `00000000-0000-4000-8000-00000000000${name.length}` },
  spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'shop/app:1', env }] },
  status: { phase: 'Running' },
});
const LIST = {
  apiVersion: 'v1', kind: 'List',
  items: [pod('web', []), pod('checkout', [{ name: 'DB_PASSWORD', value: 'Tr0ub4dor&3xx' }])],
};

async function ingest(name: string, text: string, scope: string) {
  const file = join(dir, name);
  writeFileSync(file, text);
  const r = await roster('--db', db, 'ingest', file, '--scope', scope, '--no-judge',
    '--as-of', '2026-12-01T00:00:00Z');
  return { file, r };
}

/** A streamed JSON document has no line numbers: its records are named by number. */
describe('positions in JSON documents', () => {
  it.each([
    ['one line', JSON.stringify(LIST)],
    ['pretty-printed', JSON.stringify(LIST, null, 2)],
  ])('a k8s List (%s) names the refused Pod as item 2, not a line', async (_, text) => {
    const { file, r } = await ingest('k8s.json', text, 'k8s:test');
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `rejected: ${file}:item 2 field spec.containers[0].env[DB_PASSWORD].value:`,
    );
    expect(r.err).not.toMatch(/:line \d/);
  });

  it('an Entra list names its records by item too', async () => {
    const text = JSON.stringify({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals',
      value: [
        { id: '11111111-1111-4111-8111-111111111111', appId: 'a1', displayName: 'ok' },
        { appId: 'a2', displayName: 'no id' },
      ],
    }, null, 2);
    const { file, r } = await ingest('sp.json', text, 'entra:11111111-2222-3333-4444-555555555555');
    expect(r.err).toContain(`rejected: ${file}:item 2 field id:`);
  });
});
