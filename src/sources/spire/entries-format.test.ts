import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFile, parseText } from '../../../test/helpers/parse.js';
import { spireEntries } from './entries-format.js';

const fixture = (name: string) => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));
const PARENT =
  'spiffe://prod.example/spire/agent/k8s_psat/prod-eu/3f5a7c9e-1b3d-4f5a-8c7e-9d1f3a5c7e90';
const head = (name: string) => ({ path: name, head: readFileSync(fixture(name), 'utf8') });

describe('spire-entries: detection', () => {
  it('recognises entry listings and registration files only', () => {
    expect(spireEntries.detect(head('entries-show.json'))).toBe(0.9);
    expect(spireEntries.detect(head('entries-legacy.json'))).toBe(0.9);
    expect(spireEntries.detect(head('agents-list.json'))).toBe(0);
    expect(spireEntries.detect(head('bundle-show.json'))).toBe(0);
  });
});

describe('spire-entries: entry show -output json', async () => {
  const p = await parseFile(spireEntries, fixture('entries-show.json'), { scope: 'k8s:prod-eu' });
  const entry = (id: string) => p.observations.find((o) => o.sourceId === id)!;

  it('reads a Kubernetes workload entry and merges it with its ServiceAccount', () => {
    const e = entry('6b1f7c3e-2a4d-4e8f-9c1b-3d5e7f9a1b2c');
    expect(e.kind).toBe('identity');
    expect(e.scope).toBe('spire:prod.example');
    expect(e.keys).toEqual([
      { type: 'spiffe-id', value: 'spiffe://prod.example/ns/shop/sa/checkout-api' },
      { type: 'key-id', value: 'spire-entry:6b1f7c3e-2a4d-4e8f-9c1b-3d5e7f9a1b2c' },
      { type: 'k8s-ref', value: 'prod-eu/shop/ServiceAccount/checkout-api' },
    ]);
    expect(e.attributes).toEqual({
      name: 'spiffe://prod.example/ns/shop/sa/checkout-api',
      class: 'spire-entry',
      identityType: 'workload',
      selectors: ['k8s:ns:shop', 'k8s:sa:checkout-api'],
      parentId: PARENT,
      createdAt: '2025-01-01T00:00:00.000Z',
      'spire.admin': false,
      'spire.downstream': false,
      'spire.x509SvidTtl': 3600,
      'spire.jwtSvidTtl': 300,
      'spire.dnsNames': ['checkout.shop.svc'],
      'spire.revision': 2,
      'k8s.namespace': 'shop',
      'k8s.serviceAccount': 'checkout-api',
    });
    expect(e.relations).toEqual([
      {
        type: 'runs-on',
        target: { type: 'spiffe-id', value: PARENT },
      },
    ]);
  });

  it('reads expiry, admin and federation, lower-casing the trust domain', () => {
    const e = entry('0c2e4a6c-8e0a-4c2e-9f4a-6c8e0a2c4e6a');
    const id = 'spiffe://prod.example/ops/break-glass';
    expect(e.keys[0]).toEqual({ type: 'spiffe-id', value: id });
    expect(e.attributes).toMatchObject({
      expiresAt: '2026-01-01T00:00:00.000Z',
      'spire.admin': true,
      'spire.federatesWith': ['spiffe://partner.example'],
      'spire.hint': 'break-glass',
    });
    // 0 means "server default", not a zero-second TTL
    expect(e.attributes['spire.x509SvidTtl']).toBeUndefined();
  });

  it('pins a pod-uid entry to its pod and keeps a downstream flag', () => {
    const e = entry('9d1f3a5c-7e9b-4d1f-8a3c-5e7a9c1e3a5d');
    expect(e.attributes['spire.downstream']).toBe(true);
    expect(e.relations).toContainEqual({
      type: 'runs-on',
      target: { type: 'k8s-uid', value: '7f3c9a12-5b8e-4d21-a6f0-3e9b1c7d5a24' },
    });
    expect(e.attributes['createdAt']).toBeUndefined();
  });

  it('rejects an entry without a SPIFFE ID and skips a repeated id, with warnings', () => {
    expect(p.rejections).toEqual([
      expect.objectContaining({ item: 4, field: 'spiffe_id', code: 'BAD_INPUT' }),
    ]);
    expect(p.warnings.map((w) => [w.item, w.field, w.code])).toEqual([
      [3, 'ttl_policy', 'UNKNOWN_FIELD'],
      [3, 'created_at', 'INVALID_VALUE'],
      [5, 'id', 'DUPLICATE_RECORD'],
    ]);
    expect(p.observations).toHaveLength(3);
  });

  it('is a complete listing of its trust domain', () => {
    expect(p.meta).toEqual({ scopes: ['spire:prod.example'], complete: true });
  });
});

describe('spire-entries: other shapes', () => {
  it('keeps selector attributes but no k8s-ref when the cluster is unknown', async () => {
    const p = await parseFile(spireEntries, fixture('entries-show.json'));
    const e = p.observations[0]!;
    expect(e.keys.map((k) => k.type)).toEqual(['spiffe-id', 'key-id']);
    expect(e.attributes).toMatchObject({
      'k8s.namespace': 'shop',
      'k8s.serviceAccount': 'checkout-api',
    });
  });

  it('reads older entries with URI-string IDs, entry_id and ttl', async () => {
    const p = await parseFile(spireEntries, fixture('entries-legacy.json'));
    expect(p.observations[0]).toMatchObject({
      sourceId: 'legacy-0001',
      scope: 'spire:legacy.example',
      keys: [
        { type: 'spiffe-id', value: 'spiffe://legacy.example/billing' },
        { type: 'key-id', value: 'spire-entry:legacy-0001' },
      ],
      attributes: { 'spire.x509SvidTtl': 3600, selectors: ['unix:uid:1001'] },
    });
  });

  it('gives no k8s-ref for selectors that could name another cluster\'s account', async () => {
    const entry = (id: string, ...selectors: string[]) => ({ id,
      spiffe_id: { trust_domain: 'prod.example', path: `/ns/x/sa/${id}` },
      selectors: selectors.map((v) => ({ type: 'k8s', value: v })) });
    const text = JSON.stringify({ entries: [
      entry('h-1', 'ns:canary/shop', 'sa:web'),
      entry('h-2', 'ns:shop', 'sa:a/b'),
      entry('h-3', 'ns:shop', 'ns:other', 'sa:web'),
      entry('h-4', 'ns:shop', 'sa:web'),
    ] });
    const p = await parseText(spireEntries, 'entries.json', text, { scope: 'k8s:prod' });
    const refs = p.observations.map((o) => o.keys.find((k) => k.type === 'k8s-ref')?.value);
    expect(refs).toEqual([undefined, undefined, undefined, 'prod/shop/ServiceAccount/web']);
    expect(p.warnings.map((w) => [w.field, w.code, w.message])).toEqual([
      ['selectors', 'INVALID_VALUE', 'selector namespace "canary/shop" is not an RFC 1123 ' +
        'label (lower-case letters, digits and -, at most 63), as Kubernetes requires: no ' +
        'k8s-ref key, the entry is read without its account'],
      ['selectors', 'INVALID_VALUE', 'selector name "a/b" holds a /, which no Kubernetes ' +
        'object name does: no k8s-ref key, the entry is read without its account'],
      ['selectors', 'INVALID_VALUE', 'the k8s:ns: and k8s:sa: selectors name more than one ' +
        'ServiceAccount: no k8s-ref key, the entry is read without its account'],
    ]);
  });
});

