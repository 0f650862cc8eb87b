import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

interface Summary {
  id: string;
  kind: string;
  name: string;
  owner: string | null;
  admission: string;
  keys: { type: string; value: string }[];
}
interface Page { items: Summary[]; next: string | null }

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('records on the example estate', () => {
  it('search finds by hostname, ARN and serial number', async () => {
    const byHost = await h.getJson<Page>('/api/v1/assets?q=web-prod-01');
    expect(byHost.items.map((r) => r.name)).toEqual(['web-prod-01']);
    const arn = 'arn:aws:iam::048211339100:user/svc-deploy';
    const byArn = await h.getJson<Page>(`/api/v1/records?q=${encodeURIComponent(arn)}`);
    expect(byArn.items.map((r) => [r.kind, r.name])).toContainEqual(['identity', 'svc-deploy']);
    const bySerial = await h.getJson<Page>('/api/v1/assets?q=CZJ8420FXK');
    expect(bySerial.items.map((r) => r.name)).toEqual(['print-srv-01']);
    const short = await h.getJson<Page>('/api/v1/assets?q=01');
    expect(short.items.length).toBeGreaterThan(1);
  });

  it('gets a record by any key, with provenance; an unknown key is 404', async () => {
    const byInstance = await h.getJson<{
      id: string; name: string; attributes: Record<string,
      { source: string }>,
    }>(
      '/api/v1/records/i-0a1b2c3d4e5f60718');
    expect(byInstance.name).toBe('web-prod-01');
    expect(Object.values(byInstance.attributes).map((a) => a.source)).toEqual(
      expect.arrayContaining(['cmdb', 'aws']));
    const byId = await h.getJson<{ name: string }>(`/api/v1/assets/${byInstance.id}`);
    expect(byId.name).toBe('web-prod-01');
    const arn = encodeURIComponent('arn:aws:iam::048211339100:user/svc-deploy');
    expect((await h.getJson<{ name: string }>(`/api/v1/records/${arn}`)).name).toBe('svc-deploy');
    const typed = await h.getJson<{ name: string }>('/api/v1/records/hostname:web-prod-01');
    expect(typed.name).toBe('web-prod-01');
    const none = await h.rs.server.inject({
      url: '/api/v1/records/no-such-thing',
      headers: h.auth('read'),
    });
    expect(none.json()).toMatchObject({ error: {
      code: 'NOT_FOUND',
      message: 'no record matches this reference',
    } });
    const wrongKind = await h.rs.server.inject({
      url: '/api/v1/identities/i-0a1b2c3d4e5f60718',
      headers: h.auth('read'),
    });
    expect(wrongKind.statusCode).toBe(404);
  });

  it('filters: unowned assets, admission, environment; sorts both ways', async () => {
    const unowned = await h.getJson<Page>('/api/v1/assets?unowned=true');
    expect(unowned.items.length).toBeGreaterThan(0);
    expect(unowned.items.every((r) => r.owner === null)).toBe(true);
    // Across kinds, "unowned" means assets and identities without an owner, never the owners
    // and credentials themselves.
    const anyUnowned = await h.getJson<{ items: { kind: string; name: string }[] }>(
      '/api/v1/records?unowned=true&limit=100');
    expect(new Set(anyUnowned.items.map((r) => r.kind))).toEqual(new Set(['asset', 'identity']));
    expect(anyUnowned.items.filter((r) => r.kind === 'asset').map((r) => r.name).sort())
      .toEqual(unowned.items.map((r) => r.name).sort());
    const anyUnknown = await h.getJson<{ items: { kind: string }[] }>(
      '/api/v1/records?admission=unknown&limit=100');
    expect(anyUnknown.items.every((r) => ['asset', 'identity'].includes(r.kind))).toBe(true);
    const unknown = await h.getJson<{ items: Summary[] }>('/api/v1/assets?admission=unknown');
    expect(unknown.items.map((r) => r.admission)).toEqual(['unknown', 'unknown']);
    const names = async (order: string) =>
      (await h.getJson<Page>(`/api/v1/assets?sort=name&order=${order}`)).items.map((r) => r.name);
    const asc = await names('asc');
    const desc = await names('desc');
    expect(desc).toEqual([...asc].reverse());
    expect(asc).toEqual([...asc].sort());
  });

  it('relations of a machine reach its identities, credentials and owner', async () => {
    const web = await h.getJson<{ id: string }>('/api/v1/records/report-gen-02');
    type Other = { kind: string | null; name: string | null };
    const rel = await h.getJson<{ items: { other: Other }[] }>(
      `/api/v1/records/${web.id}/relations`);
    expect(rel.items.length).toBeGreaterThan(0);
    const kinds = new Set(rel.items.map((r) => r.other.kind));
    expect(kinds.has('identity') || kinds.has('owner')).toBe(true);
  });

  it('history lists the change events of a record, oldest first, paged', async () => {
    const web = await h.getJson<{ id: string }>('/api/v1/records/web-prod-01');
    const all = await h.getJson<{ items: { seq: number; type: string }[]; next: string | null }>(
      `/api/v1/records/${web.id}/history?limit=500`);
    expect(all.items[0]!.type).toBe('record.added');
    const seqs = all.items.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const first = await h.getJson<{ items: { seq: number }[]; next: string | null }>(
      `/api/v1/records/${web.id}/history?limit=1`);
    expect(first.next).toBe(String(seqs[0]));
    const second = await h.getJson<{ items: { seq: number }[] }>(
      `/api/v1/records/${web.id}/history?limit=1&cursor=${first.next}`);
    expect(second.items[0]!.seq).toBe(seqs[1]);
  });

  it('summary: admission, lifecycle, environment; findings by kind and over time', async () => {
    const s = await h.getJson<{
      records: Record<string, number>;
      byAdmission: Record<string, Record<string, number>>;
      byLifecycle: Record<string, Record<string, number>>;
      byEnvironment: Record<string, Record<string, number>>;
      findingsByKind: Record<string, number>;
      findingsBySeverity: Record<string, number>;
      findingsOverTime: { at: string; open: number }[];
    }>('/api/v1/summary');
    expect(s.records).toEqual({ asset: 9, identity: 11, credential: 9, owner: 8 });
    expect(s.byAdmission['asset']).toEqual({ approved: 6, retired: 1, unknown: 2 });
    // Admission applies to assets and identities: owners and credentials are not counted.
    expect(Object.keys(s.byAdmission).sort()).toEqual(['asset', 'identity']);
    expect(s.byLifecycle['asset']!['retired']).toBe(1);
    expect(Object.keys(s.byEnvironment['asset']!).length).toBeGreaterThan(1);
    expect(s.findingsByKind['orphaned-credential']).toBeGreaterThan(0);
    const open = Object.values(s.findingsBySeverity).reduce((a, b) => a + b, 0);
    expect(s.findingsOverTime.at(-1)!.open).toBe(open);
  });

  it('findings filter by kind and export as CSV', async () => {
    const orphaned = await h.getJson<{ items: { kind: string; evidence: unknown[] }[] }>(
      '/api/v1/findings?kind=orphaned-credential');
    expect(orphaned.items.length).toBeGreaterThan(0);
    const ok = (f: { kind: string; evidence: unknown[] }) =>
      f.kind === 'orphaned-credential' && f.evidence.length > 0;
    expect(orphaned.items.every(ok)).toBe(true);
    const csv = await h.rs.server.inject({
      url: '/api/v1/findings?format=csv',
      headers: h.auth('read'),
    });
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('id,kind,severity,status,subject_type,subject_id,subject_name,message,' +
      'references,opened_at,closed_at');
    const all = await h.getJson<{ items: unknown[] }>('/api/v1/findings?limit=500');
    const total = all.items.length;
    expect(lines.length - 1).toBeGreaterThanOrEqual(total);
  });
});
